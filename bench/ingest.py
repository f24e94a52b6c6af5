"""Ingest a generated 1M-row canonical CSV and compare with a bare DuckDB read_csv load.

Usage: .venv/bin/python bench/ingest.py [--rows 1000000] [--clients 1000]
Prints rows/s for both and the ratio (target: ingest time <= 1.5x the bare load).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
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


def bare_load(csv_path: Path, db_path: Path) -> float:
    con = duckdb.connect(str(db_path))
    started = time.perf_counter()
    con.execute("create table check_ins_bare as select * from read_csv(?)", [str(csv_path)])
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def legday_load(csv_path: Path, db_path: Path, clients: int) -> tuple[float, object, dict]:
    from pipelines import db, people
    from pipelines.ingest import ingest_file

    con = db.connect(db_path)
    people.add_trainer(con, "bench", "Bench Trainer", "bench-password")
    roster = "client_id,name,trainer_id\n" + "".join(
        f"client{i:05d},Client {i},bench\n" for i in range(clients)
    )
    people.import_clients(con, roster)
    marks: dict[str, float] = {}

    def progress(stage: str, step: int, steps: int, rows: int) -> None:
        marks[stage] = time.perf_counter()

    started = time.perf_counter()
    result = ingest_file(con, csv_path, file_name=csv_path.name, progress=progress)
    elapsed = time.perf_counter() - started
    con.close()
    stages = list(marks.items())
    split = {name: stages[i + 1][1] - at for i, (name, at) in enumerate(stages[:-1])}
    return elapsed, result, split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=1_000)
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
        size_mb = csv_path.stat().st_size / 1024 / 1024
        bare = bare_load(csv_path, work_dir / "bare.duckdb")
        ingest, result, split = legday_load(csv_path, work_dir / "legday.duckdb", args.clients)
        rows = result.accepted + result.quarantined
        print(f"file: {rows:,} rows, {size_mb:.0f} MB, {args.clients:,} clients")
        print(f"bare read_csv into a table: {bare:6.2f} s  {rows / bare:12,.0f} rows/s")
        print(f"legday ingest_file:         {ingest:6.2f} s  {rows / ingest:12,.0f} rows/s")
        print("  " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in split.items()))
        print(f"ratio ingest / bare: {ingest / bare:.2f}x (target <= 1.5x)")
        print(f"result: {result.accepted:,} accepted, {result.quarantined:,} quarantined")


if __name__ == "__main__":
    main()
