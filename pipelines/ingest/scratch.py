"""Scratch folders for ingest: one per file, named after the process that made it.

A folder is removed when its ingest ends, whichever way it ends. A process killed mid-ingest
cannot remove its own, so every ingest first sweeps the folders of processes that no longer
run: a crash leaves nothing past the next ingest on the machine.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PREFIX = "legday-ingest-"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def sweep() -> int:
    """Remove scratch folders whose process has ended; returns how many were removed."""
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        pid = folder.name.removeprefix(PREFIX).partition("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


@contextmanager
def scratch_folder() -> Iterator[Path]:
    sweep()
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-") as folder:
        yield Path(folder)
