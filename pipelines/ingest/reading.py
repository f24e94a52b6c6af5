"""From file bytes to decoded text: size limit, encoding, format and header."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.outcome import IngestRefused

HEADER_SAMPLE_CHARS = 1_000_000


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str]


def read_limited(data: bytes | Path, file_name: str, max_mb: int) -> bytes:
    """The file's bytes, refused before reading when larger than the limit."""
    limit = max_mb * 1024 * 1024
    size = data.stat().st_size if isinstance(data, Path) else len(data)
    if size > limit:
        raise IngestRefused(
            f"{file_name}: file is {size / 1024 / 1024:.1f} MB, larger than the {max_mb} MB limit "
            "(LEGDAY_MAX_FILE_MB)"
        )
    return data.read_bytes() if isinstance(data, Path) else bytes(data)


def decode(raw: bytes, file_name: str) -> Decoded:
    """UTF-8 (BOM allowed), UTF-16 with a BOM, else Windows-1252 with a warning."""
    warnings: list[str] = []
    try:
        if raw.startswith(codecs.BOM_UTF8):
            text, encoding = raw[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text, encoding = raw.decode("utf-16"), "utf-16"
        else:
            try:
                text, encoding = raw.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text, encoding = raw.decode("windows-1252"), "windows-1252"
                warnings.append("the file is not valid UTF-8; it was read as Windows-1252 (Excel)")
    except UnicodeDecodeError:
        raise IngestRefused(
            f"{file_name}: unreadable encoding (expected UTF-8, UTF-16 with a BOM or Windows-1252)"
        ) from None
    if "\x00" in text:
        raise IngestRefused(f"{file_name}: unreadable encoding (the file contains NUL bytes)")
    if not text or text.isspace():  # strip() would copy the whole file
        raise IngestRefused(f"{file_name}: the file is empty")
    return Decoded(text, encoding, warnings)


def is_json_lines(text: str) -> bool:
    return text.lstrip()[:1] == "{"


def csv_header(text: str) -> tuple[list[str], str]:
    """The header record and the delimiter (comma or semicolon, whichever splits it more)."""
    sample = text[:HEADER_SAMPLE_CHARS]
    best: tuple[list[str], str] = ([], ",")
    for delimiter in (",", ";"):
        try:
            header = next(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=True), [])
        except csv.Error:
            continue
        if len(header) > len(best[0]):
            best = (header, delimiter)
    return best
