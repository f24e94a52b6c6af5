"""Row-level problems go to quarantine with line, raw row, field and rule; retry stores them later."""

from __future__ import annotations

import pytest

from pipelines import people
from pipelines.ingest import ingest_file, list_quarantine, retry_quarantine
from tests.helpers.ingest_fixtures import checkin, csv_bytes
from tests.helpers.viewers import OWNER, trainer


def quarantined(con):
    return con.execute("select line_number, client_id, field, rule, reason from quarantine order by line_number").fetchall()


@pytest.mark.parametrize(
    ("overrides", "field", "rule"),
    [
        ({"client_id": "nobody"}, "client_id", "unknown_client"),
        ({"client_id": ""}, "client_id", "required"),
        ({"soreness_quads": "12"}, "soreness_quads", "out_of_range"),
        ({"sleep_quality": "0"}, "sleep_quality", "out_of_range"),
        ({"sleep_hours": "25"}, "sleep_hours", "out_of_range"),
        ({"energy": "2.5"}, "energy", "not_whole"),
        ({"mood": "good"}, "mood", "unreadable"),
        ({"sleep_hours": "eight"}, "sleep_hours", "unreadable"),
        ({"stress": ""}, "stress", "required"),
        ({"checkin_date": "2026-02-30"}, "checkin_date", "invalid_date"),
        ({"checkin_date": "03/04/2026"}, "checkin_date", "invalid_date"),
        ({"checkin_date": ""}, "checkin_date", "required"),
        ({"checkin_date": "2026-11-21"}, "checkin_date", "future_date"),
        ({"client_id": "c3", "checkin_date": "2026-05-31"}, "checkin_date", "before_since"),
        ({"notes": "x" * 2001}, "notes", "too_long"),
    ],
)
def test_each_rule_quarantines_the_row_naming_field_and_rule(two_trainers, overrides, field, rule):
    rows = [checkin(checkin_date="2026-11-18"), checkin(**overrides)]
    result = ingest_file(two_trainers, OWNER, csv_bytes(rows), file_name="r.csv")
    assert (result.accepted, result.quarantined) == (1, 1)
    line, _, found_field, found_rule, reason = quarantined(two_trainers)[0]
    assert (line, found_field, found_rule) == (2, field, rule)
    assert field in reason
    raw = list_quarantine(two_trainers, OWNER)[0]["raw_row"]
    assert raw["client_id"] == overrides.get("client_id", "c2") or raw["client_id"] is None


def test_a_row_with_several_problems_lists_them_all_in_the_reason(two_trainers):
    ingest_file(two_trainers, OWNER, csv_bytes([checkin(soreness_quads="11", mood="x")]), file_name="r.csv")
    _, _, field, rule, reason = quarantined(two_trainers)[0]
    assert (field, rule) == ("soreness_quads", "out_of_range")
    assert reason == "soreness_quads must be between 0 and 10, got 11; mood 'x' could not be read as a 1-5 score"


def test_inactive_client_rows_are_quarantined(two_trainers):
    people.set_client_active(two_trainers, OWNER, "c2", False)
    result = ingest_file(two_trainers, OWNER, csv_bytes([checkin()]), file_name="r.csv")
    assert result.quarantined == 1 and quarantined(two_trainers)[0][3] == "inactive_client"


def test_duplicate_key_later_valid_row_wins(two_trainers):
    rows = [checkin(soreness_quads="1"), checkin(checkin_date="2026-11-18"), checkin(soreness_quads="5")]
    result = ingest_file(two_trainers, OWNER, csv_bytes(rows), file_name="d.csv")
    assert (result.accepted, result.quarantined) == (2, 1)
    stored = two_trainers.execute(
        "select soreness_quads from check_ins where checkin_date = '2026-11-19'"
    ).fetchone()
    assert stored == (5,)
    line, _, field, rule, reason = quarantined(two_trainers)[0]
    assert (line, field, rule) == (1, "checkin_date", "duplicate_key")
    assert "appears again on line 3" in reason


def test_an_invalid_row_never_displaces_a_valid_one(two_trainers):
    rows = [checkin(soreness_quads="1"), checkin(soreness_quads="99")]
    result = ingest_file(two_trainers, OWNER, csv_bytes(rows), file_name="d.csv")
    assert (result.accepted, result.quarantined) == (1, 1)
    assert two_trainers.execute("select soreness_quads from check_ins").fetchone() == (1,)
    assert [row[3] for row in quarantined(two_trainers)] == ["out_of_range"]


def test_rows_for_other_trainers_clients_reveal_nothing(two_trainers):
    rows = [checkin(client_id="c2"), checkin(client_id="c1"), checkin(client_id="ghost")]
    result = ingest_file(two_trainers, trainer("sam"), csv_bytes(rows), file_name="s.csv")
    assert (result.accepted, result.quarantined) == (1, 2)
    reasons = {row[1]: (row[3], row[4]) for row in quarantined(two_trainers)}
    assert reasons["c1"] == ("not_your_client", "client_id 'c1' is not one of your clients")
    assert reasons["ghost"] == ("not_your_client", "client_id 'ghost' is not one of your clients")


