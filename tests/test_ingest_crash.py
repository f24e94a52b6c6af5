"""A killed ingest leaves all of the file or none of it, never part."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines import db, people
from tests.helpers.viewers import OWNER

ROWS = 200_000
CLIENTS = 200
ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import sys
from pathlib import Path
from pipelines import db
from pipelines.access import COMMAND_LINE
from pipelines.ingest import ingest_file
con = db.connect(sys.argv[1])
print("started", flush=True)
ingest_file(con, COMMAND_LINE, Path(sys.argv[2]), file_name="big.csv")
con.close()
print("finished", flush=True)
"""


def write_big_file(path: Path) -> None:
    import duckdb

    duckdb.execute(
        f"""
        copy (
            select 'k' || (i % {CLIENTS}) as client_id,
                date '2026-11-20' - (i // {CLIENTS})::int as checkin_date,
                i % 11 as soreness_quads, 1 as soreness_hamstrings, 2 as soreness_glutes,
                3 as soreness_calves, 7.5 as sleep_hours, 3 as sleep_quality, 3 as energy,
                3 as stress, 3 as mood, 'legs' as session_type, 45 as session_minutes,
                i % 10 as session_rpe
            from range({ROWS}) as numbers(i)
        ) to '{path}' (header)
        """  # noqa: S608 - test constants
    )


@pytest.mark.slow
def test_sigkill_during_ingest_leaves_all_or_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("LEGDAY_MAX_FILE_MB", "100")
    data = tmp_path / "big.csv"
    write_big_file(data)
    rng = random.Random(20261120)
    outcomes = []
    for attempt in range(4):
        path = tmp_path / f"crash{attempt}.duckdb"
        con = db.connect(path)
        people.add_trainer(con, OWNER, "t", "Trainer", "trainer-pass-1")
        roster = "client_id,name,trainer_id,since\n" + "".join(f"k{i},K {i},t,\n" for i in range(CLIENTS))
        people.import_clients(con, OWNER, roster)
        con.close()
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(data)],
            stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "LEGDAY_MAX_FILE_MB": "100"},
        )
        assert child.stdout.readline().strip() == "started"
        time.sleep(rng.uniform(0.05, 2.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        con = db.connect(path)
        stored = con.execute("select count(*) from check_ins").fetchone()[0]
        runs = con.execute("select count(*), coalesce(sum(accepted), 0) from ingest_runs").fetchone()
        days = con.execute("select count(*) from client_day_load").fetchone()[0]
        con.close()
        assert (stored, runs, days) in [(0, (0, 0), 0), (ROWS, (1, ROWS), ROWS + 29 * CLIENTS)]
        outcomes.append(stored)
    assert 0 in outcomes, "every attempt finished before the kill; the test proved nothing"
