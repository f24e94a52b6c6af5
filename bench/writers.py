"""Concurrent writers benchmark (issue 13, target 2): processes submitting check-ins.

WORKERS processes (default 8) each submit check-ins of the as-of day for their own
clients, one after another, for SECONDS (default 30) on one database file. Each
submission opens the file the way the check-in page does (`dashboard.session.database`,
which waits its turn for DuckDB's one-writer lock), calls `submit_checkin` and closes it.
Prints commits/s in total, how long each submission waited for the file and held it
(median, 95th percentile, max), refusals, and checks that every reported commit is
stored (none lost). Baseline in the same run: one process doing the same alone.
Target: >= 50 commits/s with 8 writers, none lost, every wait bounded and reported.
The ceiling (--bare): the same processes taking the same turns (pipelines/turns.py) but
each turn only DuckDB's own open, a one-row insert into check_ins and close.
--threads: the writers as sessions (threads) of one dashboard process instead, the way the
one Streamlit server serves every phone: one open file (`turns.Shared`), one write at a time.
The database is bench/checkin.py's cached synthetic one, copied for each run.
Run: .venv/bin/python bench/writers.py [--workers 8] [--seconds 30] [--clients 10000 --days 365]
     [--bare | --threads]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from checkin import ANSWERS, AS_OF, cached

BENCH = Path(__file__).resolve().parent


def bare_writer(index: int, workers: int, path: str, seconds: float, clients: list[str], results) -> None:
    """The ceiling: take the turn, open with DuckDB alone, insert one row, close; repeat."""
    import duckdb
    from checkin import BARE_INSERT

    from pipelines import turns
    from pipelines.db import DatabaseError

    deadline = time.monotonic() + seconds
    rows = []
    for client in clients[index::workers]:
        if time.monotonic() >= deadline:
            break
        asked = time.perf_counter()
        try:
            held = turns.claim(Path(path), turns.Wait(10.0))
        except DatabaseError as error:
            rows.append((client, f"refused: {error}", time.perf_counter() - asked, 0.0, time.perf_counter() - asked))
            continue
        try:
            con = duckdb.connect(path)
            opened = time.perf_counter()
            con.execute(BARE_INSERT, {"client": client, "day": AS_OF})
            written = time.perf_counter()
            con.close()
        finally:
            held.release()
        rows.append((client, "committed", opened - asked, written - opened, time.perf_counter() - asked))
    results.put(rows)


def _submit_all(index: int, workers: int, seconds: float, clients: list[str]) -> list[tuple]:
    """Submit check-ins for clients index, index + workers, ... until the time is up, each
    through the dashboard's way to the file (`dashboard.session.database`)."""
    from dashboard.session import database
    from pipelines.access import COMMAND_LINE as OWNER
    from pipelines.checkin_form import CheckInForm, submit_checkin
    from pipelines.db import DatabaseError

    form = CheckInForm.model_validate(ANSWERS, context={"today": AS_OF})
    deadline = time.monotonic() + seconds
    rows = []
    for client in clients[index::workers]:
        if time.monotonic() >= deadline:
            break
        asked = time.perf_counter()
        try:
            with database() as con:
                opened = time.perf_counter()
                submit_checkin(con, OWNER, client, form, today=AS_OF)
                written = time.perf_counter()
            rows.append((client, "committed", opened - asked, written - opened, time.perf_counter() - asked))
        except DatabaseError as error:  # busy past the lock timeout: refused, reported
            rows.append((client, f"refused: {error}", time.perf_counter() - asked, 0.0, time.perf_counter() - asked))
    return rows


def _as_dashboard(path: str) -> None:
    os.environ |= {"LEGDAY_DB_PATH": path, "LEGDAY_AS_OF": AS_OF.isoformat()}
    # bench/dashboard.py would shadow the dashboard package
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH]


def writer(index: int, workers: int, path: str, seconds: float, clients: list[str], results) -> None:
    """One writer process: a dashboard process of its own."""
    _as_dashboard(path)
    results.put(_submit_all(index, workers, seconds, clients))


