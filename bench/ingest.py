"""Ingest a generated 1M-row canonical CSV and compare with a bare DuckDB read_csv load.

Usage: .venv/bin/python bench/ingest.py [--rows 1000000] [--clients 1000] [--runs 3] [--profile]
Prints rows/s for both and the ratio of the medians (target: ingest time <= 1.5x the bare
load), and the bare load into legday's own check_ins table (primary key and CHECKs, nothing
else), the floor any ingest that stores check-ins starts from. Both load the same file, with the OS cache warmed first, into a fresh DuckDB file
on disk; each is run --runs times, alternating. The machine load is printed with the
figures, since the machine may be shared. --profile adds a per-statement breakdown of
one more ingest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AS_OF = dt.date(2026, 11, 20)


def write_csv(path: Path, rows: int, clients: int) -> None:
    days = -(-rows // clients)
    duckdb.execute(
        f"""
        copy (
            select
                'client' || lpad((i % $clients)::text, 5, '0') as client_id,
                ($as_of::date - (i // $clients)::int) as checkin_date,
                hash(i, 1) % 11 as soreness_quads,
                hash(i, 2) % 11 as soreness_hamstrings,
                hash(i, 3) % 11 as soreness_glutes,
                hash(i, 4) % 11 as soreness_calves,
                round(4 + (hash(i, 5) % 80) / 10, 1) as sleep_hours,
                1 + hash(i, 6) % 5 as sleep_quality,
                1 + hash(i, 7) % 5 as energy,
                1 + hash(i, 8) % 5 as stress,
                1 + hash(i, 9) % 5 as mood,
                round((hash(i, 10) % 40) / 10, 1) as water_liters,
                hash(i, 11) % 2 = 0 as ate_recovery_meal,
                if(hash(i, 12) % 3 = 0, 'none', 'legs') as session_type,
                if(hash(i, 12) % 3 = 0, 0, 30 + hash(i, 13) % 60) as session_minutes,
                if(hash(i, 12) % 3 = 0, 0, 1 + hash(i, 14) % 10) as session_rpe,
                false as pain,
                if(i % 50 = 0, 'felt fine, "good" day', null) as notes
            from range($rows) as numbers(i)
            where i // $clients < {days}
        ) to '{path}' (header, delimiter ',')
        """,  # noqa: S608 - bench paths are ours
        {"clients": clients, "as_of": AS_OF, "rows": rows},
    )


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


class TimedConnection:
    """Delegates to a DuckDB connection, adding each statement's time under its first words."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self.seconds: dict[str, float] = defaultdict(float)

    def execute(self, sql: str, *args):
        started = time.perf_counter()
        result = self._con.execute(sql, *args)
        label = " ".join(line.strip() for line in sql.strip().splitlines() if not line.strip().startswith("--"))
        self.seconds[label[:70]] += time.perf_counter() - started
        return result

    def __getattr__(self, name: str):
        return getattr(self._con, name)


def bare_load(csv_path: Path, db_path: Path) -> tuple[float, float]:
    con = duckdb.connect(str(db_path))
    started, cpu = time.perf_counter(), time.process_time()
    con.execute("create table check_ins_bare as select * from read_csv(?)", [str(csv_path)])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    con.close()
    return elapsed, cpu


def keyed_load(csv_path: Path, db_path: Path) -> tuple[float, float]:
    """The bare load into legday's own check_ins table (its primary key and CHECKs), no
    validation, quarantine or load state: the floor for anything that stores check-ins."""
    from pipelines import db
    from pipelines.ingest.fields import FIELDS

    con = db.connect(db_path)
    columns = ", ".join(FIELDS)
    started, cpu = time.perf_counter(), time.process_time()
    con.execute(f"insert into check_ins ({columns}) select {columns} from read_csv(?)", [str(csv_path)])  # noqa: S608
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    con.close()
    return elapsed, cpu


def legday_load(csv_path: Path, db_path: Path, clients: int, *, profile: bool = False):
    from pipelines import db, people
    from pipelines.access import COMMAND_LINE as OWNER
    from pipelines.ingest import ingest_file

    con = db.connect(db_path)
    people.add_trainer(con, OWNER, "bench", "Bench Trainer", "bench-password")
    roster = "client_id,name,trainer_id\n" + "".join(
        f"client{i:05d},Client {i},bench\n" for i in range(clients)
    )
    people.import_clients(con, OWNER, roster)
    marks: dict[str, float] = {}

    def progress(stage: str, step: int, steps: int, rows: int) -> None:
        marks[stage] = time.perf_counter()

    timed = TimedConnection(con) if profile else con
    started, cpu = time.perf_counter(), time.process_time()
    result = ingest_file(timed, OWNER, csv_path, file_name=csv_path.name, progress=progress)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    con.close()
    stages = list(marks.items())
    split = {name: stages[i + 1][1] - at for i, (name, at) in enumerate(stages[:-1])}
    return elapsed, cpu, result, split, getattr(timed, "seconds", {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="legday-bench-") as work:
        work_dir = Path(work)
        os.environ.update(
            LEGDAY_AS_OF=AS_OF.isoformat(),
            LEGDAY_MAX_FILE_MB="1000",
            LEGDAY_BACKUP_DIR=str(work_dir / "backups"),
        )
        csv_path = work_dir / "checkins.csv"
        write_csv(csv_path, args.rows, args.clients)
        size_mb = len(csv_path.read_bytes()) / 1024 / 1024  # also warms the OS cache
        print(f"load average before: {load()}")
        bare_times, bare_cpus, ingest_times, ingest_cpus, splits = [], [], [], [], []
        keyed_times = []
        for run in range(args.runs):
            elapsed, cpu = bare_load(csv_path, work_dir / f"bare{run}.duckdb")
            bare_times.append(elapsed)
            bare_cpus.append(cpu)
            keyed_times.append(keyed_load(csv_path, work_dir / f"keyed{run}.duckdb")[0])
            elapsed, cpu, result, split, _ = legday_load(csv_path, work_dir / f"legday{run}.duckdb", args.clients)
            ingest_times.append(elapsed)
            ingest_cpus.append(cpu)
            splits.append(split)
            for path in work_dir.glob(f"*{run}.duckdb*"):
                path.unlink()
        bare, ingest = statistics.median(bare_times), statistics.median(ingest_times)
        rows = result.accepted + result.quarantined
        print(f"file: {rows:,} rows, {size_mb:.0f} MB, {args.clients:,} clients; median of {args.runs} runs")
        print(f"bare read_csv into a table: {bare:6.2f} s  {rows / bare:12,.0f} rows/s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in bare_times)})")
        keyed = statistics.median(keyed_times)
        print(f"the same into check_ins:    {keyed:6.2f} s  {rows / keyed:12,.0f} rows/s  "
              f"= {keyed / bare:.2f}x bare: the primary key and CHECKs alone (the floor for any ingest)")
        print(f"legday ingest_file:         {ingest:6.2f} s  {rows / ingest:12,.0f} rows/s  "
              f"(runs: {', '.join(f'{t:.2f}' for t in ingest_times)})")
        stages = splits[0].keys()
        print("  stages (median): " + ", ".join(
            f"{name} {statistics.median(split[name] for split in splits):.2f} s" for name in stages
        ))
        print(f"ratio ingest / bare: {ingest / bare:.2f}x (target <= 1.5x)")
        bare_cpu, ingest_cpu = statistics.median(bare_cpus), statistics.median(ingest_cpus)
        print(f"CPU time (all threads): bare {bare_cpu:.2f} s, ingest {ingest_cpu:.2f} s, "
              f"ratio {ingest_cpu / bare_cpu:.2f}x (less sensitive to other processes)")
        print(f"result: {result.accepted:,} accepted, {result.quarantined:,} quarantined")
        print(f"load average after: {load()}")
        if args.profile:
            elapsed, _, _, _, seconds = legday_load(csv_path, work_dir / "profile.duckdb", args.clients, profile=True)
            print(f"profile of one more ingest ({elapsed:.2f} s; statements over 10 ms):")
            for label, spent in sorted(seconds.items(), key=lambda item: -item[1]):
                if spent >= 0.01:
                    print(f"  {spent:6.2f} s  {label}")


if __name__ == "__main__":
    main()
