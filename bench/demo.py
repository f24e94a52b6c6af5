"""Time `build_demo` at 10,000 clients x 365 days (target: under 60 s), and its peak memory
(issue 13 target 5: under 1 GiB at 30,000 x 365).

Baseline in the same process: DuckDB copying the same check-in rows into a bare
table with no constraints, i.e. the floor for writing that many rows.
Usage: .venv/bin/python bench/demo.py [CLIENTS] [DAYS]
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from pipelines import db, demo


def main() -> None:
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    days = int(sys.argv[2]) if len(sys.argv) > 2 else 365
    with tempfile.TemporaryDirectory() as folder:
        con = db.connect(Path(folder) / "bench.duckdb")
        started = time.perf_counter()
        counts = demo.build_demo(con, clients=clients, days=days, end=dt.date(2026, 11, 20))
        build = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        started = time.perf_counter()
        with db.transaction(con):
            con.execute("create table bare_copy as select * from check_ins")
        bare = time.perf_counter() - started
        con.close()

    rows = counts["check_ins"]
    print(f"demo {clients} clients x {days} days: {rows:,} check-ins in {build:.2f} s ({rows / build:,.0f} rows/s)")
    print(f"bare copy of the same rows:        {bare:.2f} s ({rows / bare:,.0f} rows/s)")
    print(f"ratio demo / bare copy: {build / bare:.1f}x; target: demo under 60 s -> {'ok' if build < 60 else 'MISSED'}")
    print(f"peak RSS of the build: {peak_mib:,.0f} MiB (target under 1 GiB at 30,000 x 365); "
          f"machine load (1-minute average) after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
