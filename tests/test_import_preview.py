"""The Import page's preview reads a file exactly as the ingest pipeline will."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from dashboard.import_flow import PREVIEW_LINES, detect, preview
from pipelines.ingest.fields import FIELDS
from tests.helpers.ingest_fixtures import checkin, csv_bytes

HEADER = "client_id,checkin_date,notes"
ROW = "c2,2026-11-19,Zoë slept badly"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ((HEADER + "\n" + ROW).encode("utf-8"), f"{HEADER}\n{ROW}"),
        (codecs.BOM_UTF8 + (HEADER + "\r\n" + ROW).encode("utf-8"), f"{HEADER}\n{ROW}"),
        ((HEADER + "\n" + ROW).encode("utf-16"), f"{HEADER}\n{ROW}"),
        # Excel's Windows-1252 with an even number of bytes: the old preview read it as UTF-16
        ((HEADER + "\n" + ROW).encode("windows-1252"), f"{HEADER}\n{ROW}"),
        (b"", "upload.csv: the file is empty"),
        (b"client_id\x00,x\n", "upload.csv: unreadable encoding (the file contains NUL bytes)"),
    ],
    ids=["utf-8", "utf-8 BOM + CRLF", "utf-16", "windows-1252", "empty", "NUL bytes"],
)
def test_preview_decodes_like_the_ingest_pipeline(raw, shown):
    assert preview(raw, "upload.csv") == shown


def test_preview_shows_the_first_lines_only():
    text = "\n".join([HEADER] + [ROW] * 50)
    assert preview(text.encode("utf-8"), "big.csv").splitlines() == [HEADER] + [ROW] * (PREVIEW_LINES - 1)


SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


@pytest.mark.parametrize(
    ("name", "raw", "mapping"),
    [
        ("form_export.csv", (SAMPLES / "form_export.csv").read_bytes(), "google_forms"),
        ("checkins.csv", (SAMPLES / "checkins.csv").read_bytes(), None),
        ("checkins.jsonl", (SAMPLES / "checkins.jsonl").read_bytes(), None),
        ("semicolons.csv", csv_bytes([checkin()], delimiter=";"), None),
    ],
)
def test_the_import_page_chooses_the_mapping_the_header_fits_and_says_why(name, raw, mapping):
    found = detect(raw, name)
    assert found is not None and found.mapping == mapping
    assert found.reason.startswith("the header has all ")


@pytest.mark.parametrize(
    "raw",
    [
        b"Name,Score\nana,3\n",
        csv_bytes([checkin()], header=[field for field in FIELDS if field != "client_id"]),
        b"",
        b'{"broken\n',
    ],
    ids=["unrelated", "no client column", "empty", "broken JSON"],
)
def test_no_mapping_is_chosen_when_none_fits(raw):
    assert detect(raw, "f.csv") is None


def test_the_chosen_mapping_reads_the_most_of_the_header():
    header = ",".join(FIELDS)
    assert detect(f"{header}\n".encode(), "f.csv").reason == (
        f"the header has all 11 of its required columns ({len(FIELDS)} of its {len(FIELDS)})"
    )
