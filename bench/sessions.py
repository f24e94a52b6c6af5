"""Import 1 M done sessions for 1,000 clients (issue 11 "Speed") and compare with a bare
DuckDB read_csv load of the same file.

Usage: .venv/bin/python bench/sessions.py [--rows 1000000] [--clients 1000] [--runs 5] [--seed 11]

Generates (seeded) a canonical sessions CSV (data/mappings/sessions.json: client_id,
date, time, type, minutes, rpe, load; docs/done-sessions.md "Importing sessions"): one
to three sessions a day, a tenth load-only (AU, no minutes or RPE), a tenth without an
RPE (counted with the type's default, flagged estimated), a few with app words for the
type ("Run", "Leg day"). Then, alternating --runs times, each as its own process:
the bare load (`create table … as select * from read_csv(…)` into a new file) and
`legday session import FILE` (the CLI: whole process, one transaction, validation,
quarantine, store and load-state refresh) into a copy of a database holding the
trainer and the 1,000 clients. Prints rows/s, the ratio of the medians (wall and CPU),
the peak RSS of both and the load average. Target: the ratio bench/ingest.py reaches
for check-ins (issue 13: whole process <= 3x bare read_csv).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from processes import LEGDAY, bare_load, bench_environment, load_average, prepared_database, run  # noqa: E402

AS_OF = dt.date(2026, 11, 20)


def write_sessions_csv(path: Path, rows: int, clients: int, seed: int) -> None:
    """`rows` sessions for `clients` clients, up to AS_OF, each client's days going back
    from it; hash(i, seed, k) makes every value a pure function of the row and the seed."""
    duckdb.execute(
        f"""
        copy (
            with numbered as (
                select
                    i,
                    'client' || lpad((i % $clients)::text, 5, '0') as client_id,
                    -- one to three sessions a day per client: 2 of every 3 rows start a day
                    (i // $clients) * 2 // 3 as day_back,
                    hash(i, $seed, 1) % 10 as shape
                from range($rows) as numbers(i)
            )
            select
                client_id,
                ($as_of::date - day_back::int) as date,
                printf('%02d:%02d', 6 + hash(i, $seed, 2) % 14, hash(i, $seed, 3) % 60) as time,
                case hash(i, $seed, 4) % 20
                    when 0 then 'Run'
                    when 1 then 'Leg day'
                    when 2 then 'Rock climbing'
                    else ['legs', 'upper', 'full_body', 'cardio', 'active_recovery', 'mobility'][
                        (1 + hash(i, $seed, 5) % 6)::bigint]
                end as type,
                if(shape = 0, null, 20 + hash(i, $seed, 6) % 100) as minutes,
                if(shape <= 1, null, 1 + hash(i, $seed, 7) % 10) as rpe,
                if(shape = 0, 100 + hash(i, $seed, 8) % 600, null) as load
            from numbered
            order by day_back desc, i
        ) to '{path}' (header, delimiter ',')
        """,  # noqa: S608 - bench paths are ours
        {"clients": clients, "as_of": AS_OF, "rows": rows, "seed": seed},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="legday-bench-") as work:
        work_dir = Path(work)
        env = bench_environment(work_dir, AS_OF.isoformat())
        csv_path = work_dir / "sessions.csv"
        write_sessions_csv(csv_path, args.rows, args.clients, args.seed)
        size_mb = len(csv_path.read_bytes()) / 1024 / 1024  # also warms the OS cache
        empty = work_dir / "empty.duckdb"
        prepared_database(empty, args.clients)
        print(f"load average before: {load_average()}")
        bare_runs, legday_runs, results = [], [], []
        for number in range(args.runs):
            bare_runs.append(bare_load(csv_path, work_dir / f"bare{number}.duckdb"))
            target = work_dir / f"legday{number}.duckdb"
            shutil.copyfile(empty, target)
            imported = run([*LEGDAY, "session", "import", str(csv_path), "--json"], {**env, "LEGDAY_DB_PATH": str(target)})
            legday_runs.append(imported)
            results.append(json.loads(imported.stdout))
            for path in work_dir.glob(f"*{number}.duckdb*"):
                path.unlink()
        result = results[0]
        rows = result["accepted"] + result["quarantined"]

        def median(runs: list, name: str) -> float:
            return statistics.median(getattr(one, name) for one in runs)

        bare, legday = median(bare_runs, "seconds"), median(legday_runs, "seconds")
        print(f"file: {rows:,} sessions, {size_mb:.0f} MB, {args.clients:,} clients, seed {args.seed}; "
              f"median of {args.runs} alternating runs, each its own process")
        print(f"bare read_csv into a table:   {bare:6.2f} s {rows / bare:12,.0f} rows/s  "
              f"(runs: {', '.join(f'{one.seconds:.2f}' for one in bare_runs)})")
        print(f"legday session import:        {legday:6.2f} s {rows / legday:12,.0f} rows/s  "
              f"(runs: {', '.join(f'{one.seconds:.2f}' for one in legday_runs)})")
        print(f"ratio of medians, wall: {legday / bare:.2f}x; CPU time (user + system, all threads): "
              f"{median(legday_runs, 'cpu_seconds') / median(bare_runs, 'cpu_seconds'):.2f}x (target: bench/ingest.py's ratio)")
        print(f"peak RSS: bare {median(bare_runs, 'peak_mib'):,.0f} MiB, import {median(legday_runs, 'peak_mib'):,.0f} MiB "
              f"= {median(legday_runs, 'peak_mib') / median(bare_runs, 'peak_mib'):.2f}x")
        print(f"result: {result['accepted']:,} accepted, {result['quarantined']:,} quarantined "
              f"(the same in every run: {all(one == result for one in results)})")
        print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