def test_list_filters_by_run_and_client(two_trainers):
    first = ingest_file(two_trainers, OWNER, csv_bytes([checkin(client_id="x1")]), file_name="1.csv")
    ingest_file(two_trainers, OWNER, csv_bytes([checkin(client_id="c2", mood="9")]), file_name="2.csv")
    assert [row["client_id"] for row in list_quarantine(two_trainers, OWNER)] == ["x1", "c2"]
    assert [row["client_id"] for row in list_quarantine(two_trainers, OWNER, run_id=first.run_id)] == ["x1"]
    assert [row["client_id"] for row in list_quarantine(two_trainers, OWNER, client_ids={"c2"})] == ["c2"]
    row = list_quarantine(two_trainers, OWNER, client_ids={"c2"})[0]
    assert row["file_name"] == "2.csv" and row["raw_row"]["mood"] == "9"


def test_retry_stores_rows_that_pass_now_and_keeps_the_rest(two_trainers):
    rows = [checkin(client_id="newbie"), checkin(client_id="newbie", checkin_date="2026-11-18", mood="0")]
    first = ingest_file(two_trainers, OWNER, csv_bytes(rows), file_name="r.csv")
    assert first.quarantined == 2
    people.add_client(two_trainers, OWNER, "newbie", "New Bie", "sam")
    result = retry_quarantine(two_trainers, OWNER)
    assert (result.retried, result.accepted, result.quarantined) == (2, 1, 1)
    assert two_trainers.execute("select client_id, checkin_date::text from check_ins").fetchall() == [("newbie", "2026-11-19")]
    left = list_quarantine(two_trainers, OWNER)
    assert [(row["line_number"], row["rule"]) for row in left] == [(2, "out_of_range")]
    resolved = list_quarantine(two_trainers, OWNER, include_resolved=True)[0]
    assert resolved["resolved_by_run"] == result.run_ids[0] and resolved["resolved_at"] is not None
    assert two_trainers.execute("select count(*) filter (where has_checkin) from client_day_load where client_id = 'newbie'").fetchone() == (1,)
    again = retry_quarantine(two_trainers, OWNER)
    assert (again.retried, again.accepted, again.quarantined) == (1, 0, 1)


def test_retry_keeps_a_superseded_duplicate_held_back_while_the_later_line_is_stored(two_trainers):
    rows = [checkin(soreness_quads="1"), checkin(soreness_quads="5")]
    ingest_file(two_trainers, OWNER, csv_bytes(rows), file_name="d.csv")
    result = retry_quarantine(two_trainers, OWNER)
    assert (result.retried, result.accepted, result.updated, result.quarantined) == (1, 0, 0, 1)
    assert two_trainers.execute("select soreness_quads from check_ins").fetchone() == (5,)
    assert "submitted again later (run 1 line 2)" in list_quarantine(two_trainers, OWNER)[0]["reason"]


def test_retry_of_a_form_mapping_row_uses_the_mapping(con):
    from tests.test_ingest_formats import SAMPLES

    people.add_trainer(con, OWNER, "sam", "Sam", "trainer-pass-1")
    people.import_clients(con, OWNER, (SAMPLES / "clients.csv").read_text(encoding="utf-8"))
    ingest_file(con, OWNER, SAMPLES / "form_export.csv", file_name="form_export.csv", mapping="google_forms")
    people.add_client(con, OWNER, "zoe", "Zoe", "sam")
    result = retry_quarantine(con, OWNER)
    assert (result.accepted, result.quarantined) == (1, 0)
    row = con.execute("select soreness_quads, session_type, ate_recovery_meal from check_ins where client_id = 'zoe'").fetchone()
    assert row == (3, "legs", True)


@pytest.mark.parametrize("order", [(1, 2), (2, 1)])
def test_retry_keeps_the_later_submission_whatever_order_runs_are_retried_in(two_trainers, order):
    ingest_file(two_trainers, OWNER, csv_bytes([checkin(client_id="newbie", soreness_quads="1")]), file_name="early.csv")
    ingest_file(two_trainers, OWNER, csv_bytes([checkin(client_id="newbie", soreness_quads="5")]), file_name="late.csv")
    people.add_client(two_trainers, OWNER, "newbie", "New Bie", "sam")
    for run_id in order:
        retry_quarantine(two_trainers, OWNER, run_id=run_id)
    assert two_trainers.execute("select soreness_quads, source_run from check_ins").fetchall() == [(5, 2)]
    left = list_quarantine(two_trainers, OWNER)
    if order == (1, 2):  # stored, then replaced by the later one: its version is in the history
        assert left == []
        assert two_trainers.execute("select soreness_quads from check_in_history").fetchall() == [(1,)]
    else:  # never stored: it stays held back, naming the submission kept
        assert [(row["run_id"], row["rule"]) for row in left] == [(1, "duplicate_key")]
        assert "submitted again later (run 2 line 1)" in left[0]["reason"]


def test_a_stored_check_in_without_a_run_is_replaced_by_a_file_row(two_trainers):
    """A check-in stored with no run (before ingest runs were kept, or by another tool)
    has no known submission order: a file's row for its day replaces it, the old version
    goes to the history, and nothing is held back. Before, the file's row was held back as
    superseded with an empty reason, which the quarantine refused: the whole import failed."""
    ingest_file(two_trainers, OWNER, csv_bytes([checkin(soreness_quads="1")]), file_name="old.csv")
    two_trainers.execute("update check_ins set run_id = null, source_run = null, source_line = null")
    result = ingest_file(two_trainers, OWNER, csv_bytes([checkin(soreness_quads="5")]), file_name="new.csv")
    assert (result.accepted, result.updated, result.quarantined) == (0, 1, 0)
    assert two_trainers.execute("select soreness_quads from check_ins").fetchall() == [(5,)]
    assert two_trainers.execute("select soreness_quads from check_in_history").fetchall() == [(1,)]
