"""A pain report is never hidden, whichever way the check-in came in (issue 10 item 3)."""

from __future__ import annotations

import json

import pytest

from pipelines import metrics
from pipelines.ingest import ingest_file, list_quarantine, retry_quarantine
from tests.helpers.ingest_fixtures import checkin, csv_bytes, google_forms_bytes
from tests.helpers.viewers import OWNER

HELD_BACK = "Pain reported in a held-back check-in on 2026-11-19"


def file_for(kind: str, rows: list[dict]) -> tuple[bytes, str | None]:
    if kind == "csv":
        return csv_bytes(rows), None
    if kind == "jsonl":
        return "".join(json.dumps(row) + "\n" for row in rows).encode("utf-8"), None
    return google_forms_bytes(rows), "google_forms"


KINDS = ["csv", "jsonl", "google_forms"]


@pytest.mark.parametrize("kind", KINDS)
def test_pain_in_words_is_stored_as_pain_with_its_words_in_the_notes(two_trainers, kind):
    data, mapping = file_for(kind, [checkin(pain="yes - left knee", notes="slept badly")])
    assert ingest_file(two_trainers, OWNER, data, file_name=f"p.{kind}", mapping=mapping).accepted == 1
    pain, notes = two_trainers.execute("select pain, notes from check_ins where client_id = 'c2'").fetchone()
    assert pain is True and notes == "slept badly · Pain: yes - left knee"
    status = metrics.client_status(two_trainers, OWNER, "c2")
    assert status["status"] == "rest"


@pytest.mark.parametrize("kind", KINDS)
def test_a_held_back_check_in_that_reports_pain_is_on_the_roster_and_client_page(two_trainers, kind):
    data, mapping = file_for(kind, [checkin(checkin_date="2026-11-18"), checkin(mood="x", pain="yes - left knee")])
    if kind == "google_forms":  # the form's timestamp is its day; give the rows their own
        data = data.replace(b"2026/11/19 9:00:00 AM", b"2026/11/18 9:00:00 AM", 1)
    result = ingest_file(two_trainers, OWNER, data, file_name=f"p.{kind}", mapping=mapping)
    assert (result.accepted, result.quarantined) == (1, 1)
    held = list_quarantine(two_trainers, OWNER)[0]
    assert held["rule"] == "unreadable" and "mood" in held["reason"]
    row = metrics.roster(two_trainers, OWNER).set_index("client_id").loc["c2"]
    assert row["status"] == "rest" and list(row["reasons"])[0] == HELD_BACK
    assert list(metrics.client_status(two_trainers, OWNER, "c2")["reasons"])[0] == HELD_BACK


def test_held_back_pain_yields_to_a_later_stored_check_in_and_to_a_successful_retry(two_trainers):
    ingest_file(two_trainers, OWNER, csv_bytes([checkin(checkin_date="2026-11-18", mood="x", pain="knee")]), file_name="a.csv")
    assert list(metrics.client_status(two_trainers, OWNER, "c2")["reasons"])[0] == HELD_BACK.replace("19", "18")
    ingest_file(two_trainers, OWNER, csv_bytes([checkin(pain="no")]), file_name="b.csv")
    status = metrics.client_status(two_trainers, OWNER, "c2")
    assert not any("held-back" in reason for reason in status["reasons"])
    assert status["status"] != "rest" or "Pain" not in " ".join(status["reasons"])


def test_a_row_without_a_known_client_cannot_be_attached_but_stays_listed_with_its_pain(two_trainers):
    ingest_file(two_trainers, OWNER, csv_bytes([checkin(client_id="ghost", pain="yes")]), file_name="g.csv")
    assert two_trainers.execute("select client_id, pain, checkin_date::text from quarantine").fetchall() == [
        ("ghost", True, "2026-11-19")
    ]
    assert retry_quarantine(two_trainers, OWNER).quarantined == 1
