"""Mapping options (issue 10 item 6): every case of tests/helpers/mapping_cases.py through a
real ingest, docs/ingestion.md's mapping table and examples run, bad mappings refused in
words, a one-person file with --client, and a re-import with a fixed mapping."""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines import people
from pipelines.cli import app
from pipelines.ingest import (
    UnknownMapping,
    ingest_file,
    list_answer_notes,
    list_quarantine,
    retry_quarantine,
)
from pipelines.ingest.fields import FIELDS
from pipelines.ingest.mappings import load_mapping
from pipelines.settings import get_settings
from tests.helpers.answer_cases import Held, Note
from tests.helpers.ingest_fixtures import checkin, csv_bytes, google_forms_bytes
from tests.helpers.mapping_cases import BAD_ENTRIES, CASES, QUADS
from tests.helpers.viewers import OWNER

DOCS = Path(__file__).resolve().parent.parent / "docs" / "ingestion.md"
FILE_NUMBERS = itertools.count()
runner = CliRunner()


@pytest.fixture
def practice(two_trainers, monkeypatch):
    """The two trainers' database with clients m0..m19 (one per row of a group) in London."""
    for number in range(20):
        people.add_client(two_trainers, OWNER, f"m{number}", f"Client {number}", "sam")
    monkeypatch.setenv("LEGDAY_TIMEZONE", "Europe/London")
    get_settings.cache_clear()
    return two_trainers


def mapping_with(field: str, entry: dict) -> dict:
    """A mapping of the canonical columns, with `field` read as `entry` says."""
    return {"fields": {name: {"column": name} for name in FIELDS if name != field} | {field: entry}}


def described(expected: object) -> str:
    if isinstance(expected, Held):
        return f"held back: {expected.rule}"
    if isinstance(expected, Note):
        return f"note: {expected.rule}"
    if expected is None:
        return "empty"
    if isinstance(expected, bool):
        return str(expected).lower()
    if isinstance(expected, float) and expected.is_integer():
        return str(int(expected))
    return str(expected)


def outcomes(con, tmp_path: Path, field: str, entry: dict, answers: list[str]) -> list[str]:
    """Ingest one row per answer (client m<i>, or the entry's value) and say what each stored."""
    path = tmp_path / f"mapping-{abs(hash(json.dumps(entry, sort_keys=True)))}.json"
    path.write_text(json.dumps(mapping_with(field, entry)), encoding="utf-8")
    column = entry.get("column")
    header = [column if name == field else name for name in FIELDS if name != field or column]
    rows, file_number = [], next(FILE_NUMBERS)
    for number, answer in enumerate(answers):
        # notes unique to the file: each stored row is this run's, never an unchanged earlier one
        row = checkin(client_id=f"m{number}", notes=f"{path.stem} {file_number} {number}")
        del row[field]
        rows.append(row | ({column.lower(): answer} if column else {}))
    result = ingest_file(con, OWNER, csv_bytes(rows, header=header), file_name=f"{field}.csv", mapping=str(path))
    held = {row["line_number"]: row for row in list_quarantine(con, OWNER, run_id=result.run_id)}
    notes = {(note["line_number"], note["field"]): note for note in list_answer_notes(con, OWNER, run_id=result.run_id)}
    found = []
    for line in range(1, len(answers) + 1):
        if line in held:
            found.append(f"held back: {held[line]['rule']}" if held[line]["field"] == field else str(held[line]))
        elif (line, field) in notes:
            found.append(f"note: {notes[(line, field)]['rule']}")
        else:
            value = con.execute(
                f"select {field} from check_ins where run_id = ? and source_line = ?",  # noqa: S608 - FIELDS
                [result.run_id, line],
            ).fetchone()[0]
            found.append(described(value if not hasattr(value, "isoformat") else value.isoformat()))
    return found


def groups(cases) -> dict[tuple[str, str], list[tuple[str, object]]]:
    grouped: dict[tuple[str, str], list] = {}
    for field, entry, answer, expected in cases:
        grouped.setdefault((field, json.dumps(entry, sort_keys=True)), []).append((answer, expected))
    return grouped


