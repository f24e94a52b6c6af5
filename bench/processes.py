"""What the ingest benchmarks share: a database ready for an import, and whole-process
timing: a command run as its own process, its
wall time, and its CPU time (user + system, all threads) and peak RSS as /usr/bin/time
reports them. Not os.wait4 on our own child: Linux carries a forked child's peak RSS
over from its parent's memory at the fork, so a child of this (large) process would
report at least this process's size."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEGDAY = [str(ROOT / ".venv" / "bin" / "legday")]

# The baseline: a fresh Python process that imports DuckDB and loads the file into a table
# of a new database file, nothing else.
BARE_LOAD = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "con.execute('create table bare as select * from read_csv(?)', [sys.argv[2]])\n"
    "con.close()\n"
)


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_mib: float
    stdout: str


def run(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Run argv to its end; raises with its stderr when it fails."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as usage:
        started = time.perf_counter()
        child = subprocess.run(  # noqa: S603 - our own commands
            ["/usr/bin/time", "-o", usage.name, "-f", "%U %S %M", *argv],
            capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False,
        )
        elapsed = time.perf_counter() - started
        if child.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {child.returncode}: {child.stderr[-2000:]}")
        user, system, peak_kib = usage.read().split()[-3:]
    return Run(elapsed, float(user) + float(system), int(peak_kib) / 1024, child.stdout)


def bare_load(csv_path: Path, db_path: Path) -> Run:
    """The baseline process: `create table … as select * from read_csv(…)` into a new file."""
    return run([sys.executable, "-c", BARE_LOAD, str(db_path), str(csv_path)])


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def prepared_database(path: Path, clients: int) -> None:
    """A legday database with the bench trainer and `clients` clients client00000, … (no
    history); each timed import goes into a copy of it."""
    from pipelines import db, people
    from pipelines.access import COMMAND_LINE as OWNER

    con = db.connect(path)
    people.add_trainer(con, OWNER, "bench", "Bench Trainer", "bench-password")
    roster = "client_id,name,trainer_id\n" + "".join(f"client{i:05d},Client {i},bench\n" for i in range(clients))
    people.import_clients(con, OWNER, roster)
    con.close()


def bench_environment(work_dir: Path, as_of: str) -> dict[str, str]:
    """The settings an import bench runs legday with (as-of date, no file-size cap below
    the test files, backups under `work_dir`), set in this process too and returned for
    its children."""
    env = {
        "LEGDAY_AS_OF": as_of,
        "LEGDAY_MAX_FILE_MB": "1000",
        "LEGDAY_BACKUP_DIR": str(work_dir / "backups"),
    }
    os.environ.update(env)
    return env
