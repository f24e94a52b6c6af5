"""The bad-input case table: one row per hostile or sloppy file, with its expected outcome.

`tests/test_reliability_bad_input.py` runs every case against the same seeded
database and `docs/reliability.md` shows the table rendered by `markdown_table()`
(a test keeps the two identical; `python -m tests.helpers.reliability_fixtures` prints it).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipelines import people
from pipelines.ingest import ingest_file
from tests.helpers.ingest_fixtures import checkin, csv_text
from tests.helpers.viewers import OWNER

ROOT = Path(__file__).resolve().parents[2]
FORM_SAMPLE = ROOT / "data" / "samples" / "form_export.csv"
HUGE_MB = 200
SQL = "'; drop table check_ins; --"

# The stored form of `checkin()`: check_ins columns in table order, run_id and recorded_at left out.
COLUMNS = (
    "client_id", "checkin_date", "soreness_quads", "soreness_hamstrings", "soreness_glutes",
    "soreness_calves", "sleep_hours", "sleep_quality", "energy", "stress", "mood", "water_liters",
    "ate_recovery_meal", "session_type", "session_minutes", "session_rpe", "pain", "notes",
)
STORED = {
    "client_id": "c2", "checkin_date": dt.date(2026, 11, 19), "soreness_quads": 3, "soreness_hamstrings": 2,
    "soreness_glutes": 1, "soreness_calves": 0, "sleep_hours": 7.5, "sleep_quality": 4, "energy": 4,
    "stress": 3, "mood": 4, "water_liters": 2.0, "ate_recovery_meal": True, "session_type": "legs",
    "session_minutes": 60, "session_rpe": 7, "pain": False, "notes": None,
}


def stored(**overrides) -> tuple:
    """The check_ins row `checkin(**overrides)` should become."""
    values = STORED | overrides
    return tuple(values[name] for name in COLUMNS)


def seed(con) -> None:
    """The database every case starts from: two trainers, five clients, two check-ins."""
    people.add_trainer(con, OWNER, "olga", "Olga Owner", "owner-pass-1", owner=True)
    people.add_trainer(con, OWNER, "sam", "Sam Trainer", "trainer-pass-1")
    people.add_client(con, OWNER, "c1", "Ana Álvarez", "olga")
    people.add_client(con, OWNER, "c2", "Bo Berg", "sam")
    people.add_client(con, OWNER, "c3", "Cy Chen", "sam", dt.date(2026, 6, 1))
    people.add_client(con, OWNER, "zoë", "Zoë Zhang", "sam")
    people.add_client(con, OWNER, "o'brien", "Orla O'Brien", "sam")
    rows = [checkin(client_id="c1", checkin_date="2026-11-10"), checkin(checkin_date="2026-11-10", notes="seed")]
    ingest_file(con, OWNER, csv_text(rows).encode(), file_name="seed.csv")


def canonical(*rows: dict, **options) -> bytes:
    return csv_text(list(rows), **options).encode()


def one(**overrides) -> bytes:
    return canonical(checkin(**overrides))


def form_export(header_from: str | None = None, header_to: str | None = None) -> bytes:
    """A Google Forms export (the sample's header) with one answer for client c2."""
    header = FORM_SAMPLE.read_text().splitlines()[0]
    answer = (
        "2026/11/19 7:42:10 AM GMT+1,bo@example.com,c2,3,2,1,0 - not sore,7.5,4,4,3,4,2,Yes,Legs,60,7,No,"
    )
    if header_from:
        assert header_from in header
        header = header.replace(header_from, header_to)
    return f"{header}\n{answer}\n".encode()


def json_lines(**overrides) -> bytes:
    record = {name: value for name, value in checkin(**overrides).items() if value != ""}
    return (json.dumps(record) + "\n").encode()


def huge_file(folder: Path) -> Path:
    """A 200 MB file that starts like a valid CSV; sparse, so it costs no disk or memory."""
    path = folder / "huge.csv"
    with path.open("wb") as out:
        out.write(one())
        out.truncate(HUGE_MB * 1024 * 1024)
    return path


EXTRA = [*checkin(), "favourite_colour"]
GOOD_HEADER = ",".join(checkin())


@dataclass(frozen=True)
class Case:
    """One input and what must happen to it.

    outcome: `accepted` (rows stored, maybe some quarantined), `quarantined` (nothing
    stored), `refused` (file rejected whole with `message`), `unchanged` (already ingested).
    """

    id: str
    covers: str
    input: str
    data: bytes | Callable[[Path], Path]
    outcome: str
    stored: tuple[tuple, ...] = ()
    rules: tuple[str, ...] = ()
    message: str = ""
    warnings: tuple[str, ...] = ()
    replaced: int = 0
    mapping: str | None = None
    as_trainer: str | None = None
    setup: bytes | None = None
    file_name: str = "case.csv"

    @property
    def outcome_text(self) -> str:
        if self.outcome == "refused":
            return f"file refused: `{self.message}`"
        if self.outcome == "unchanged":
            return "nothing changes (already ingested)"
        parts = []
        if self.stored:
            verb = "replaced" if self.replaced else "stored"
            parts.append(f"{len(self.stored)} row{'s' * (len(self.stored) > 1)} {verb}")
        if self.rules:
            parts.append("quarantined: " + ", ".join(f"`{rule}`" for rule in self.rules))
        if not parts:
            parts.append("0 rows")
        if self.warnings:
            parts.append("warning: " + "; ".join(self.warnings))
        return "; ".join(parts)


CASES: tuple[Case, ...] = (
    # Delimiters, encodings, line endings
    Case("delimiter-tab", "wrong delimiter", "tab-separated", one().replace(b",", b"\t"), "refused",
         message="no header row (expected column names such as client_id, checkin_date, …)"),
    Case("delimiter-pipe", "wrong delimiter", "pipe-separated", one().replace(b",", b"|"), "refused",
         message="no header row (expected column names such as client_id, checkin_date, …)"),
    Case("delimiter-semicolon", "wrong delimiter", "semicolon-separated (European Excel)",
         canonical(checkin(), delimiter=";"), "accepted", stored=(stored(),)),
    Case("bom-utf8", "BOM", "UTF-8 with a byte-order mark", codecs.BOM_UTF8 + one(), "accepted",
         stored=(stored(),)),
    Case("latin1", "Latin-1", "Latin-1 bytes, notes `café crème`",
         csv_text([checkin(notes="café crème")]).encode("latin-1"), "accepted",
         stored=(stored(notes="café crème"),),
         warnings=("the file is not valid UTF-8; it was read as Windows-1252 (Excel)",)),
    Case("utf16-le", "UTF-16", "UTF-16 LE with BOM, notes `naïve`",
         codecs.BOM_UTF16_LE + csv_text([checkin(notes="naïve")]).encode("utf-16-le"), "accepted",
         stored=(stored(notes="naïve"),)),
    Case("utf16-be", "UTF-16", "UTF-16 BE with BOM",
         codecs.BOM_UTF16_BE + csv_text([checkin()]).encode("utf-16-be"), "accepted", stored=(stored(),)),
    Case("utf16-no-bom", "UTF-16", "UTF-16 LE without BOM", csv_text([checkin()]).encode("utf-16-le"),
         "refused", message="unreadable encoding (the file contains NUL bytes)"),
    Case("undecodable", "Latin-1", "bytes undefined in Windows-1252 (0x81 0x8d)",
         b"client_id,\x81\x8d\x8f\n", "refused",
         message="unreadable encoding (expected UTF-8, UTF-16 with a BOM or Windows-1252)"),
    Case("crlf", "CRLF", "CRLF line endings", canonical(checkin(), newline="\r\n"), "accepted",
         stored=(stored(),)),
    Case("cr-only", "CRLF", "CR-only line endings (old Mac Excel)", canonical(checkin(), newline="\r"),
         "accepted", stored=(stored(),)),
    Case("multiline-note", "CRLF", "a quoted note spanning two lines",
         canonical(checkin(notes="left knee\r\nfine now")), "accepted",
         stored=(stored(notes="left knee\r\nfine now"),)),
    # Structure
    Case("empty", "empty file", "0 bytes", b"", "refused", message="the file is empty"),
    Case("blank", "empty file", "only spaces and newlines", b"  \r\n\n", "refused", message="the file is empty"),
    Case("header-only", "header only", "the header and no rows", (GOOD_HEADER + "\n").encode(), "accepted",
         warnings=("the file has a header but no data rows",)),
    Case("missing-required", "missing required column", "no `mood` column",
         one().replace(b",mood,", b",humour,"), "refused", message="missing required column(s): mood"),
    Case("duplicate-header", "duplicate header", "`Energy` twice",
         one().replace(b",notes", b",Energy"), "refused", message="duplicate column 'Energy'"),
    Case("extra-column", "extra columns", "an unknown `favourite_colour` column",
         canonical(checkin(favourite_colour="teal"), header=EXTRA), "accepted", stored=(stored(),),
         warnings=("ignored unknown column(s): favourite_colour",)),
    Case("unterminated-quote", "unterminated quote", "a note opened with `\"` and never closed",
         one().rstrip(b"\n") + b'"never closed\n', "refused",
         message="line 1 is malformed: a quoted value is never closed"),
    Case("ragged-more", "ragged rows", "line 2 has one value too many",
         canonical(checkin(checkin_date="2026-11-18")) + b",".join(one().splitlines()[1].split(b",") + [b"x"]) + b"\n",
         "refused", message="line 2 is malformed: it does not have the header's 18 values"),
    Case("ragged-fewer", "ragged rows", "line 2 has four values",
         one() + b"c2,2026-11-18,1,2\n", "refused",
         message="line 2 is malformed: it does not have the header's 18 values"),
    # Values
    Case("text-in-integer", "text in a numeric field", "energy `high`", one(energy="high"), "quarantined",
         rules=("unreadable",)),
    Case("text-in-decimal", "text in a numeric field", "sleep_hours `seven`", one(sleep_hours="seven"),
         "quarantined", rules=("unreadable",)),
    Case("half-integer", "text in a numeric field", "soreness_quads `7.5`", one(soreness_quads="7.5"),
         "quarantined", rules=("not_whole",)),
    Case("decimal-comma", "decimal comma", "sleep_hours `\"6,5\"` in a comma file", one(sleep_hours="6,5"),
         "accepted", stored=(stored(sleep_hours=6.5),)),
    Case("decimal-comma-semicolon", "decimal comma", "sleep_hours `6,5` in a semicolon file",
         canonical(checkin(sleep_hours="6,5"), delimiter=";"), "accepted", stored=(stored(sleep_hours=6.5),)),
    Case("date-impossible", "ambiguous or impossible dates", "2026-02-30", one(checkin_date="2026-02-30"),
         "quarantined", rules=("invalid_date",)),
    Case("date-ambiguous", "ambiguous or impossible dates", "03/04/2026", one(checkin_date="03/04/2026"),
         "quarantined", rules=("invalid_date",)),
    Case("date-timestamp", "ambiguous or impossible dates", "2026-11-19T23:30:00-08:00 (date taken as written)",
         one(checkin_date="2026-11-19T23:30:00-08:00"), "accepted", stored=(stored(),)),
    Case("date-future", "future date", "2026-11-21, the day after the as-of date",
         one(checkin_date="2026-11-21"), "quarantined", rules=("future_date",)),
    Case("date-today", "future date", "2026-11-20, the as-of date itself", one(checkin_date="2026-11-20"),
         "accepted", stored=(stored(checkin_date=dt.date(2026, 11, 20)),)),
    Case("date-before-since", "before since date", "c3 (since 2026-06-01) on 2026-05-31",
         one(client_id="c3", checkin_date="2026-05-31"), "quarantined", rules=("before_since",)),
    Case("score-out-of-range", "out of range", "soreness_quads 11", one(soreness_quads="11"), "quarantined",
         rules=("out_of_range",)),
    Case("score-negative", "negative", "soreness_calves -1", one(soreness_calves="-1"), "quarantined",
         rules=("out_of_range",)),
    Case("scale-zero", "out of range", "mood 0 (scale is 1–5)", one(mood="0"), "quarantined",
         rules=("out_of_range",)),
    Case("sleep-nan", "NaN", "sleep_hours `NaN`", one(sleep_hours="NaN"), "quarantined", rules=("unreadable",)),
    Case("score-nan", "NaN", "soreness_quads `nan`", one(soreness_quads="nan"), "quarantined",
         rules=("unreadable",)),
    Case("sleep-inf", "inf", "sleep_hours `inf`", one(sleep_hours="inf"), "quarantined", rules=("unreadable",)),
    Case("water-minus-infinity", "inf", "water_liters `-Infinity`: stored empty with a field note",
         one(water_liters="-Infinity"), "accepted", stored=(stored(water_liters=None),)),
    Case("sleep-25h", "sleep 25 h", "sleep_hours 25", one(sleep_hours="25"), "quarantined",
         rules=("out_of_range",)),
    Case("sleep-24h", "sleep 25 h", "sleep_hours 24 (the limit)", one(sleep_hours="24"), "accepted",
         stored=(stored(sleep_hours=24.0),)),
    Case("json-nan", "NaN", "JSON Lines `\"sleep_hours\": NaN`",
         json_lines().replace(b'"7.5"', b"NaN"), "quarantined", rules=("unreadable",)),
    Case("json-overflow", "inf", "JSON Lines `\"sleep_hours\": 1e400`",
         json_lines().replace(b'"7.5"', b"1e400"), "quarantined", rules=("unreadable",)),
    # Clients and keys
    Case("unknown-client", "unknown client", "client `zed`", one(client_id="zed"), "quarantined",
         rules=("unknown_client",)),
    Case("other-trainers-client", "client of another trainer",
         "Sam imports a row for Olga's c1 (dashboard import)", one(client_id="c1"), "quarantined",
         rules=("not_your_client",), as_trainer="sam"),
    Case("unknown-client-as-trainer", "client of another trainer",
         "Sam imports a row for unknown `zed`: same reason, nothing revealed", one(client_id="zed"),
         "quarantined", rules=("not_your_client",), as_trainer="sam"),
    Case("own-client-as-trainer", "client of another trainer", "Sam imports a row for his c2",
         one(), "accepted", stored=(stored(),), as_trainer="sam"),
    Case("duplicate-key", "duplicate key in a file", "c2 2026-11-19 twice; the second says energy 2",
         canonical(checkin(), checkin(energy="2")), "accepted", stored=(stored(energy=2),),
         rules=("duplicate_key",)),
    Case("duplicate-key-invalid-later", "duplicate key in a file",
         "c2 2026-11-19 twice; the second is invalid (mood 9)", canonical(checkin(), checkin(mood="9")),
         "accepted", stored=(stored(),), rules=("out_of_range",)),
    Case("re-upload", "re-upload", "the same bytes a second time", one(), "unchanged", setup=one()),
    Case("re-upload-corrected", "re-upload", "a corrected file for a stored key (energy 1)",
         one(energy="1"), "accepted", stored=(stored(energy=1),), replaced=1, setup=one()),
    # Unicode
    Case("client-id-nfd", "unicode names", "client id `zoë` written decomposed (NFD)",
         one(client_id="zoe\u0308"), "accepted", stored=(stored(client_id="zoë"),)),
    Case("notes-nfd", "unicode names", "notes `Crème brûlée` decomposed, stored composed (NFC)",
         one(notes="Cre\u0300me bru\u0302le\u0301e"), "accepted", stored=(stored(notes="Crème brûlée"),)),
    Case("notes-emoji", "emoji", "notes with emoji and a ZWJ family `👩‍👩‍👧`",
         one(notes="💪🔥 leg day 👩\u200d👩\u200d👧"), "accepted",
         stored=(stored(notes="💪🔥 leg day 👩\u200d👩\u200d👧"),)),
    Case("notes-rtl-override", "right-to-left override", "notes with U+202E, kept as written",
         one(notes="ok \u202eevif\u202c fine"), "accepted", stored=(stored(notes="ok \u202eevif\u202c fine"),)),
    Case("notes-zero-width", "zero-width characters", "notes with U+200B, kept as written",
         one(notes="sore\u200b calves"), "accepted", stored=(stored(notes="sore\u200b calves"),)),
    Case("client-id-zero-width", "zero-width characters", "client id `c\\u200b2` (looks like c2)",
         one(client_id="c\u200b2"), "quarantined", rules=("unknown_client",)),
    Case("client-id-rtl-override", "right-to-left override", "client id `\\u202e2c` (looks like c2)",
         one(client_id="\u202e2c"), "quarantined", rules=("unknown_client",)),
    # Long and hostile text
    Case("notes-2000", "10k-character notes", "notes of exactly 2000 characters", one(notes="x" * 2000),
         "accepted", stored=(stored(notes="x" * 2000),)),
    Case("notes-10k", "10k-character notes", "notes of 10,000 characters", one(notes="x" * 10_000),
         "quarantined", rules=("too_long",)),
    Case("notes-html", "HTML/script in notes", "`<script>alert(1)</script><b>hi</b>` stored as text",
         one(notes="<script>alert(1)</script><b>hi</b>"), "accepted",
         stored=(stored(notes="<script>alert(1)</script><b>hi</b>"),)),
    Case("sql-client-id", "SQL metacharacters", f"client_id `c2{SQL}`", one(client_id="c2" + SQL),
         "quarantined", rules=("unknown_client",)),
    Case("sql-date", "SQL metacharacters", "checkin_date `2026-11-19' or '1'='1`",
         one(checkin_date="2026-11-19' or '1'='1"), "quarantined", rules=("invalid_date",)),
    Case("sql-number", "SQL metacharacters", "energy `1; delete from check_ins`",
         one(energy="1; delete from check_ins"), "quarantined", rules=("unreadable",)),
    Case("sql-session-type", "SQL metacharacters", "session_type `legs' or 1=1 --`: stored empty with a field note",
         one(session_type="legs' or 1=1 --"), "accepted", stored=(stored(session_type=None),)),
    Case("sql-boolean", "SQL metacharacters", f"pain `no{SQL}`: not a clear no, so pain, its words in the notes",
         one(pain="no" + SQL), "accepted", stored=(stored(pain=True, notes="Pain: no" + SQL),)),
    Case("sql-notes", "SQL metacharacters", f"notes `{SQL}` stored as text", one(notes=SQL), "accepted",
         stored=(stored(notes=SQL),)),
    Case("sql-quote-client", "SQL metacharacters", "a row for the client `o'brien`",
         one(client_id="o'brien"), "accepted", stored=(stored(client_id="o'brien"),)),
    Case("sql-header", "SQL metacharacters", "an extra header `x\"); drop table clients; --`",
         canonical(checkin(), header=[*checkin(), 'x"); drop table clients; --']), "accepted",
         stored=(stored(),), warnings=('ignored unknown column(s): x"); drop table clients; --',)),
    Case("sql-file-name", "SQL metacharacters", f"file name `week{SQL}.csv`", one(), "accepted",
         stored=(stored(),), file_name=f"week{SQL}.csv"),
    # Size and form tools
    Case("huge-200mb", "200 MB file", f"a {HUGE_MB} MB file (sparse), refused before reading", huge_file,
         "refused", message=f"file is {HUGE_MB}.0 MB, larger than the 50 MB limit (LEGDAY_MAX_FILE_MB)",
         file_name="huge.csv"),
    Case("form-export", "form-tool export", "a Google Forms export with its mapping", form_export(),
         "accepted", stored=(stored(notes=None),), mapping="google_forms"),
    Case("form-renamed-required", "form-tool export with a renamed question",
         "the mood question reworded to `How's your mood today?`",
         form_export("How is your mood?", "How's your mood today?"), "refused",
         message="missing required column(s): How is your mood?", mapping="google_forms"),
    Case("form-renamed-optional", "form-tool export with a renamed question",
         "the optional notes question reworded",
         form_export("Anything else your trainer should know?", "Anything else?"), "accepted",
         stored=(stored(),), warnings=("ignored unknown column(s): Anything else?",), mapping="google_forms"),
)


def summary_line() -> str:
    kinds = {outcome: sum(case.outcome == outcome for case in CASES) for outcome in ("accepted", "quarantined", "refused", "unchanged")}
    mixed = sum(bool(case.stored and case.rules) for case in CASES)
    return (
        f"{len(CASES)} cases: {kinds['accepted']} accepted ({mixed} of them with a row quarantined too), "
        f"{kinds['quarantined']} quarantined, {kinds['refused']} refused whole, {kinds['unchanged']} unchanged."
    )


def markdown_table() -> str:
    lines = ["| # | case | issue item | input | outcome |", "|---|---|---|---|---|"]
    for number, case in enumerate(CASES, start=1):
        cells = [str(number), f"`{case.id}`", case.covers, case.input, case.outcome_text]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(summary_line(), end="\n\n")
    print(markdown_table(), end="")
