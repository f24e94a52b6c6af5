"""The demo generator: deterministic, realistic, and honest about what it promises."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from pipelines import db, demo, load_state, metrics, overrides, plans
from pipelines.auth import verify_password
from pipelines.cli import app
from tests.helpers.clock import AS_OF
from tests.helpers.load_state_check import is_fresh
from tests.helpers.viewers import OWNER

runner = CliRunner()

MAX_SORENESS = "greatest(soreness_quads, soreness_hamstrings, soreness_glutes, soreness_calves)"


@pytest.fixture
def built(con):
    return con, demo.build_demo(con)


def test_same_seed_gives_identical_rows(tmp_path):
    tables = []
    for name in ("one", "two"):
        con = db.connect(tmp_path / f"{name}.duckdb")
        demo.build_demo(con, clients=12, days=60, seed=3)
        tables.append(
            (
                con.execute("select * exclude (run_id) from check_ins order by client_id, checkin_date").fetchall(),
                con.execute("select client_id, name, trainer_id, since from clients order by 1").fetchall(),
            )
        )
        con.close()
    assert tables[0] == tables[1]
    assert len(tables[0][0]) > 400


def test_a_build_of_several_blocks_stores_the_load_state_fresh_and_gives_memory_back(con, monkeypatch):
    """Past BLOCK_DAYS client-days the check-ins are generated, and past
    load_state.REFRESH_BLOCK_DAYS the load state derived, a block at a time (both made
    small here), under a memory limit set for the build only."""
    monkeypatch.setattr(demo, "BLOCK_DAYS", 100 * 30)  # 100 clients a block at 30 days
    monkeypatch.setattr(load_state, "REFRESH_BLOCK_DAYS", 3000)
    limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    steps = []
    demo.build_demo(con, clients=150, days=30, progress=lambda done, total, what: steps.append(what))
    assert [what for what in steps if what.startswith("check-ins")] == [
        "check-ins of clients 1-100", "check-ins of clients 101-150"
    ]
    assert len(load_state._blocks(con, None)) > 1
    second_block = con.execute(
        "select count(distinct client_id) from client_day_load where client_id > 'c100'"
    ).fetchone()[0]
    assert second_block > 30  # of its 50 clients, all but the few who never checked in
    assert is_fresh(con)
    assert con.execute("select current_setting('memory_limit')").fetchone()[0] == limit


def test_another_seed_gives_other_rows(tmp_path):
    rows = []
    for seed in (1, 2):
        con = db.connect(tmp_path / f"seed{seed}.duckdb")
        demo.build_demo(con, clients=6, days=40, seed=seed)
        rows.append(con.execute("select * exclude (run_id) from check_ins order by 1, 2").fetchall())
        con.close()
    assert rows[0] != rows[1]


def test_counts_and_people(built):
    con, counts = built
    assert counts["clients"] == 24 and counts["trainers"] == 3
    assert counts["last_day"] == AS_OF and counts["first_day"] == AS_OF - dt.timedelta(days=119)
    assert con.execute("select count(*) from check_ins").fetchone()[0] == counts["check_ins"]
    span = con.execute("select min(checkin_date), max(checkin_date) from check_ins").fetchone()
    assert span[0] >= counts["first_day"] and span[1] == AS_OF
    per_trainer = dict(con.execute("select trainer_id, count(*) from clients group by 1").fetchall())
    assert per_trainer == {"demo": 8, "sam": 8, "lee": 8}
    owner_hash, is_owner = con.execute(
        "select password_hash, is_owner from trainers where trainer_id = 'demo'"
    ).fetchone()
    assert is_owner and verify_password(owner_hash, "legday-demo")[0]
    run = con.execute("select source, accepted from ingest_runs").fetchall()
    assert run == [("demo", counts["check_ins"])]


def test_check_ins_respect_the_record_rules(built):
    con, _ = built
    broken = con.execute(
        "select count(*) from check_ins join clients using (client_id) "
        "where checkin_date < coalesce(since, checkin_date) or checkin_date > ? "
        "or (session_type = 'none' and (session_minutes <> 0 or session_rpe is not null)) "
        "or (session_type <> 'none' and (session_minutes not between 10 and 180 or session_rpe not between 1 and 10)) "
        "or recorded_at::date <> checkin_date",
        [AS_OF],
    ).fetchone()[0]
    assert broken == 0


def test_spike_client_ends_with_a_load_spike(built):
    con, counts = built
    spike = counts["roles"]["spike"]
    acute, chronic = con.execute(
        "select ewma_acute, ewma_chronic from client_day_load where client_id = ? and day = ?", [spike, AS_OF]
    ).fetchone()
    assert acute / chronic >= 1.5
    ratios = con.execute(
        "select ewma_acute / ewma_chronic from client_day_load where day = ? and client_id <> ?", [AS_OF, spike]
    ).fetchall()
    assert sum(ratio >= 1.5 for (ratio,) in ratios) <= 4


@pytest.mark.parametrize("seed", [1, 99])
def test_spike_and_pain_hold_for_other_seeds(con, seed):
    roles = demo.build_demo(con, seed=seed)["roles"]
    ratio = con.execute(
        "select ewma_acute / ewma_chronic from client_day_load where client_id = ? and day = ?",
        [roles["spike"], AS_OF],
    ).fetchone()[0]
    assert ratio >= 1.5
    assert con.execute(
        "select bool_or(pain) from check_ins where client_id = ? and checkin_date >= ?",
        [roles["pain"], AS_OF - dt.timedelta(days=1)],
    ).fetchone()[0]


def test_pain_missed_and_silent_clients(built):
    con, counts = built
    pain_days = con.execute(
        "select checkin_date from check_ins where client_id = ? and pain order by 1", [counts["roles"]["pain"]]
    ).fetchall()
    assert pain_days[-1][0] >= AS_OF - dt.timedelta(days=1)
    last_check_in = dict(
        con.execute(
            "select client_id, max(checkin_date) from clients left join check_ins using (client_id) group by 1"
        ).fetchall()
    )
    silent = [client for client, day in last_check_in.items() if day is None]
    missed = [client for client, day in last_check_in.items() if day is not None and (AS_OF - day).days >= 3]
    assert len(silent) >= 2
    assert len(missed) >= 2


def test_leg_days_once_or_twice_a_week(built):
    con, _ = built
    per_week = con.execute(
        "select count(*) filter (session_type in ('legs', 'full_body')) * 7.0 / count(*) from check_ins"
    ).fetchone()[0]
    assert 1.0 <= per_week <= 2.2


def test_soreness_peaks_one_to_two_days_after_legs_and_fades_by_day_five(built):
    con, _ = built
    by_lag = dict(
        con.execute(
            f"""
            with leg_days as (
                select client_id, checkin_date as leg_day from check_ins
                where session_type = 'legs'
            ),
            isolated as (
                select leg_days.* from leg_days
                where not exists (
                    select 1 from check_ins
                    where check_ins.client_id = leg_days.client_id
                      and check_ins.session_type in ('legs', 'full_body')
                      and check_ins.checkin_date between leg_days.leg_day - 6 and leg_days.leg_day + 6
                      and check_ins.checkin_date <> leg_days.leg_day
                )
            )
            select check_ins.checkin_date - isolated.leg_day as lag, avg({MAX_SORENESS}) as soreness
            from isolated join check_ins
              on check_ins.client_id = isolated.client_id
             and check_ins.checkin_date between isolated.leg_day and isolated.leg_day + 6
            group by 1
            """  # noqa: S608 - constant expression
        ).fetchall()
    )
    peak = max(by_lag[1], by_lag[2])
    assert peak > by_lag[0] and peak > by_lag[3] > by_lag[5]
    assert by_lag[5] < peak / 2


def test_wellness_items_move_together(built):
    con, _ = built
    sleep_energy, soreness_energy, poor_sleep = con.execute(
        f"select corr(sleep_quality, energy), corr({MAX_SORENESS}, energy), "  # noqa: S608 - constant expression
        "avg(sleep_hours) filter (sleep_hours < 6.5) from check_ins"
    ).fetchone()
    assert sleep_energy > 0.2
    assert soreness_energy < -0.1
    assert poor_sleep is not None


def test_plans_and_override_are_ready_for_the_dashboard(built):
    con, counts = built
    spike_plan = plans.current_plan(con, OWNER, counts["roles"]["spike"])
    assert spike_plan.revision == 2 and spike_plan.next_intensity == "rest"
    assert len(plans.list_revisions(con, OWNER, counts["roles"]["spike"])) == 2
    assert plans.current_plan(con, OWNER, counts["roles"]["pain"]).items[0].title.startswith("See a physio")
    override = overrides.active_override(con, OWNER, counts["roles"]["override"])
    assert override is not None and override["status"] == "caution"


def test_refuses_a_database_with_clients_unless_replace(two_trainers):
    con = two_trainers
    with pytest.raises(demo.DemoError, match="already has 3 clients"):
        demo.build_demo(con)
    assert con.execute("select count(*) from clients").fetchone()[0] == 3

    demo.build_demo(con, replace=True)
    client_ids = {row[0] for row in con.execute("select client_id from clients").fetchall()}
    assert not {"c1", "c2", "c3"} & client_ids
    olga = con.execute("select active, password_hash from trainers where trainer_id = 'olga'").fetchone()
    assert olga is None or (not olga[0] and not verify_password(olga[1], "owner-pass-1")[0])
    sam_hash = con.execute("select password_hash from trainers where trainer_id = 'sam'").fetchone()[0]
    assert verify_password(sam_hash, "legday-sam")[0]


def test_a_build_that_fails_at_its_last_write_leaves_the_database_as_before(two_trainers, monkeypatch):
    con = two_trainers
    tables = ("clients", "sessions", "check_ins", "plans", "ingest_runs", "audit_log")
    before = {table: con.execute(f"select * from {table} order by all").fetchall() for table in tables}  # noqa: S608
    planned = []

    def fail_on_the_third(*args, **kwargs):
        planned.append(args)
        if len(planned) == 3:
            raise RuntimeError("disk full")
        return add_session(*args, **kwargs)

    add_session = demo.sessions.add_session
    monkeypatch.setattr(demo.sessions, "add_session", fail_on_the_third)
    with pytest.raises(RuntimeError, match="disk full"):
        demo.build_demo(con, replace=True)
    assert len(planned) == 3
    after = {table: con.execute(f"select * from {table} order by all").fetchall() for table in tables}  # noqa: S608
    assert after == before


def test_replace_clears_every_data_table(con):
    demo.build_demo(con, clients=6, days=40)
    con.execute("insert into audit_log (actor, action) values ('x', 'y')")
    demo.build_demo(con, clients=5, days=30, replace=True)
    assert con.execute("select count(*) from clients").fetchone()[0] == 5
    assert con.execute("select count(*) from ingest_runs").fetchone()[0] == 1
    assert con.execute("select count(*) from audit_log where actor = 'x'").fetchone()[0] == 0
    assert con.execute("select max(checkin_date) - min(checkin_date) from check_ins").fetchone()[0] <= 29
    assert con.execute("select count(*) from thresholds").fetchone()[0] > 0
    assert con.execute("select count(*) from plan_actions").fetchone()[0] == 11


def test_cli_demo_if_empty_and_refusal():
    first = runner.invoke(app, ["demo", "--clients", "8", "--days", "30"])
    assert first.exit_code == 0, first.output
    assert "demo / legday-demo" in first.output and "demo-only" in first.output
    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 1
    assert "--replace" in again.output
    skipped = runner.invoke(app, ["demo", "--if-empty"])
    assert skipped.exit_code == 0 and skipped.output.strip().startswith("demo skipped")
    too_short = runner.invoke(app, ["demo", "--days", "5", "--replace"])
    assert too_short.exit_code == 2


def test_most_clients_are_ready_and_every_flag_shows_somewhere(built):
    """A trainer keeps reading flags that fire for few: on the demo's as-of date at least
    half the clients are ready, and the personas still raise every flag on some day."""
    con, _ = built
    statuses = metrics.roster(con, OWNER)["status"].value_counts()
    assert statuses.get("ready", 0) * 2 >= statuses.sum(), statuses.to_dict()
    codes = {row[0] for row in con.execute("select distinct code from risk_flags").fetchall()}
    assert codes == {"PAIN_REPORTED", "LOAD_SPIKE", "LOAD_RISING", "HIGH_MONOTONY", "WELLNESS_DROP",
                     "PERSISTENT_SORENESS", "LEGS_TOO_SOON", "SHORT_SLEEP", "UNDER_FUELED"}
    assert metrics.roster(con, OWNER)["missed_checkins"].any()  # MISSED_CHECKINS, the roster's own flag