def same(found: str, expected: str) -> bool:
    try:
        return math.isclose(float(found), float(expected))
    except ValueError:
        return found == expected


def test_every_mapping_case_stores_what_it_must(practice, tmp_path):
    assert len(CASES) >= 70
    failures = []
    for (field, entry), answers in groups(CASES).items():
        found = outcomes(practice, tmp_path, field, json.loads(entry), [answer for answer, _ in answers])
        for (answer, expected), got in zip(answers, found, strict=True):
            if not same(got, described(expected)):
                failures.append((field, entry, answer, described(expected), got))
    assert failures == []


def docs_table() -> list[tuple[str, dict, str, str]]:
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("<!-- mapping-table -->")[1].split("<!-- /mapping-table -->")[0]
    rows = []
    for line in table.strip().splitlines()[2:]:
        field, entry, answer, stored = (cell.strip().strip("`") for cell in line.strip("|").split(" | "))
        rows.append((field, json.loads(entry), answer, stored))
    return rows


def test_the_docs_mapping_table_is_what_an_ingest_stores_and_in_the_case_table(practice, tmp_path):
    rows = docs_table()
    assert len(rows) >= 15
    table = {(field, json.dumps(entry, sort_keys=True), answer): expected for field, entry, answer, expected in CASES}
    for field, entry, answer, stored in rows:
        assert (field, json.dumps(entry, sort_keys=True), answer) in table, (field, entry, answer)
        assert same(described(table[(field, json.dumps(entry, sort_keys=True), answer)]), stored), (field, answer)
    # each row of the docs is a file of its own: a file's other dates may show its date order
    for field, entry, answer, stored in rows:
        got, = outcomes(practice, tmp_path, field, entry, [answer])
        assert same(got, stored), (field, entry, answer, got)


def docs_mapping_examples() -> list[dict]:
    """Every ```json block of docs/ingestion.md's "Mapping files" section."""
    section = DOCS.read_text(encoding="utf-8").split("## Mapping files")[1].split("\n## ")[0]
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", section, re.DOTALL)]


def test_every_mapping_example_in_the_docs_loads_and_reads_a_file(practice, tmp_path):
    examples = docs_mapping_examples()
    assert len(examples) >= 3
    for number, example in enumerate(examples):
        path = tmp_path / f"example{number}.json"
        path.write_text(json.dumps(example), encoding="utf-8")
        mapping = load_mapping(str(path))
        columns = {target: source.column for target, source in mapping.fields.items() if source.column}
        row = {columns[target].lower(): value for target, value in checkin(client_id=f"m{number}").items() if target in columns}
        result = ingest_file(practice, OWNER, csv_bytes([row], header=list(columns.values())), file_name=f"e{number}.csv",
                             mapping=str(path))
        assert (result.accepted, result.quarantined, result.warnings) == (1, 0, []), (example, result)


@pytest.mark.parametrize(("field", "entry", "words"), BAD_ENTRIES, ids=[words for _, _, words in BAD_ENTRIES])
def test_a_bad_mapping_is_refused_in_words(tmp_path, field, entry, words):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(mapping_with(field, entry)), encoding="utf-8")
    with pytest.raises(UnknownMapping) as refused:
        load_mapping(str(path))
    assert words in str(refused.value)
    assert str(refused.value).startswith(f"mapping {path}")


