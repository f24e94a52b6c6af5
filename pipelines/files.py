"""One atomic, durable file write for exports, the privacy zip and backups.

The data goes to a temporary file next to the target, is flushed to disk (fsync), and
is renamed over the target; the folder entry is flushed too. A failure at any step
leaves the old target (or none) and no temporary file: never half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _fsync(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def replace_durably(staged: Path, target: Path) -> None:
    """Flush a finished file to disk and rename it over `target` (same folder)."""
    _fsync(staged)
    os.replace(staged, target)
    _fsync(target.parent)


def write_atomic(out: Path, data: bytes) -> Path:
    """Write `data` to `out` all or nothing."""
    out = Path(out)
    handle, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
        replace_durably(Path(temp_name), out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return out
