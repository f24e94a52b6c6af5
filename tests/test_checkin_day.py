"""The day a form submission is for: its time zone and the day boundary (issue 10 item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.ingest import ingest_file, list_quarantine
from pipelines.settings import get_settings
from tests.helpers.ingest_fixtures import checkin, google_forms_bytes
from tests.helpers.viewers import OWNER


def stored(con) -> list[tuple]:
    return con.execute(
        "select checkin_date::text, soreness_quads from check_ins where client_id = 'c2' order by checkin_date"
    ).fetchall()


def test_a_late_night_check_in_counts_for_the_day_before_and_the_morning_one_for_its_day(two_trainers):
    rows = [
        checkin(timestamp="2026/11/19 12:20:00 AM GMT+1", soreness_quads="4"),
        checkin(timestamp="2026/11/19 7:40:00 AM GMT+1", soreness_quads="6"),
    ]
    result = ingest_file(two_trainers, OWNER, google_forms_bytes(rows), file_name="f.csv", mapping="google_forms")
    assert (result.accepted, result.quarantined) == (2, 0)
    assert stored(two_trainers) == [("2026-11-18", 4), ("2026-11-19", 6)]


def test_a_correction_20_minutes_later_replaces_the_first_and_the_first_stays_retryable(two_trainers):
    rows = [
        checkin(timestamp="2026/11/19 7:40:00 AM GMT+1", soreness_quads="4"),
        checkin(timestamp="2026/11/19 8:00:00 AM GMT+1", soreness_quads="5"),
    ]
    ingest_file(two_trainers, OWNER, google_forms_bytes(rows), file_name="f.csv", mapping="google_forms")
    assert stored(two_trainers) == [("2026-11-19", 5)]
    held = list_quarantine(two_trainers, OWNER)
    assert [(row["line_number"], row["rule"]) for row in held] == [(1, "duplicate_key")]


@pytest.mark.parametrize(
    ("zone", "boundary", "timestamp", "day"),
    [
        ("Europe/London", None, "2026/11/19 4:20:00 AM GMT+1", "2026-11-18"),  # 03:20 in London
        ("Europe/Berlin", None, "2026/11/19 4:20:00 AM GMT+1", "2026-11-19"),
        ("Asia/Tokyo", None, "2026/11/18 11:30:00 PM GMT+1", "2026-11-19"),  # 07:30 in Tokyo
        (None, "00:00", "2026/11/19 12:20:00 AM GMT+1", "2026-11-19"),
        (None, "06:00", "2026/11/19 5:59:00 AM", "2026-11-18"),
    ],
)
def test_the_practice_time_zone_and_boundary_decide_the_day(two_trainers, monkeypatch, zone, boundary, timestamp, day):
    if zone:
        monkeypatch.setenv("LEGDAY_TIMEZONE", zone)
    if boundary:
        monkeypatch.setenv("LEGDAY_DAY_BOUNDARY", boundary)
    get_settings.cache_clear()
    ingest_file(two_trainers, OWNER, google_forms_bytes([checkin(timestamp=timestamp)]), file_name="f.csv", mapping="google_forms")
    assert [row[0] for row in stored(two_trainers)] == [day]


def test_a_mapping_given_as_a_file_and_the_same_bytes_with_another_mapping_are_new_ingests(two_trainers, tmp_path):
    from pipelines.ingest.mappings import MAPPINGS_DIR

    data = google_forms_bytes([checkin(soreness_quads="4")])
    first = ingest_file(two_trainers, OWNER, data, file_name="f.csv", mapping="google_forms")
    assert ingest_file(two_trainers, OWNER, data, file_name="f.csv", mapping="google_forms").already_ingested
    fixed = tmp_path / "fixed.json"
    fixed.write_text((MAPPINGS_DIR / "google_forms.json").read_text(encoding="utf-8"), encoding="utf-8")
    again = ingest_file(two_trainers, OWNER, data, file_name="f.csv", mapping=str(fixed))
    assert not again.already_ingested and again.run_id != first.run_id and again.unchanged == 1


def docs_day_table() -> list[tuple[str, str | None, str | None, str | None, str]]:
    docs = Path(__file__).resolve().parent.parent / "docs" / "ingestion.md"
    table = docs.read_text(encoding="utf-8").split("<!-- day-table -->")[1].split("<!-- /day-table -->")[0]
    rows = []
    for line in table.strip().splitlines()[2:]:
        sent, zone, boundary, mapping_zone, day = (cell.strip().strip("`") for cell in line.strip("|").split("|"))
        rows.append((sent, *(None if cell == "-" else cell for cell in (zone, boundary, mapping_zone)), day))
    return rows


@pytest.mark.parametrize(("sent", "zone", "boundary", "mapping_zone", "day"), docs_day_table())
def test_the_docs_day_table_is_the_day_an_ingest_stores(
    two_trainers, monkeypatch, tmp_path, sent, zone, boundary, mapping_zone, day
):
    for name, value in (("LEGDAY_TIMEZONE", zone), ("LEGDAY_DAY_BOUNDARY", boundary)):
        if value:
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    mapping = "google_forms"
    if mapping_zone:
        mapping = str(tmp_path / "zoned.json")
        Path(mapping).write_text(json.dumps({"extends": "google_forms", "fields": {"checkin_date": {"timezone": mapping_zone}}}))
    result = ingest_file(two_trainers, OWNER, google_forms_bytes([checkin(timestamp=sent)]), file_name="f.csv", mapping=mapping)
    assert (result.accepted, result.quarantined) == (1, 0)
    assert [row[0] for row in stored(two_trainers)] == [day]