def test_the_cli_says_what_is_wrong_with_a_mapping_in_one_line_and_exits_2(two_trainers, tmp_path):
    data = tmp_path / "week.csv"
    data.write_bytes(csv_bytes([checkin()]))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(mapping_with("energy", {"column": "E", "scale": {"from": [1, 5], "to": [1, 5]}})))
    result = runner.invoke(app, ["ingest", str(data), "--mapping", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"legday: mapping {bad}: fields.energy.scale.round: Field required"
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = runner.invoke(app, ["ingest", str(data), "--mapping", str(broken)])
    assert result.exit_code == 2 and "not valid JSON" in result.stderr and len(result.stderr.splitlines()) == 1
    assert "--client" in runner.invoke(app, ["ingest", "--help"]).stdout


def one_person_rows() -> list[dict]:
    return [checkin(checkin_date=f"2026-11-{day}", soreness_quads=str(day - 14)) for day in (17, 18, 19)]


def test_a_one_person_file_with_client_stores_every_row_for_that_client(two_trainers, tmp_path):
    header = [name for name in FIELDS if name != "client_id"]
    path = tmp_path / "bo.csv"
    path.write_bytes(csv_bytes(one_person_rows(), header=header))
    result = runner.invoke(app, ["ingest", str(path), "--client", "C2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("bo.csv: 3 accepted, 0 updated, 0 unchanged, 0 quarantined")
    assert two_trainers.execute(
        "select client_id, checkin_date::text, soreness_quads from check_ins order by checkin_date"
    ).fetchall() == [("c2", "2026-11-17", 3), ("c2", "2026-11-18", 4), ("c2", "2026-11-19", 5)]
    assert "already ingested" in runner.invoke(app, ["ingest", str(path), "--client", "C2"]).stdout
    # the same bytes for another client are a new ingest (a wrong --client can be put right)
    assert ingest_file(two_trainers, OWNER, path, file_name="bo.csv", client="c3").accepted == 3
    # without --client the file has no client column: refused in words
    refused = runner.invoke(app, ["ingest", str(path)])
    assert refused.exit_code == 1 and "missing required column(s): client_id" in refused.stderr


def test_client_with_a_client_column_holds_back_the_rows_of_another_client(two_trainers, tmp_path):
    rows = one_person_rows()
    rows[1]["client_id"], rows[2]["client_id"] = "c3", ""
    data = csv_bytes(rows)
    result = ingest_file(two_trainers, OWNER, data, file_name="f.csv", client="c2")
    assert (result.accepted, result.quarantined) == (2, 1)
    held, = list_quarantine(two_trainers, OWNER)
    assert (held["line_number"], held["client_id"], held["rule"]) == (2, "c3", "other_value")
    assert held["reason"] == "client_id 'c3' is not c2, the value given for the whole file"


def test_a_client_id_with_sql_metacharacters_is_a_client_nobody_has(two_trainers):
    result = ingest_file(two_trainers, OWNER, csv_bytes(one_person_rows()), file_name="f.csv", client="c2'; drop table check_ins; --")
    assert (result.accepted, result.quarantined) == (0, 3)
    assert {row["rule"] for row in list_quarantine(two_trainers, OWNER)} == {"other_value"}
    header = [name for name in FIELDS if name != "client_id"]
    result = ingest_file(two_trainers, OWNER, csv_bytes(one_person_rows(), header=header), file_name="g.csv",
                         client="c2'; drop table check_ins; --")
    assert (result.accepted, result.quarantined) == (0, 3)
    assert {row["rule"] for row in list_quarantine(two_trainers, OWNER, run_id=result.run_id)} == {"unknown_client"}
    assert two_trainers.execute("select count(*) from check_ins").fetchone() == (0,)


def test_client_with_a_form_mapping_and_a_retry_reads_the_rows_as_first_read(two_trainers, tmp_path):
    rows = [row | {"timestamp": f"2026/11/{row['checkin_date'][-2:]} 9:00:00 AM"} for row in one_person_rows()]
    rows[0]["mood"] = "lots"
    result = ingest_file(two_trainers, OWNER, google_forms_bytes(rows), file_name="f.csv", mapping="google_forms", client="c2")
    assert (result.accepted, result.quarantined) == (2, 1)
    assert list_quarantine(two_trainers, OWNER)[0]["client_id"] == "c2"
    # the retry reads the held-back row with the run's mapping, --client included
    retried = retry_quarantine(two_trainers, OWNER)
    assert (retried.retried, retried.quarantined) == (1, 1)
    assert list_quarantine(two_trainers, OWNER)[0]["reason"] == "mood 'lots' could not be read as a 1-5 score"


def test_a_re_import_with_a_fixed_mapping_file_stores_what_the_first_held_back(practice, tmp_path):
    rows = [checkin(client_id="m1") | {"date": f"0{day}/11/2026"} for day in (3, 4, 5)]
    data = csv_bytes(rows, header=[name if name != "checkin_date" else "Date" for name in FIELDS])
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(mapping_with("checkin_date", {"column": "Date"})), encoding="utf-8")
    first = ingest_file(practice, OWNER, data, file_name="f.csv", mapping=str(path))
    assert (first.accepted, first.quarantined) == (0, 3)
    assert {row["rule"] for row in list_quarantine(practice, OWNER)} == {"ambiguous_date"}
    assert ingest_file(practice, OWNER, data, file_name="f.csv", mapping=str(path)).already_ingested
    # the trainer fixes the mapping in place: the same bytes are a new ingest
    path.write_text(json.dumps(mapping_with("checkin_date", {"column": "Date", "dates": "day_first"})), encoding="utf-8")
    fixed = ingest_file(practice, OWNER, data, file_name="f.csv", mapping=str(path))
    assert (fixed.already_ingested, fixed.accepted, fixed.quarantined) == (False, 3, 0)
    assert practice.execute("select list(checkin_date::text order by checkin_date) from check_ins").fetchone()[0] == [
        "2026-11-03", "2026-11-04", "2026-11-05"
    ]
    # the first import's held-back rows are settled by the re-import, not left to haunt the list
    assert list_quarantine(practice, OWNER) == []


def test_a_run_records_the_whole_mapping_and_a_retry_rebuilds_it(tmp_path):
    from pipelines.ingest.mappings import choose_mapping, mapping_from_key

    path = tmp_path / "every.json"
    entries = {"soreness_quads": QUADS, "checkin_date": {"column": "T", "parse": "timestamp_date",
               "dates": "day_first", "timezone": "Europe/London", "formats": ["%d %b %Y %H:%M"]}}
    path.write_text(json.dumps({"fields": mapping_with("energy", {"column": "E", "values": {"Great": 5}, "strict": True})[
        "fields"] | entries}), encoding="utf-8")
    chosen = choose_mapping(str(path), "c2")
    rebuilt = mapping_from_key(chosen.key)
    assert (rebuilt.fields, rebuilt.name, rebuilt.canonical) == (chosen.fields, chosen.name, False)
    assert rebuilt.key == chosen.key and json.loads(chosen.key)["fields"]["client_id"] == {
        "column": "client_id", "value": "c2"}
    assert choose_mapping(None).key is None and mapping_from_key(choose_mapping(None, "c2").key).canonical


@pytest.mark.parametrize(("other_date", "stored"), [
    ("23/10/2026", ["2026-10-23", "2026-11-03"]),  # the file shows day-first
    ("10/23/2026", ["2026-03-11", "2026-10-23"]),  # the file shows month-first
])
def test_a_file_without_dates_reads_its_ambiguous_dates_in_the_order_its_other_dates_show(
    practice, tmp_path, other_date, stored
):
    rows = [checkin(client_id="m1") | {"date": "03/11/2026"}, checkin(client_id="m2") | {"date": other_date}]
    data = csv_bytes(rows, header=[name if name != "checkin_date" else "Date" for name in FIELDS])
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(mapping_with("checkin_date", {"column": "Date"})), encoding="utf-8")
    result = ingest_file(practice, OWNER, data, file_name="f.csv", mapping=str(path))
    assert (result.accepted, result.quarantined) == (2, 0)
    assert practice.execute("select list(checkin_date::text order by checkin_date) from check_ins").fetchone()[0] == stored


def test_a_file_whose_dates_show_both_orders_holds_back_the_ambiguous_ones(practice, tmp_path):
    rows = [checkin(client_id=f"m{n}") | {"date": date} for n, date in enumerate(("03/11/2026", "23/10/2026", "10/23/2026"))]
    data = csv_bytes(rows, header=[name if name != "checkin_date" else "Date" for name in FIELDS])
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(mapping_with("checkin_date", {"column": "Date"})), encoding="utf-8")
    result = ingest_file(practice, OWNER, data, file_name="f.csv", mapping=str(path))
    assert (result.accepted, result.quarantined) == (2, 1)
    assert [row["rule"] for row in list_quarantine(practice, OWNER)] == ["ambiguous_date"]
