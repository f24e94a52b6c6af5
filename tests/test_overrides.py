"""Status overrides: valid input only, one open at a time, ended by the next check-in."""

from __future__ import annotations

import datetime as dt

import pytest

from pipelines import overrides
from pipelines.overrides import OverrideError
from tests.helpers.viewers import OWNER, acting


def _check_in(con, client_id, recorded_at):
    con.execute(
        "insert or replace into check_ins (client_id, checkin_date, soreness_quads, soreness_hamstrings, "
        "soreness_glutes, soreness_calves, sleep_hours, sleep_quality, energy, stress, mood, recorded_at) "
        "values (?, ?, 2, 2, 2, 2, 7, 3, 3, 3, 3, ?)",
        [client_id, recorded_at.date(), recorded_at],
    )


def _created_at(con, override_id):
    return con.execute("select created_at from status_overrides where override_id = ?", [override_id]).fetchone()[0]


def test_override_applies_until_the_next_check_in(two_trainers):
    con = two_trainers
    _check_in(con, "c1", dt.datetime(2026, 11, 1, 8, 0))
    override_id = overrides.set_override(con, acting("olga"), "c1", "rest", "  Knee feels off  ")
    active = overrides.active_override(con, OWNER, "c1")
    assert active["override_id"] == override_id
    assert (active["status"], active["reason"], active["created_by"]) == ("rest", "Knee feels off", "olga")

    _check_in(con, "c1", _created_at(con, override_id) + dt.timedelta(minutes=1))
    assert overrides.active_override(con, OWNER, "c1") is None


def test_override_without_any_check_in_applies(two_trainers):
    overrides.set_override(two_trainers, acting("sam"), "c2", "caution", "New client, go easy")
    assert overrides.active_override(two_trainers, OWNER, "c2")["status"] == "caution"
    assert overrides.active_override(two_trainers, OWNER, "c3") is None


def test_a_new_override_replaces_the_open_one_and_clear_ends_it(two_trainers):
    con = two_trainers
    first = overrides.set_override(con, acting("olga"), "c1", "rest", "sick")
    second = overrides.set_override(con, acting("olga"), "c1", "ready", "feeling better")
    assert overrides.active_override(con, OWNER, "c1")["override_id"] == second
    open_ones = con.execute("select override_id from status_overrides where cleared_at is null").fetchall()
    assert open_ones == [(second,)] and first != second

    assert overrides.clear_override(con, acting("olga"), "c1") is True
    assert overrides.active_override(con, OWNER, "c1") is None
    assert overrides.clear_override(con, acting("olga"), "c1") is False
    assert con.execute("select actor, action, subject from audit_log where action like 'override.%' order by logged_at").fetchall() == [
        ("olga", "override.set", f"override {first} of c1"),
        ("olga", "override.set", f"override {second} of c1"),
        ("olga", "override.clear", "c1"),
    ]


@pytest.mark.parametrize(
    ("client_id", "status", "reason", "by", "message"),
    [
        ("c1", "tired", "x", "olga", "status must be one of"),
        ("c1", "rest", "   ", "olga", "needs a reason"),
        ("c1", "rest", "r" * 501, "olga", "longer than 500"),
        ("c1", "rest", "ok", "", "trainer who sets it"),
        ("zz", "rest", "ok", "olga", "unknown client 'zz'"),
    ],
)
def test_invalid_overrides_are_refused(two_trainers, client_id, status, reason, by, message):
    with pytest.raises(OverrideError, match=message):
        overrides.set_override(two_trainers, acting(by), client_id, status, reason)
    assert two_trainers.execute("select count(*) from status_overrides").fetchone()[0] == 0


def test_reason_of_exactly_500_characters_is_kept(two_trainers):
    overrides.set_override(two_trainers, acting("olga"), "c1", "caution", "r" * 500)
    assert len(overrides.active_override(two_trainers, OWNER, "c1")["reason"]) == 500
