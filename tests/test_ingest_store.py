"""Storing: idempotent re-ingest, replacement with history, unchanged rows, form submissions."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from pipelines import people
from pipelines.access import link_viewer
from pipelines.checkin_form import CheckInForm, CheckInRejected, submit_checkin
from pipelines.ingest import ingest_file
from tests.helpers.ingest_fixtures import checkin, counts, csv_bytes
from tests.helpers.load_state_check import is_fresh
from tests.helpers.viewers import OWNER, acting

AS_OF = dt.date(2026, 11, 20)


def test_ingesting_the_same_bytes_again_is_a_no_op(two_trainers):
    data = csv_bytes([checkin(), checkin(client_id="ghost")])
    first = ingest_file(two_trainers, OWNER, data, file_name="a.csv")
    before = counts(two_trainers)
    again = ingest_file(two_trainers, OWNER, data, file_name="renamed.csv")
    assert again.already_ingested and again.run_id == first.run_id
    assert (again.accepted, again.quarantined) == (0, 0)
    assert "already ingested" in again.summary
    assert counts(two_trainers) == before


def test_a_new_version_replaces_the_row_and_keeps_the_old_one_in_history(two_trainers):
    first = ingest_file(two_trainers, OWNER, csv_bytes([checkin(), checkin(checkin_date="2026-11-18")]), file_name="1.csv")
    second = ingest_file(
        two_trainers, OWNER,
        csv_bytes([checkin(soreness_quads="8", session_rpe="9"), checkin(checkin_date="2026-11-18"), checkin(checkin_date="2026-11-17")]),
        file_name="2.csv",
    )
    assert (second.accepted, second.updated, second.unchanged) == (1, 1, 1)
    current = two_trainers.execute(
        "select soreness_quads, run_id from check_ins where checkin_date = '2026-11-19'"
    ).fetchone()
    assert current == (8, second.run_id)
    history = two_trainers.execute(
        "select checkin_date::text, soreness_quads, run_id, replaced_by_run from check_in_history"
    ).fetchall()
    assert history == [("2026-11-19", 3, first.run_id, second.run_id)]
    unchanged = two_trainers.execute(
        "select run_id from check_ins where checkin_date = '2026-11-18'"
    ).fetchone()
    assert unchanged == (first.run_id,)
    assert two_trainers.execute(
        "select load from client_day_load where client_id = 'c2' and day = '2026-11-19'"
    ).fetchone() == (540.0,)


def test_load_state_matches_a_fresh_computation_after_ingest(two_trainers):
    rows = [checkin(checkin_date=f"2026-11-{day:02d}", session_rpe=str(day % 10)) for day in range(1, 20)]
    ingest_file(two_trainers, OWNER, csv_bytes(rows), file_name="a.csv")
    ingest_file(two_trainers, OWNER, csv_bytes([checkin(checkin_date="2026-11-05", session_minutes="90")]), file_name="b.csv")
    assert is_fresh(two_trainers)


def test_ingest_run_records_counts_hash_and_importer(two_trainers):
    data = csv_bytes([checkin(), checkin(client_id="ghost")])
    result = ingest_file(two_trainers, acting("sam"), data, file_name="a.csv")
    run = two_trainers.execute(
        "select file_sha256, file_name, source, imported_by, rows_total, accepted, quarantined, finished_at is not null "
        "from ingest_runs"
    ).fetchone()
    assert run == (result.file_sha256, "a.csv", "csv", "sam", 2, 1, 1, True)
    assert len(result.file_sha256) == 64


FORM = dict(
    checkin_date="2026-11-19", soreness_quads=3, soreness_hamstrings=2, soreness_glutes=1, soreness_calves=0,
    sleep_hours=7.5, sleep_quality=4, energy=4, stress=3, mood=4, session_type="legs", session_minutes=60,
    session_rpe=7,
)


def form(**overrides) -> CheckInForm:
    return CheckInForm.model_validate({**FORM, **overrides}, context={"today": AS_OF})


def test_submit_checkin_accepts_updates_and_reports_unchanged(two_trainers):
    assert submit_checkin(two_trainers, link_viewer("c2"), "c2", form(), today=AS_OF) == "accepted"
    assert submit_checkin(two_trainers, link_viewer("c2"), "c2", form(), today=AS_OF) == "unchanged"
    assert submit_checkin(two_trainers, link_viewer("c2"), "c2", form(soreness_quads=6, notes="tired"), today=AS_OF) == "updated"
    row = two_trainers.execute("select soreness_quads, notes, pain from check_ins").fetchone()
    assert row == (6, "tired", False)
    assert two_trainers.execute("select soreness_quads from check_in_history").fetchall() == [(3,)]
    runs = two_trainers.execute("select source, imported_by, accepted, updated, unchanged from ingest_runs order by run_id").fetchall()
    assert runs == [("web", "client:c2", 1, 0, 0), ("web", "client:c2", 0, 0, 1), ("web", "client:c2", 0, 1, 0)]
    assert two_trainers.execute("select load from client_day_load").fetchone() == (420.0,)


@pytest.mark.parametrize(
    ("client_id", "overrides", "rule"),
    [("ghost", {}, "unknown_client"), ("c3", {"checkin_date": "2026-05-01"}, "before_since")],
)
def test_submit_checkin_rejects_what_the_form_cannot_see(two_trainers, client_id, overrides, rule):
    before = counts(two_trainers)
    with pytest.raises(CheckInRejected) as rejected:
        submit_checkin(two_trainers, OWNER, client_id, form(**overrides), today=AS_OF)
    assert rejected.value.rule == rule
    assert counts(two_trainers) == before


def test_submit_checkin_refuses_an_inactive_client(two_trainers):
    people.set_client_active(two_trainers, OWNER, "c2", False)
    with pytest.raises(CheckInRejected, match="inactive"):
        submit_checkin(two_trainers, OWNER, "c2", form(), today=AS_OF)


def test_a_submission_stores_what_a_file_with_the_same_answers_stores(two_trainers):
    """The form reads the answers and the submission stores them as read: the same row
    as a file with these answers (answers a reader must interpret included)."""
    answers = dict(FORM, sleep_hours="7h 30", water_liters="1,5 litres", pain="yes", notes="  knee twinges ")
    submit_checkin(two_trainers, OWNER, "c2", form(**answers), today=AS_OF)
    ingest_file(two_trainers, OWNER, csv_bytes([{k: str(v) for k, v in answers.items()} | {"client_id": "c3"}]),
                file_name="a.csv")
    stored = two_trainers.execute(
        "select * exclude (client_id, run_id, source_run, source_line, recorded_at) from check_ins order by client_id"
    ).fetchall()
    assert len(stored) == 2 and stored[0] == stored[1]
    assert stored[0][5] == 7.5 and stored[0][-1] is not None  # read, not dropped


def test_submit_checkin_refuses_a_day_after_today(two_trainers):
    before = counts(two_trainers)
    with pytest.raises(CheckInRejected) as rejected:
        submit_checkin(two_trainers, OWNER, "c2", form(), today=AS_OF - dt.timedelta(days=2))
    assert (rejected.value.field, rejected.value.rule) == ("checkin_date", "future_date")
    assert counts(two_trainers) == before


def test_form_reports_field_and_rule():
    with pytest.raises(ValidationError) as invalid:
        form(soreness_quads=11, checkin_date="2026-11-21")
    found = {(error["loc"][0], error["type"]) for error in invalid.value.errors()}
    assert found == {("soreness_quads", "out_of_range"), ("checkin_date", "future_date")}
