"""Check-in benchmark (issue 13, target 1): one phone submission at three sizes.

Times `submit_checkin` (the check-in page's write: validation, ingest run, upsert,
load-state refresh; one transaction) for a client's check-in of the as-of day, at
24 clients x 120 days, 10,000 x 365 and, with --big, 30,000 x 365. Baseline, interleaved
in the same process on the same file: a bare one-row insert into check_ins + commit.
Each is timed in wall time and in this process's CPU time (steadier on a loaded machine).
Targets: the 30k figure within 1.5x the 24-client figure, and within 10x the bare insert.
Also interleaved: the floor any check-in starts from while the load state is kept equal
to a fresh rebuild at every commit (docs/design.md): the same bare insert plus the
client's load-state refresh (`load_state.refresh`), in one transaction.
The databases (synthetic check-ins up to the day before, bench/roster.py) are built once
under bench/out/ and copied for each run, so every run starts from the same file.
Run: .venv/bin/python bench/checkin.py [--repeat N] [--big]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from roster import build_synthetic

from pipelines import db, load_state
from pipelines.access import COMMAND_LINE as OWNER
from pipelines.checkin_form import CheckInForm, submit_checkin
from pipelines.settings import Settings

AS_OF = dt.date(2026, 11, 20)
OUT = Path(__file__).resolve().parent / "out"
ANSWERS = {
    "checkin_date": AS_OF, "soreness_quads": 4, "soreness_hamstrings": 3, "soreness_glutes": 2,
    "soreness_calves": 1, "sleep_hours": 7.5, "sleep_quality": 4, "energy": 3, "stress": 2, "mood": 4,
    "water_liters": 2.0, "session_type": "legs", "session_minutes": 50, "session_rpe": 7,
}
BARE_INSERT = (
    "insert into check_ins (client_id, checkin_date, soreness_quads, soreness_hamstrings, soreness_glutes, "
    "soreness_calves, sleep_hours, sleep_quality, energy, stress, mood, session_type, session_minutes, "
    "session_rpe) values ($client, $day, 4, 3, 2, 1, 7.5, 4, 3, 2, 4, 'legs', 50, 7)"
)


def cached(clients: int, days: int) -> Path:
    """The database of `clients` x `days` check-ins up to the day before AS_OF, built once,
    migrated to the current schema and load-state derivation."""
    path = OUT / f"checkin-{clients}x{days}.duckdb"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        building = path.with_suffix(".building")
        building.unlink(missing_ok=True)
        started = time.perf_counter()
        con = db.connect(building, settings=Settings(db_path=building, as_of=AS_OF))
        build_synthetic(con, clients, days, end=AS_OF - dt.timedelta(days=1))
        con.close()
        building.rename(path)
        print(f"built {path.name} in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    db.connect(path, settings=Settings(db_path=path, as_of=AS_OF)).close()  # migrate once, not in a timed copy
    if time.perf_counter() - started > 5:
        print(f"brought {path.name} to the current schema in {time.perf_counter() - started:.0f} s")
    return path


def _timed(call) -> tuple[float, float]:
    """(wall, CPU) seconds of one call; CPU time of this process is steadier under load."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(path: Path, repeat: int) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float], int]:
    """Median (wall, CPU) seconds of a submission, of a bare insert + commit and of the
    floor (the bare insert + the client's refresh), on a copy of `path`."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder) / path.name
        shutil.copyfile(path, work)
        con = db.connect(work, settings=Settings(db_path=work, as_of=AS_OF))
        clients = [row[0] for row in con.execute("select client_id from clients order by client_id").fetchall()]
        form = CheckInForm.model_validate(ANSWERS, context={"today": AS_OF})
        submit_checkin(con, OWNER, clients[-1], form, today=AS_OF)  # warm-up: caches, first plans
        submissions, inserts, floors = [], [], []

        def bare_insert(client: str, *, refresh: bool = False) -> None:
            with db.transaction(con):
                con.execute(BARE_INSERT, {"client": client, "day": AS_OF})
                if refresh:
                    load_state.refresh(con, [client])

        for run in range(repeat):
            submissions.append(_timed(lambda run=run: submit_checkin(con, OWNER, clients[run], form, today=AS_OF)))
            inserts.append(_timed(lambda run=run: bare_insert(clients[-2 - run])))
            floors.append(_timed(lambda run=run: bare_insert(clients[repeat + run], refresh=True)))
        check_ins = con.execute("select count(*) from check_ins").fetchone()[0]
        con.close()

    def medians(times: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(wall for wall, _ in times), statistics.median(cpu for _, cpu in times)

    return medians(submissions), medians(inserts), medians(floors), check_ins


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--big", action="store_true", help="also 30,000 clients x 365 days")
    args = parser.parse_args()
    if 3 * args.repeat + 1 > 24:
        parser.error("--repeat is at most 7: each run takes three of the smallest size's 24 clients")
    sizes = [(24, 120), (10_000, 365)] + ([(30_000, 365)] if args.big else [])
    paths = {size: cached(*size) for size in sizes}

    print(f"machine load (1-minute average) before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"one check-in of the as-of day, median of {args.repeat}, interleaved with a bare insert + commit")
    results = {}
    for size in sizes:
        (submit, submit_cpu), (bare, bare_cpu), (floor, floor_cpu), check_ins = measure(paths[size], args.repeat)
        results[size] = submit
        print(
            f"{size[0]:>6,} clients x {size[1]} days ({check_ins:>10,} check-ins): submit_checkin "
            f"{submit * 1000:6.1f} ms, bare insert {bare * 1000:5.1f} ms, ratio {submit / bare:5.1f} (target <= 10); "
            f"CPU {submit_cpu * 1000:5.1f} / {bare_cpu * 1000:4.1f} ms = {submit_cpu / bare_cpu:5.1f}\n"
            f"{'':>40}floor: bare insert + refresh {floor * 1000:6.1f} ms = {floor / bare:5.1f}x the bare insert "
            f"(CPU {floor_cpu * 1000:5.1f} ms = {floor_cpu / bare_cpu:5.1f}x)"
        )
    largest = sizes[-1]
    print(
        f"{largest[0]:,} clients / 24 clients: {results[largest] / results[sizes[0]]:.2f} "
        f"(target <= 1.5 at 30,000)"
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mib:,.0f} MiB; machine load (1-minute average) after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
