"""Tidy failures: no upload left in a scratch folder, no server path or process id shown to
dashboard users, no control character from stored data reaching the terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.commands.common import printable
from pipelines.ingest import IngestRefused, ingest_file
from pipelines.ingest.scratch import PREFIX, sweep
from tests.helpers.viewers import OWNER

ROOT = Path(__file__).resolve().parent.parent
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
runner = CliRunner()
CHECKINS = (
    "client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves,"
    "sleep_hours,sleep_quality,energy,stress,mood\nc2,2026-11-19,1,1,1,1,7,3,3,3,3\n"
)
# An ingest killed after the upload is in its scratch folder and before it ends.
KILLED_CHILD = """
import os, signal, sys
from pipelines import db
from pipelines.access import COMMAND_LINE
from pipelines.ingest import ingest_file, staging
staging.csv_stage = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
ingest_file(db.connect(sys.argv[1]), COMMAND_LINE, sys.argv[2].encode(), file_name="killed.csv")
"""


@pytest.fixture
def scratch_root(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def leftovers(root: Path) -> list[Path]:
    return sorted(root.glob(f"{PREFIX}*"))


def test_a_killed_ingest_leaves_nothing_past_the_next_ingest(two_trainers, scratch_root, tmp_path):
    killed = tmp_path / "killed.duckdb"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, str(killed), CHECKINS], cwd=ROOT,
        env={**os.environ, "TMPDIR": str(scratch_root)}, stderr=subprocess.PIPE, text=True,
    )
    assert child.wait(120) == -9, child.stderr.read()
    assert [folder.name.removeprefix(PREFIX).partition("-")[0] for folder in leftovers(scratch_root)] == [
        str(child.pid)
    ]
    assert any(folder.joinpath("input").exists() for folder in leftovers(scratch_root))
    assert ingest_file(two_trainers, OWNER, CHECKINS.encode(), file_name="next.csv").accepted == 1
    assert leftovers(scratch_root) == []


def test_every_ending_of_an_ingest_removes_its_scratch_folder(two_trainers, scratch_root):
    assert ingest_file(two_trainers, OWNER, CHECKINS.encode(), file_name="ok.csv").accepted == 1
    with pytest.raises(IngestRefused):
        ingest_file(two_trainers, OWNER, b"client_id,checkin_date\n\"open quote,2026-11-19\n", file_name="bad.csv")
    assert leftovers(scratch_root) == []


def test_a_running_process_keeps_its_scratch_folder(scratch_root):
    """The sweep removes only folders of processes that ended, never a live ingest's."""
    live = scratch_root / f"{PREFIX}{os.getppid()}-abc"
    live.mkdir()
    mine = scratch_root / f"{PREFIX}{os.getpid()}-def"
    mine.mkdir()
    assert sweep() == 0
    assert leftovers(scratch_root) == sorted([live, mine])


ESCAPES = "\x1b[2J\x1b]0;owned\x07\x9b31m"


def test_control_characters_from_stored_rows_are_escaped_in_cli_output(two_trainers, tmp_path):
    """A held-back row whose client id, notes and file name carry terminal escape sequences
    prints them as visible escapes in `legday quarantine list`, `legday ingest` and `legday roster`."""
    two_trainers.execute("update clients set name = ? where client_id = 'c2'", [f"Bo{ESCAPES}\r"])
    two_trainers.close()
    upload = tmp_path / f"week{ESCAPES[:4]}.csv"
    upload.write_text(CHECKINS + f"zed{ESCAPES},2026-11-19,1,1,1,1,7,3,3,3,3\n", newline="")
    outputs = [runner.invoke(app, args) for args in (
        ["ingest", str(upload)], ["quarantine", "list"], ["roster", "--trainer", "sam"],
    )]
    assert [result.exit_code for result in outputs] == [0, 0, 0], [result.output for result in outputs]
    for result in outputs:
        assert not CONTROL.search(result.output.replace("\n", "")), repr(result.output)
    listed = outputs[1].output
    assert "zed\\x1b[2J\\x1b]0;owned\\x07\\x9b31m" in listed and "week\\x1b[2J" in listed
    assert "Bo\\x1b" in outputs[2].output


def test_printable_escapes_controls_and_keeps_the_rest():
    assert printable("a\x1bb\tc\u00e9\u202e\x7f") == "a\\x1bb\\tc\u00e9\u202e\\x7f"
