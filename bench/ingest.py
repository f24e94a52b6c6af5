"""Ingest a generated 1M-row canonical CSV and compare with a bare DuckDB read_csv load.

Usage: .venv/bin/python bench/ingest.py [--rows 1000000] [--clients 1000] [--runs 5]
           [--profile] [--sync-cost] [--weekly]

Issue 13 target 4. Alternating --runs times, each as its own process (bench/processes.py):
the bare load (`create table … as select * from read_csv(…)` into a new file) and
`legday ingest FILE` (the CLI: whole process) into a copy of a database holding the
trainer and the clients. Prints rows/s, the ratio of the medians (target <= 3x), the
CPU-time ratio and both peak RSS (target <= 2x the bare load's). Also the bare load
into legday's own check_ins table (primary key and CHECKs, nothing else), the floor any
ingest that stores check-ins starts from. The OS cache is warmed first; the machine
load is printed with the figures, since the machine may be shared.
--profile adds one more ingest, in this process, with its stages and the time of each
SQL statement. --sync-cost times the in-process ingest with and without the check-in
-> done_sessions sync of the load-state refresh (alternating). --weekly times a week
of 1,400 check-ins (200 clients x 7 days) imported into the 10,000 x 365 database of
bench/checkin.py against the same import into a database with the same clients and no
history (target: within 1.2x).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from processes import LEGDAY, bare_load, bench_environment, load_average, prepared_database, run  # noqa: E402

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


def keyed_load(csv_path: Path, db_path: Path, *, refresh: bool = False) -> float:
    """The bare load into legday's own check_ins table (its primary key and CHECKs), no
    validation, quarantine or load state: the floor for anything that stores check-ins.
    refresh=True adds, in the same transaction, the load-state refresh of every client
    (`load_state.refresh`): the floor while the load state equals a fresh rebuild at
    every commit (docs/design.md)."""
    from pipelines import db, load_state
    from pipelines.ingest.fields import FIELDS

    con = db.connect(db_path)
    columns = ", ".join(FIELDS)
    started = time.perf_counter()
    with db.transaction(con):
        con.execute(f"insert into check_ins ({columns}) select {columns} from read_csv(?)", [str(csv_path)])  # noqa: S608
        if refresh:
            load_state.refresh(con)
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def in_process_ingest(csv_path: Path, db_path: Path, *, profile: bool = False, sync: bool = True):
    """ingest_file in this process on a prepared copy: seconds, stage split, statement times.
    sync=False leaves out the check-in -> done_sessions sync of the load-state refresh (a
    measurement only: the loads it stores then miss the check-in sessions)."""
    from pipelines import db, load_state
    from pipelines.access import COMMAND_LINE as OWNER
    from pipelines.ingest import ingest_file

    con = db.connect(db_path)
    marks: dict[str, float] = {}

    def progress(stage: str, step: int, steps: int, rows: int) -> None:
        marks[stage] = time.perf_counter()

    timed = TimedConnection(con) if profile else con
    syncing = load_state.sync_checkin_sessions
    if not sync:
        load_state.sync_checkin_sessions = lambda con, clients: None
    try:
        started = time.perf_counter()
        ingest_file(timed, OWNER, csv_path, file_name=csv_path.name, progress=progress)
        elapsed = time.perf_counter() - started
    finally:
        load_state.sync_checkin_sessions = syncing
    con.close()
    stages = list(marks.items())
    split = {name: stages[i + 1][1] - at for i, (name, at) in enumerate(stages[:-1])}
    return elapsed, split, getattr(timed, "seconds", {})


def legday_process(csv_path: Path, prepared: Path, target: Path, env: dict[str, str]):
    """`legday ingest FILE --json` as its own process, into a copy of `prepared`."""
    shutil.copyfile(prepared, target)
    imported = run([*LEGDAY, "ingest", str(csv_path), "--json"], {**env, "LEGDAY_DB_PATH": str(target)})
    return imported, json.loads(imported.stdout)


def median(runs: list, name: str) -> float:
    return statistics.median(getattr(one, name) for one in runs)


def whole_process(args, work_dir: Path, csv_path: Path, prepared: Path, env: dict[str, str]) -> None:
    bare_runs, legday_runs, keyed_times, floor_times, results = [], [], [], [], []
    for number in range(args.runs):
        bare_runs.append(bare_load(csv_path, work_dir / f"bare{number}.duckdb"))
        keyed_times.append(keyed_load(csv_path, work_dir / f"keyed{number}.duckdb"))
        floor_times.append(keyed_load(csv_path, work_dir / f"floor{number}.duckdb", refresh=True))
        imported, result = legday_process(csv_path, prepared, work_dir / f"legday{number}.duckdb", env)
        legday_runs.append(imported)
        results.append(result)
        for path in work_dir.glob(f"*{number}.duckdb*"):
            path.unlink()
    result = results[0]
    rows = result["accepted"] + result["quarantined"]
    bare, legday = median(bare_runs, "seconds"), median(legday_runs, "seconds")
    print(f"median of {args.runs} alternating runs, each its own process")
    print(f"bare read_csv into a table: {bare:6.2f} s  {rows / bare:12,.0f} rows/s  "
          f"(runs: {', '.join(f'{one.seconds:.2f}' for one in bare_runs)})")
    keyed = statistics.median(keyed_times)
    print(f"read_csv into check_ins:    {keyed:6.2f} s (in this process, without the process start): "
          f"the primary key and CHECKs alone, the floor for any ingest")
    floor = statistics.median(floor_times)
    print(f"... and the load-state refresh: {floor:6.2f} s = {floor / bare:.2f}x the bare read_csv (in this process): "
          f"the floor while stored metrics equal a fresh rebuild at every commit")
    print(f"legday ingest:              {legday:6.2f} s  {rows / legday:12,.0f} rows/s  "
          f"(runs: {', '.join(f'{one.seconds:.2f}' for one in legday_runs)})")
    print(f"ratio of medians, wall: {legday / bare:.2f}x (target <= 3x); CPU time (user + system, all threads): "
          f"{median(legday_runs, 'cpu_seconds') / median(bare_runs, 'cpu_seconds'):.2f}x")
    bare_peak, legday_peak = median(bare_runs, "peak_mib"), median(legday_runs, "peak_mib")
    print(f"peak RSS: bare {bare_peak:,.0f} MiB, ingest {legday_peak:,.0f} MiB = {legday_peak / bare_peak:.2f}x "
          f"(target <= 2x)")
    print(f"result: {result['accepted']:,} accepted, {result['quarantined']:,} quarantined "
          f"(the same in every run: {all(one == result for one in results)})")


def sync_cost(args, work_dir: Path, csv_path: Path, prepared: Path) -> None:
    times: dict[bool, list[float]] = {True: [], False: []}
    for number in range(args.runs):
        for sync in (True, False):
            target = work_dir / f"sync{number}.duckdb"
            shutil.copyfile(prepared, target)
            times[sync].append(in_process_ingest(csv_path, target, sync=sync)[0])
            target.unlink()
    with_sync, without = statistics.median(times[True]), statistics.median(times[False])
    print(f"check-in -> done_sessions sync, median of {args.runs} alternating in-process ingests: "
          f"with {with_sync:.2f} s, without {without:.2f} s: +{with_sync - without:.2f} s "
          f"({with_sync / without - 1:+.0%})")


WEEK_CLIENTS, WEEK_DAYS = 200, 7


def weekly(args, work_dir: Path, env: dict[str, str]) -> None:
    """1,400 check-ins of the week after the cached 10,000 x 365 history, into it and into
    a database with the same clients and no check-ins."""
    from checkin import AS_OF as HISTORY_END
    from checkin import OUT, cached

    from pipelines import db

    history = cached(10_000, 365)
    empty = OUT / "weekly-empty-10000.duckdb"
    if not empty.exists():
        con = db.connect(empty)
        con.execute("attach ? as history (read_only)", [str(history)])
        con.execute("insert into trainers select * from history.trainers")
        con.execute("insert into clients select * from history.clients")
        con.execute("detach history")
        con.close()
    week_end = HISTORY_END + dt.timedelta(days=WEEK_DAYS)
    csv_path = work_dir / "week.csv"
    duckdb.execute(
        f"""
        copy (
            select
                'c' || lpad((1 + (i % $clients) * 50)::text, 5, '0') as client_id,
                ($end::date - (i // $clients)::int) as checkin_date,
                hash(i, 1) % 11 as soreness_quads, hash(i, 2) % 11 as soreness_hamstrings,
                hash(i, 3) % 11 as soreness_glutes, hash(i, 4) % 11 as soreness_calves,
                round(4 + (hash(i, 5) % 80) / 10, 1) as sleep_hours, 1 + hash(i, 6) % 5 as sleep_quality,
                1 + hash(i, 7) % 5 as energy, 1 + hash(i, 8) % 5 as stress, 1 + hash(i, 9) % 5 as mood,
                if(hash(i, 12) % 3 = 0, 'none', 'legs') as session_type,
                if(hash(i, 12) % 3 = 0, 0, 30 + hash(i, 13) % 60) as session_minutes,
                if(hash(i, 12) % 3 = 0, 0, 1 + hash(i, 14) % 10) as session_rpe
            from range($rows) as numbers(i)
        ) to '{csv_path}' (header, delimiter ',')
        """,  # noqa: S608 - bench paths are ours
        {"clients": WEEK_CLIENTS, "end": week_end, "rows": WEEK_CLIENTS * WEEK_DAYS},
    )
    env = {**env, "LEGDAY_AS_OF": week_end.isoformat()}
    into: dict[str, list] = {"history": [], "empty": []}
    for number in range(args.runs):
        for name, prepared in (("history", history), ("empty", empty)):
            imported, result = legday_process(csv_path, prepared, work_dir / f"week{number}.duckdb", env)
            assert result["accepted"] == WEEK_CLIENTS * WEEK_DAYS, result
            into[name].append(imported)
            (work_dir / f"week{number}.duckdb").unlink()
    full, empty_history = median(into["history"], "seconds"), median(into["empty"], "seconds")
    print(f"weekly import ({WEEK_CLIENTS * WEEK_DAYS:,} check-ins, {WEEK_CLIENTS} clients x {WEEK_DAYS} days), "
          f"`legday ingest` whole process, median of {args.runs} alternating: into 10,000 x 365 {full:.2f} s, "
          f"into the same clients without history {empty_history:.2f} s = {full / empty_history:.2f}x "
          f"(target <= 1.2x); CPU {median(into['history'], 'cpu_seconds'):.2f} s vs "
          f"{median(into['empty'], 'cpu_seconds'):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sync-cost", action="store_true")
    parser.add_argument("--weekly", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="legday-bench-") as work:
        work_dir = Path(work)
        env = bench_environment(work_dir, AS_OF.isoformat())
        csv_path = work_dir / "checkins.csv"
        write_csv(csv_path, args.rows, args.clients)
        size_mb = len(csv_path.read_bytes()) / 1024 / 1024  # also warms the OS cache
        prepared = work_dir / "prepared.duckdb"
        prepared_database(prepared, args.clients)
        print(f"load average before: {load_average()}")
        print(f"file: {args.rows:,} check-ins, {size_mb:.0f} MB, {args.clients:,} clients")
        whole_process(args, work_dir, csv_path, prepared, env)
        if args.sync_cost:
            sync_cost(args, work_dir, csv_path, prepared)
        if args.weekly:
            weekly(args, work_dir, env)
        print(f"load average after: {load_average()}")
        if args.profile:
            target = work_dir / "profile.duckdb"
            shutil.copyfile(prepared, target)
            elapsed, split, seconds = in_process_ingest(csv_path, target, profile=True)
            print(f"profile of one more ingest, in this process ({elapsed:.2f} s; "
                  f"stages: {', '.join(f'{name} {spent:.2f} s' for name, spent in split.items())}); "
                  "statements over 10 ms:")
            for label, spent in sorted(seconds.items(), key=lambda item: -item[1]):
                if spent >= 0.01:
                    print(f"  {spent:6.2f} s  {label}")


if __name__ == "__main__":
    main()