def thread_writers(index: int, workers: int, path: str, seconds: float, clients: list[str], results) -> None:
    """--threads: `workers` sessions of one dashboard process (the deployment: one server
    serves every phone), sharing its one open file (`turns.Shared`), one write at a time."""
    import threading

    _as_dashboard(path)
    import dashboard.session  # noqa: F401 - imported before the threads start

    found: list[list[tuple]] = [[] for _ in range(workers)]

    def session(number: int) -> None:
        found[number] = _submit_all(number, workers, seconds, clients)

    threads = [threading.Thread(target=session, args=(number,)) for number in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for rows in found:
        results.put(rows)


def run(source: Path, workers: int, seconds: float, target=writer) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / source.name
        shutil.copyfile(source, path)
        import duckdb

        with duckdb.connect(str(path), read_only=True) as con:
            clients = [row[0] for row in con.execute("select client_id from clients order by client_id").fetchall()]
        context = multiprocessing.get_context("spawn")
        results = context.Queue()
        processes = [
            context.Process(target=target, args=(index, workers, str(path), seconds, clients, results))
            for index in range(1 if target is thread_writers else workers)
        ]
        started = time.perf_counter()
        for process in processes:
            process.start()
        rows = [row for _ in range(workers) for row in results.get()]
        for process in processes:
            process.join()
        elapsed = time.perf_counter() - started
        committed = [row for row in rows if row[1] == "committed"]
        with duckdb.connect(str(path), read_only=True) as con:
            stored = con.execute(
                "select count(*) from check_ins where checkin_date = $day and list_contains($clients, client_id)",
                {"day": AS_OF, "clients": [row[0] for row in committed]},
            ).fetchone()[0]
    return {"rows": rows, "committed": committed, "stored": stored, "elapsed": elapsed}


def summary(name: str, result: dict, seconds: float) -> float:
    committed, rows = result["committed"], result["rows"]
    rate = len(committed) / seconds

    def spread(values: list[float]) -> str:
        if not values:
            return "-"
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return f"median {statistics.median(ordered) * 1000:6.0f} ms, p95 {p95 * 1000:6.0f} ms, max {ordered[-1] * 1000:6.0f} ms"

    print(f"{name}: {len(committed)} commits in {seconds:g} s = {rate:.1f} commits/s; "
          f"{len(rows) - len(committed)} refused; stored {result['stored']} of {len(committed)} "
          f"({'none lost' if result['stored'] == len(committed) else 'LOST ' + str(len(committed) - result['stored'])})")
    print(f"    wait for the file and open it (turn, schema check): {spread([row[2] for row in rows])}")
    print(f"    inside the lock (the write):                        {spread([row[3] for row in committed])}")
    print(f"    whole submission:                                   {spread([row[4] for row in rows])}")
    for row in rows:
        if row[1] != "committed":
            print(f"    {row[0]}: {row[1]}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--bare", action="store_true", help="the ceiling: open, one-row insert, close")
    parser.add_argument("--threads", action="store_true", help="the writers as sessions of one dashboard process")
    args = parser.parse_args()
    source = cached(args.clients, args.days)
    target = bare_writer if args.bare else thread_writers if args.threads else writer
    baseline_seconds = max(5.0, args.seconds / 3)

    print(f"machine load (1-minute average) before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{args.clients:,} clients x {args.days} days; every submission a new check-in of {AS_OF}")
    kind = "bare open + insert + close" if args.bare else "submit_checkin" + (", threads of one process" if args.threads else "")
    alone = summary(f"1 writer (baseline), {kind}", run(source, 1, baseline_seconds, target), baseline_seconds)
    together = summary(f"{args.workers} writers, {kind}", run(source, args.workers, args.seconds, target), args.seconds)
    print(f"{args.workers} writers / 1 writer: {together / alone:.2f}x; target >= 50 commits/s in total")
    print(f"machine load (1-minute average) after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
