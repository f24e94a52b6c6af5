"""Migrations, settings, the load state and the admin CLI."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines import db, load_state, people
from pipelines.cli import app
from pipelines.settings import Settings
from tests.helpers.load_state_check import is_fresh
from tests.helpers.viewers import OWNER

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def test_migrations_on_empty_database_create_every_table(con):
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    for name in [
        "trainers", "clients", "client_tokens", "check_ins", "check_in_history", "ingest_runs",
        "quarantine", "thresholds", "status_overrides", "plan_actions", "plans", "plan_items",
    ]:
        assert name in tables
    assert db.schema_version(con) == max(v for v, _, _ in db.migrations())


def test_migration_numbers_are_unique_and_consecutive():
    """Two branches adding the same number would apply one and skip the other on upgraded
    databases; a new migration takes the next free number."""
    versions = [version for version, _, _ in db.migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_migrations_rerun_is_a_no_op_and_older_database_is_upgraded(tmp_path):
    path = tmp_path / "old.duckdb"
    first_version, first_name, first_file = db.migrations()[0]
    raw = duckdb.connect(str(path))
    raw.execute("create table schema_version (version integer primary key, name text not null, applied_at timestamp not null default current_timestamp)")
    raw.execute(first_file.read_text())
    raw.execute("insert into schema_version (version, name) values (?, ?)", [first_version, first_name])
    raw.close()
    con = db.connect(path)
    assert db.schema_version(con) == max(v for v, _, _ in db.migrations())
    assert db.migrate(con) == []
    con.close()


@pytest.mark.parametrize(
    ("change", "applied"),
    [
        ("update schema_meta set value = 'older' where key = 'views'", "views"),
        ("update schema_meta set value = 'older' where key = 'client_day_load'", "client_day_load"),
    ],
)
def test_an_open_skips_migrate_only_when_the_file_is_current(tmp_path, monkeypatch, change, applied):
    """Opening a current file runs one query instead of migrate (a phone check-in from
    another process opens the file each time); anything out of date is still migrated
    (an older schema version: test_migrations_rerun_is_a_no_op_and_older_database_is_upgraded)."""
    path = tmp_path / "legday.duckdb"
    con = db.connect(path)
    assert db.is_current(con)
    con.execute(change)
    assert not db.is_current(con)
    con.close()
    migrated = []
    monkeypatch.setattr(db, "migrate", lambda con, real=db.migrate: migrated.append(real(con)) or migrated[-1])
    con = db.connect(path)
    assert db.is_current(con)
    assert len(migrated) == 1 and applied in migrated[0]
    con.close()
    db.connect(path).close()
    assert len(migrated) == 1  # current now: not migrated again


def test_thresholds_are_seeded_with_design_defaults(con):
    values = dict(con.execute("select name, value from thresholds").fetchall())
    assert values["acwr_spike"] == 1.5 and values["acwr_rising"] == 1.3
    assert values["monotony_high"] == 2.0 and values["rest_soreness"] == 7


def test_schema_refuses_out_of_range_scores(two_trainers):
    with pytest.raises(duckdb.ConstraintException):
        two_trainers.execute(
            "insert into check_ins (client_id, checkin_date, soreness_quads, soreness_hamstrings, "
            "soreness_glutes, soreness_calves, sleep_hours, sleep_quality, energy, stress, mood) "
            "values ('c1', date '2026-11-01', 11, 0, 0, 0, 8, 3, 3, 3, 3)"
        )


def test_every_setting_is_documented_in_readme():
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"LEGDAY_{name.upper()}" in readme, f"LEGDAY_{name.upper()} missing from README"


def test_settings_as_of_overrides_today(monkeypatch):
    monkeypatch.setenv("LEGDAY_AS_OF", "2026-03-04")
    assert Settings().today() == dt.date(2026, 3, 4)
    monkeypatch.delenv("LEGDAY_AS_OF")
    monkeypatch.setenv("LEGDAY_TIMEZONE", "Pacific/Kiritimati")
    assert Settings().today() == dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).date()


def test_settings_come_from_arguments_then_environment_then_env_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(
        "# local settings\nexport LEGDAY_LINK_DAYS=7\nlegday_base_url='http://phone.example'\n"
        "LEGDAY_MAX_FILE_MB=20  # MB\nLEGDAY_LOCK_TIMEOUT_SECONDS=3\nLEGDAY_OTHER=x\n"
    )
    monkeypatch.setenv("LEGDAY_LOCK_TIMEOUT_SECONDS", "0.5")
    monkeypatch.setenv("LEGDAY_AS_OF", "")
    settings = Settings(max_file_mb="9", db_path="x.duckdb")
    assert settings.link_days == 7 and settings.base_url == "http://phone.example"
    assert settings.lock_timeout_seconds == 0.5 and settings.max_file_mb == 9 and settings.as_of is None
    assert settings.db_path == Path("x.duckdb") and settings.session_timeout_minutes == 60
    assert Settings().max_file_mb == 20


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("LEGDAY_LINK_DAYS", "a week", "LEGDAY_LINK_DAYS 'a week' is not valid: Input should be a valid integer"),
        ("LEGDAY_AS_OF", "20/11/2026", "LEGDAY_AS_OF '20/11/2026' is not valid: Input should be a valid date"),
        ("LEGDAY_TIMEZONE", "Mars/Olympus", "LEGDAY_TIMEZONE 'Mars/Olympus' is not valid: not an IANA time zone"),
    ],
)
def test_a_bad_setting_names_itself(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError) as error:
        Settings()
    assert str(error.value).startswith(message)


def test_views_read_the_as_of_variable(con):
    assert db.as_of(con) == dt.date(2026, 11, 20)
    assert db.as_of(db.cursor(con)) == dt.date(2026, 11, 20)


def _insert_series(con, client_id, start, loads):
    rows = [
        (client_id, start + dt.timedelta(days=i), "legs" if load else "none", 60 if load else 0, load // 60)
        for i, load in enumerate(loads)
        if load is not None
    ]
    con.executemany(
        "insert into check_ins (client_id, checkin_date, soreness_quads, soreness_hamstrings, "
        "soreness_glutes, soreness_calves, sleep_hours, sleep_quality, energy, stress, mood, "
        "session_type, session_minutes, session_rpe) values (?, ?, 0, 0, 0, 0, 8, 3, 3, 3, 3, ?, ?, ?)",
        rows,
    )


def test_ewma_over_five_years_matches_the_plain_recursion(two_trainers):
    rng = random.Random(2026)
    loads = [None if rng.random() < 0.15 else rng.choice([0, 60, 120, 300, 480, 600]) for _ in range(5 * 365)]
    loads[0] = 420
    _insert_series(two_trainers, "c1", dt.date(2021, 1, 1), loads)
    load_state.refresh(two_trainers)
    got = two_trainers.execute(
        "select load, ewma_acute, ewma_chronic from client_day_load where client_id = 'c1' order by day"
    ).fetchall()
    settling_days = [0] * 29  # the stored calendar runs on until every window has settled
    assert len(got) == len(loads) + len(settling_days)
    acute = chronic = None
    for (load, ewma_acute, ewma_chronic), raw in zip(got, loads + settling_days, strict=True):
        expected_load = raw or 0
        acute = expected_load if acute is None else 0.25 * expected_load + 0.75 * acute
        chronic = expected_load if chronic is None else 2 / 29 * expected_load + 27 / 29 * chronic
        assert load == expected_load
        assert ewma_acute == pytest.approx(acute, rel=1e-12, abs=1e-9)
        assert ewma_chronic == pytest.approx(chronic, rel=1e-12, abs=1e-9)


def test_refresh_of_some_clients_equals_a_fresh_computation(two_trainers):
    _insert_series(two_trainers, "c1", dt.date(2026, 1, 1), [300, None, 0, 480] * 20)
    _insert_series(two_trainers, "c2", dt.date(2026, 3, 1), [120, 0, None] * 30)
    load_state.refresh(two_trainers)
    two_trainers.execute("delete from check_ins where client_id = 'c2' and checkin_date > date '2026-03-20'")
    two_trainers.execute("update check_ins set session_rpe = 9 where client_id = 'c1' and checkin_date = date '2026-01-04'")
    load_state.refresh(two_trainers, ["c1", "c2"])
    assert is_fresh(two_trainers)


def test_cli_admin_commands_and_exit_codes(tmp_path):
    db_file = str(tmp_path / "cli.duckdb")
    assert runner.invoke(app, ["--db", db_file, "init"]).exit_code == 0
    added = runner.invoke(app, ["--db", db_file, "trainer", "add", "sam", "--name", "Sam", "--password-stdin"], input="long-password\n")
    assert added.exit_code == 0, added.output
    short = runner.invoke(app, ["--db", db_file, "trainer", "add", "kim", "--name", "Kim", "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "at least 8 characters" in short.output
    assert runner.invoke(app, ["--db", db_file, "client", "add", "c1", "--name", "Ana", "--trainer", "sam"]).exit_code == 0
    unknown = runner.invoke(app, ["--db", db_file, "client", "add", "c2", "--name", "Bo", "--trainer", "nobody"])
    assert unknown.exit_code == 1 and "unknown trainer 'nobody'" in unknown.output
    assert runner.invoke(app, ["--db", db_file, "client", "add", "c2"]).exit_code == 2


def test_client_import_upserts_and_refuses_whole_file_on_a_bad_line(tmp_path, two_trainers):
    good = tmp_path / "clients.csv"
    good.write_text("client_id,name,trainer_id,since\nc2,Bo Berg-Lund,sam,\nc9,Dee,olga,2026-01-02\n")
    assert people.import_clients(two_trainers, OWNER, good.read_text()) == (1, 1)
    assert two_trainers.execute("select name from clients where client_id = 'c2'").fetchone()[0] == "Bo Berg-Lund"
    with pytest.raises(people.PeopleError, match=re.escape("line 2: unknown trainer 'ghost'")):
        people.import_clients(two_trainers, OWNER, "client_id,name,trainer_id\nc10,Ed,sam\nc11,Flo,ghost\n")
    assert two_trainers.execute("select count(*) from clients where client_id in ('c10', 'c11')").fetchone()[0] == 0


def test_locked_database_gives_a_clear_message_after_bounded_retry(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "held.duckdb"
    db.connect(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(db.DatabaseBusy, match="in use by another process"):
            db.connect(path, timeout=0.5)
    finally:
        holder.kill()
        holder.wait()
