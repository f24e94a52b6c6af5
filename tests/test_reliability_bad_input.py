"""Every bad-input case of issue 5, from one table: the outcome, and exactly what the database holds after.

After each case the database must hold what it held before plus what the case
accepted: the check_ins rows compared in full, the quarantine rows by rule, every
other table by count, and a refused file must leave every table as it was.
"""

from __future__ import annotations

import shutil
import tomllib
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines import db
from pipelines.cli import app
from pipelines.ingest import IngestRefused, ingest_file
from pipelines.settings import Settings, get_settings
from tests.helpers.clock import AS_OF
from tests.helpers.reliability_fixtures import (
    CASES,
    COLUMNS,
    HUGE_MB,
    ROOT,
    huge_file,
    markdown_table,
    seed,
    summary_line,
)
from tests.helpers.viewers import OWNER, scoped

TABLES = ("check_ins", "check_in_history", "ingest_runs", "quarantine", "client_day_load", "clients", "trainers")


def snapshot(con) -> dict:
    columns = ", ".join(COLUMNS)
    return {
        "check_ins": set(con.execute(f"select {columns} from check_ins").fetchall()),  # noqa: S608 - constants
        "client_day_load": con.execute("select * from client_day_load order by all").fetchall(),
        "quarantine": con.execute("select quarantine_id, rule from quarantine order by quarantine_id").fetchall(),
        "counts": {name: con.execute(f"select count(*) from {name}").fetchone()[0] for name in TABLES},  # noqa: S608
    }


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seeded.duckdb"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LEGDAY_AS_OF", AS_OF.isoformat())
        env.setenv("LEGDAY_DB_PATH", str(path))
        get_settings.cache_clear()
        con = db.connect()
        seed(con)
        con.close()
    get_settings.cache_clear()
    return path


@pytest.fixture
def seeded(seeded_file):
    """A copy of the seeded database at LEGDAY_DB_PATH (seeding once keeps 70 cases quick)."""
    target = get_settings().db_path
    shutil.copyfile(seeded_file, target)
    con = db.connect(target)
    yield con
    con.close()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_case(seeded, tmp_path, case):
    con = seeded
    if case.setup is not None:
        ingest_file(con, OWNER, case.setup, file_name="setup.csv")
    before = snapshot(con)
    data = case.data(tmp_path) if callable(case.data) else case.data
    ingest = dict(file_name=case.file_name, mapping=case.mapping)
    viewer = scoped(case.as_trainer)  # a trainer's import holds back rows of clients not theirs

    if case.outcome == "refused":
        with pytest.raises(IngestRefused) as refused:
            ingest_file(con, viewer, data, **ingest)
        assert str(refused.value) == f"{case.file_name}: {case.message}"
        assert snapshot(con) == before
        return

    result = ingest_file(con, viewer, data, **ingest)
    after = snapshot(con)
    if case.outcome == "unchanged":
        assert result.already_ingested
        assert after == before
        return

    assert not result.already_ingested
    assert after["check_ins"] - before["check_ins"] == set(case.stored)
    assert len(before["check_ins"] - after["check_ins"]) == case.replaced
    new_quarantine = after["quarantine"][len(before["quarantine"]):]
    assert after["quarantine"][: len(before["quarantine"])] == before["quarantine"]
    assert [rule for _, rule in new_quarantine] == list(case.rules)
    assert result.warnings == list(case.warnings)
    assert (result.accepted + result.updated, result.updated, result.quarantined) == (
        len(case.stored), case.replaced, len(case.rules)
    )
    expected_counts = dict(before["counts"])
    expected_counts["check_ins"] += len(case.stored) - case.replaced
    expected_counts["check_in_history"] += case.replaced
    expected_counts["ingest_runs"] += 1
    expected_counts["quarantine"] += len(case.rules)
    expected_counts.pop("client_day_load")
    assert {k: v for k, v in after["counts"].items() if k != "client_day_load"} == expected_counts
    if not case.stored:
        assert after["client_day_load"] == before["client_day_load"]
    run = con.execute("select file_name, imported_by from ingest_runs where run_id = ?", [result.run_id]).fetchone()
    assert run[0] == case.file_name


def test_the_table_covers_every_item_of_the_issue():
    items = {case.covers for case in CASES}
    required = {
        "wrong delimiter", "BOM", "Latin-1", "UTF-16", "CRLF", "empty file", "header only",
        "missing required column", "duplicate header", "extra columns", "unterminated quote", "ragged rows",
        "text in a numeric field", "decimal comma", "ambiguous or impossible dates", "future date",
        "before since date", "out of range", "negative", "NaN", "inf", "sleep 25 h", "unknown client",
        "client of another trainer", "duplicate key in a file", "re-upload", "unicode names", "emoji",
        "right-to-left override", "zero-width characters", "10k-character notes", "HTML/script in notes",
        "SQL metacharacters", "200 MB file", "form-tool export with a renamed question",
    }
    assert required <= items, required - items
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


def test_every_kind_of_text_field_gets_sql_metacharacters():
    """Every value arrives as text: an id, a date, an enum, a boolean, a number, free text, a header, a name."""
    probed = {case.id.removeprefix("sql-") for case in CASES if case.id.startswith("sql-")}
    assert {"client-id", "date", "session-type", "boolean", "notes", "number", "header", "file-name"} <= probed


def test_the_200_mb_file_is_refused_without_being_read(seeded, tmp_path, monkeypatch):
    path = huge_file(tmp_path)
    assert path.stat().st_size == HUGE_MB * 1024 * 1024
    assert path.stat().st_blocks * 512 < 1024 * 1024  # sparse: the test itself costs no disk

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened for reading")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "open", no_reading)
    tracemalloc.start()
    try:
        with pytest.raises(IngestRefused, match=r"huge.csv: file is 200.0 MB, larger than the 50 MB limit \(LEGDAY_MAX_FILE_MB\)"):
            ingest_file(seeded, OWNER, path, file_name="huge.csv")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024, f"refusing the file allocated {peak} bytes"


def test_the_cli_refuses_the_200_mb_file_in_one_line(seeded, tmp_path):
    path = huge_file(tmp_path)
    seeded.close()
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "legday.duckdb"), "ingest", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == ["legday: huge.csv: file is 200.0 MB, larger than the 50 MB limit (LEGDAY_MAX_FILE_MB)"]
    con = db.connect()
    assert con.execute("select count(*) from ingest_runs where file_name = 'huge.csv'").fetchone()[0] == 0
    con.close()


def test_the_upload_limit_matches_the_ingest_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == Settings().max_file_mb


def test_the_report_shows_this_table():
    report = (ROOT / "docs" / "reliability.md").read_text()
    start, end = "<!-- bad-input-table:start -->\n", "<!-- bad-input-table:end -->"
    shown = report[report.index(start) + len(start): report.index(end)]
    assert shown == markdown_table(), "regenerate it: python -m tests.helpers.reliability_fixtures"
    assert summary_line() in report
    assert all(f"`{case.id}`" in report for case in CASES)
