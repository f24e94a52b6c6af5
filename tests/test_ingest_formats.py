"""Each input format and encoding goes through the same path to the same rows."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

from pipelines import people
from pipelines.ingest import ingest_file, list_mappings
from tests.helpers.ingest_fixtures import checkin, csv_bytes, csv_text
from tests.helpers.viewers import OWNER

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def stored(con, client_id="c2", day="2026-11-19"):
    cursor = con.execute(
        "select * from check_ins where client_id = ? and checkin_date = ?", [client_id, day]
    )
    names = [column[0] for column in cursor.description]
    found = cursor.fetchone()
    return dict(zip(names, found, strict=True)) if found else None


def test_canonical_csv_is_stored_typed(two_trainers):
    result = ingest_file(two_trainers, OWNER, csv_bytes([checkin()]), file_name="a.csv")
    assert (result.accepted, result.quarantined, result.encoding) == (1, 0, "utf-8")
    row = stored(two_trainers)
    assert row["soreness_quads"] == 3 and row["sleep_hours"] == 7.5 and row["ate_recovery_meal"] is True
    assert row["session_type"] == "legs" and row["session_minutes"] == 60 and row["pain"] is False
    assert row["notes"] is None and row["run_id"] == result.run_id
    load = two_trainers.execute("select load from client_day_load where client_id = 'c2'").fetchall()
    assert load == [(420.0,)] + [(0.0,)] * 29  # then the days until every window has settled


def test_json_lines_accepts_native_json_values(two_trainers):
    lines = [
        {**checkin(), "soreness_quads": 7.0, "sleep_hours": 6, "pain": True, "ate_recovery_meal": None},
        {**checkin(checkin_date="2026-11-18T07:15:00+01:00"), "session_rpe": 5},
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    result = ingest_file(two_trainers, OWNER, data, file_name="a.jsonl")
    assert (result.accepted, result.quarantined) == (2, 0)
    assert stored(two_trainers)["soreness_quads"] == 7 and stored(two_trainers)["pain"] is True
    assert stored(two_trainers, day="2026-11-18")["session_rpe"] == 5
    assert two_trainers.execute("select source from ingest_runs").fetchone() == ("jsonl",)


def test_google_forms_sample_with_one_bad_row(con):
    people.add_trainer(con, OWNER, "sam", "Sam", "trainer-pass-1")
    people.import_clients(con, OWNER, (SAMPLES / "clients.csv").read_text(encoding="utf-8"))
    result = ingest_file(con, OWNER, SAMPLES / "form_export.csv", file_name="form_export.csv", mapping="google_forms")
    assert (result.accepted, result.quarantined, result.warnings) == (11, 1, [])
    ana = stored(con, "ana", "2026-11-18")
    assert ana["soreness_quads"] == 7 and ana["session_type"] == "none" and ana["ate_recovery_meal"] is False
    assert ana["notes"] == "Stairs were hard 😅"
    dmitri = stored(con, "dmitri", "2026-11-18")
    assert (dmitri["session_type"], dmitri["session_minutes"], dmitri["pain"]) == ("legs", 70, True)
    bad = con.execute("select line_number, client_id, rule from quarantine").fetchall()
    assert bad == [(12, "zoe", "unknown_client")]
    source, mapping = con.execute("select source, mapping from ingest_runs").fetchone()
    assert (source, json.loads(mapping)["name"]) == ("form", "google_forms")


def test_sample_files_all_ingest_cleanly(con):
    people.add_trainer(con, OWNER, "sam", "Sam", "trainer-pass-1")
    people.import_clients(con, OWNER, (SAMPLES / "clients.csv").read_text(encoding="utf-8"))
    for name in ("checkins.csv", "checkins.jsonl"):
        result = ingest_file(con, OWNER, SAMPLES / name, file_name=name)
        assert result.quarantined == 0 and result.accepted > 0 and result.warnings == []
    assert stored(con, "emi", "2026-11-12")["notes"] == "ふくらはぎが張っている"
    assert list_mappings() == ["garmin_activities", "google_forms", "sessions", "strava_activities"]


def test_google_sheets_timestamps_in_either_order_and_an_ambiguous_one_held_back(con):
    people.add_trainer(con, OWNER, "sam", "Sam", "trainer-pass-1")
    people.import_clients(con, OWNER, (SAMPLES / "clients.csv").read_text(encoding="utf-8"))
    text = (SAMPLES / "form_export.csv").read_text(encoding="utf-8").splitlines()
    header, first = text[0], text[1]
    sheets = first.replace("2026/11/17 7:42:10 AM GMT+1", "11/17/2026 7:42:10")
    european = first.replace("2026/11/17 7:42:10 AM GMT+1", "17/11/2026 7:42:10").replace(",ana,", ",ben,")
    either = first.replace("2026/11/17 7:42:10 AM GMT+1", "03/11/2026 7:42:10").replace(",ana,", ",chloe,")
    data = "\n".join([header, sheets, european, either]).encode()
    result = ingest_file(con, OWNER, data, file_name="f.csv", mapping="google_forms")
    assert (result.accepted, result.quarantined) == (2, 1)
    assert stored(con, "ana", "2026-11-17") is not None and stored(con, "ben", "2026-11-17") is not None
    assert con.execute("select line_number, rule from quarantine").fetchall() == [(3, "ambiguous_date")]


def test_utf8_bom_semicolon_crlf_and_decimal_comma(two_trainers):
    text = csv_text([checkin(sleep_hours="7,5", soreness_quads="4,0")], delimiter=";", newline="\r\n")
    result = ingest_file(two_trainers, OWNER, codecs.BOM_UTF8 + text.encode(), file_name="excel.csv")
    assert (result.accepted, result.encoding) == (1, "utf-8-sig")
    assert stored(two_trainers)["sleep_hours"] == 7.5 and stored(two_trainers)["soreness_quads"] == 4


def test_utf16_with_bom(two_trainers):
    data = csv_text([checkin(notes="Ñandú über Straße")]).encode("utf-16")
    result = ingest_file(two_trainers, OWNER, data, file_name="u16.csv")
    assert (result.accepted, result.encoding) == (1, "utf-16")
    assert stored(two_trainers)["notes"] == "Ñandú über Straße"


def test_windows_1252_is_read_with_a_warning(two_trainers):
    data = csv_text([checkin(notes="café – 5 km")]).encode("windows-1252")
    result = ingest_file(two_trainers, OWNER, data, file_name="excel.csv")
    assert result.encoding == "windows-1252" and result.accepted == 1
    assert any("Windows-1252" in warning for warning in result.warnings)
    assert stored(two_trainers)["notes"] == "café – 5 km"


def test_unicode_client_ids_and_nfc_notes(two_trainers):
    people.add_client(two_trainers, OWNER, "zoë", "Zoë Ŋgata", "sam")
    decomposed = "Zoe\u0308 felt great"
    rows = [checkin(client_id="zoe\u0308", notes=decomposed)]
    result = ingest_file(two_trainers, OWNER, csv_bytes(rows), file_name="u.csv")
    assert result.accepted == 1
    assert stored(two_trainers, "zoë")["notes"] == "Zoë felt great"


def test_headers_and_enums_are_trimmed_and_case_insensitive(two_trainers):
    header = [f"  {name.upper()} " for name in checkin()]
    rows = [checkin(session_type=" Full Body ", pain=" Y ", ate_recovery_meal="No", energy=" 5 ")]
    result = ingest_file(two_trainers, OWNER, csv_bytes(rows, header=header), file_name="h.csv")
    assert result.accepted == 1
    row = stored(two_trainers)
    assert (row["session_type"], row["pain"], row["ate_recovery_meal"], row["energy"]) == ("full_body", True, False, 5)


def test_optional_columns_may_be_missing_and_unknown_ones_warn(two_trainers):
    required = ["client_id", "checkin_date", "soreness_quads", "soreness_hamstrings", "soreness_glutes",
                "soreness_calves", "sleep_hours", "sleep_quality", "energy", "stress", "mood"]
    rows = [{**checkin(), "favourite_colour": "teal"}]
    result = ingest_file(two_trainers, OWNER, csv_bytes(rows, header=required + ["favourite_colour"]), file_name="m.csv")
    assert result.accepted == 1
    assert result.warnings == ["ignored unknown column(s): favourite_colour"]
    row = stored(two_trainers)
    assert (row["session_type"], row["session_minutes"], row["pain"], row["water_liters"]) == ("none", 0, False, None)


def test_header_only_file_is_ingested_with_zero_rows(two_trainers):
    result = ingest_file(two_trainers, OWNER, csv_bytes([]), file_name="empty.csv")
    assert (result.accepted, result.quarantined, result.run_id is not None) == (0, 0, True)
    assert "no data rows" in result.warnings[0]


def test_line_numbers_follow_the_file_order_in_large_files(two_trainers):
    rows = [checkin(checkin_date="2026-11-19", soreness_quads=str(i % 11)) for i in range(30_000)]
    rows[25_000] = checkin(soreness_quads="99")
    result = ingest_file(two_trainers, OWNER, csv_bytes(rows), file_name="big.csv")
    assert (result.accepted, result.quarantined) == (1, 29_999)
    assert stored(two_trainers)["soreness_quads"] == 29_999 % 11
    assert two_trainers.execute(
        "select line_number from quarantine where rule = 'out_of_range'"
    ).fetchall() == [(25_001,)]


def test_line_numbers_stay_in_file_order_across_row_groups_and_read_buffers(two_trainers, tmp_path):
    # 300k records (~20 MB) span several DuckDB row groups and parallel CSV read chunks.
    path = tmp_path / "huge.csv"
    two_trainers.execute(
        f"""
        copy (
            select
                'c' || (1 + i % 2) as client_id,
                date '2026-11-20' - (i // 2)::int as checkin_date,
                if(i in (150_000, 299_999), 11, i % 11) as soreness_quads,
                1 as soreness_hamstrings, 2 as soreness_glutes, 3 as soreness_calves, 7.5 as sleep_hours,
                4 as sleep_quality, 4 as energy, 3 as stress, 4 as mood,
                if(i = 9, 'first of two', 'ok') as notes
            from range(300_000) as numbers(i)
            union all
            select 'c2', date '2026-11-16', 5, 1, 2, 3, 7.5, 4, 4, 3, 4, 'second of two'
        ) to '{path}' (header, delimiter ',')
        """  # noqa: S608 - test path
    )
    result = ingest_file(two_trainers, OWNER, path, file_name="huge.csv")
    assert (result.accepted, result.quarantined) == (299_998, 3)
    assert two_trainers.execute(
        "select line_number, rule, reason from quarantine order by line_number"
    ).fetchall() == [
        (10, "duplicate_key", "client c2 on 2026-11-16 appears again on line 300001, which replaced this row"),
        (150_001, "out_of_range", "soreness_quads must be between 0 and 10, got 11"),
        (300_000, "out_of_range", "soreness_quads must be between 0 and 10, got 11"),
    ]
    assert two_trainers.execute(
        "select notes from check_ins where client_id = 'c2' and checkin_date = '2026-11-16'"
    ).fetchone() == ("second of two",)
