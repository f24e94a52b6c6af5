"""The Import page's preview reads a file exactly as the ingest pipeline will."""

from __future__ import annotations

import codecs

import pytest

from dashboard.import_flow import PREVIEW_LINES, preview

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
