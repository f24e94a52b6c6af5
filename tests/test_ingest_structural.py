"""A structurally broken file is refused whole: a clear message, and nothing written."""

from __future__ import annotations

import codecs

import pytest

from pipelines.ingest import IngestRefused, UnknownMapping, ingest_file
from tests.helpers.ingest_fixtures import checkin, counts, csv_bytes, csv_text
from tests.helpers.viewers import OWNER

GOOD = csv_text([checkin(), checkin(checkin_date="2026-11-18")])
FIELDS_LINE = GOOD.splitlines()[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "bad.csv: the file is empty"),
        (b"  \r\n\n", "bad.csv: the file is empty"),
        (codecs.BOM_UTF8 + b"\xff\xfe broken", "bad.csv: unreadable encoding"),
        (b"client_id,\x81\x8d\x8f,x\n", "bad.csv: unreadable encoding"),
        (b"client_id\x00,checkin_date\n", "bad.csv: unreadable encoding"),
        (b"c2,2026-11-19,3,2,1,0,7.5,4,4,3,4\n", "bad.csv: no header row"),
        (GOOD.replace("mood", "humour").encode(), "bad.csv: missing required column(s): mood"),
        (GOOD.replace("client_id", "who").encode(),
         "bad.csv: missing required column(s): client_id (a file of one person's check-ins: say whose, with --client or the Import page's Whose check-ins)"),
        (GOOD.replace("notes", "Energy").encode(), "bad.csv: duplicate column 'Energy'"),
        ((GOOD + "c2,2026-11-17,1,2\n").encode(), "bad.csv: line 3 is malformed: it does not have the header's 18 values"),
        ((GOOD + 'c2,2026-11-17,1,2,3,4,5,1,1,1,1,1,yes,legs,1,1,no,"never closed\n').encode(), "bad.csv: line 3 is malformed: a quoted value is never closed"),
        (b'{"client_id": "c2"}\n{"client_id": \n', "bad.csv: not valid JSON Lines"),
        (b'{"client_id": "c2", "checkin_date": "2026-11-19"}\n[1, 2]\n', "bad.csv: line 2 is not a JSON object"),
        (b'{"client_id": "c2"}\n', "bad.csv: missing required column(s): checkin_date"),
    ],
)
def test_refused_files_write_nothing(two_trainers, data, message):
    before = counts(two_trainers)
    with pytest.raises(IngestRefused) as refused:
        ingest_file(two_trainers, OWNER, data, file_name="bad.csv")
    assert str(refused.value).startswith(message)
    assert counts(two_trainers) == before


def test_a_refusal_inside_the_transaction_rolls_back_everything(two_trainers):
    ingest_file(two_trainers, OWNER, csv_bytes([checkin(checkin_date="2026-11-01")]), file_name="ok.csv")
    before = counts(two_trainers)
    with pytest.raises(IngestRefused, match="line 3 is malformed"):
        ingest_file(two_trainers, OWNER, (GOOD + "c2,2026-11-17\n").encode(), file_name="bad.csv")
    assert counts(two_trainers) == before


def test_files_over_the_size_limit_are_refused_before_reading(two_trainers, tmp_path, monkeypatch):
    from pipelines.settings import get_settings

    monkeypatch.setenv("LEGDAY_MAX_FILE_MB", "1")
    get_settings.cache_clear()
    path = tmp_path / "huge.csv"
    path.write_bytes(b"x" * (1024 * 1024 + 1))
    path.chmod(0)  # proves it is refused by size, never opened
    with pytest.raises(IngestRefused, match=r"huge.csv: file is 1.0 MB, larger than the 1 MB limit"):
        ingest_file(two_trainers, OWNER, path, file_name="huge.csv")
    assert counts(two_trainers)["ingest_runs"] == 0


def test_unknown_mapping_is_a_usage_error(two_trainers):
    with pytest.raises(UnknownMapping, match="unknown mapping '../etc'"):
        ingest_file(two_trainers, OWNER, GOOD.encode(), file_name="x.csv", mapping="../etc")


def test_a_canonical_file_given_the_form_mapping_names_the_missing_questions(two_trainers):
    with pytest.raises(IngestRefused, match="no header row"):
        ingest_file(two_trainers, OWNER, GOOD.encode(), file_name="x.csv", mapping="google_forms")
