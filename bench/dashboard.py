"""Dashboard timing: roster and client pages with 500 clients x 365 days.

Builds the demo at that size, then runs each page through streamlit's AppTest
(script start to script finished, in this process) several times and prints the
median, next to a baseline: the page's own data call alone, in the same process.
Target: each page under 2 s on this 2-core machine.

With --scale N it also builds a demo of N clients and prints the roster page
script there against the roster query at N plus the page's fixed cost, measured
at the main size (page minus query): target at most 2x (issue 12, item 9).

    .venv/bin/python bench/dashboard.py [--clients 500] [--days 365] [--runs 5]
    .venv/bin/python bench/dashboard.py --clients 24 --days 60 --scale 10000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path and its name would
# shadow the `dashboard` package the app imports.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]


def _median_seconds(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=0, help="also measure the roster page at this many clients")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="legday-bench-"))
    os.environ["LEGDAY_DB_PATH"] = str(workdir / "bench.duckdb")
    os.environ.setdefault("LEGDAY_AS_OF", "2026-11-20")
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

    from streamlit.testing.v1 import AppTest

    from pipelines import clock, db, metrics
    from pipelines.access import COMMAND_LINE as OWNER
    from pipelines.access import Viewer
    from pipelines.demo import build_demo
    from pipelines.settings import get_settings

    con = db.connect()
    started = time.perf_counter()
    build_demo(con, clients=args.clients, days=args.days, seed=3)
    print(f"demo {args.clients} clients x {args.days} days built in {time.perf_counter() - started:.1f} s")
    client_id = con.execute("select client_id from roster where status <> 'no data' limit 1").fetchone()[0]
    con.close()
    owner = Viewer("demo", "Demo Owner", True)

    def page(path: str | None):
        def run():
            at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
            at.session_state["viewer"] = owner
            at.session_state["last_active"] = clock.now()
            at.session_state["client_id"] = client_id
            at.run()
            if path:
                at.switch_page(path).run()
            assert not at.exception, at.exception
        return run

    def roster_data():
        with db.connect() as con:
            metrics.roster(con, OWNER)

    def client_data():
        with db.connect() as con:
            metrics.client_days(con, OWNER, client_id)

    roster_page = _median_seconds(page(None), args.runs)
    roster_base = _median_seconds(roster_data, args.runs)
    # The client page run includes one roster run first (AppTest starts on the default page).
    client_both = _median_seconds(page("screens/client.py"), args.runs)
    client_page = client_both - roster_page
    client_base = _median_seconds(client_data, args.runs)
    print(f"roster page   median {roster_page:.3f} s  (data call alone {roster_base:.3f} s, ratio {roster_page / roster_base:.1f}x)")
    print(f"client page   median {client_page:.3f} s  (data call alone {client_base:.3f} s, ratio {client_page / client_base:.1f}x)")
    print(f"target 2 s: roster {'ok' if roster_page < 2 else 'MISSED'}, client {'ok' if client_page < 2 else 'MISSED'}")
    if not args.scale:
        return

    fixed = roster_page - roster_base
    os.environ["LEGDAY_DB_PATH"] = str(workdir / "scale.duckdb")
    get_settings.cache_clear()
    con = db.connect()
    started = time.perf_counter()
    build_demo(con, clients=args.scale, days=args.days, seed=3)
    print(f"demo {args.scale} clients x {args.days} days built in {time.perf_counter() - started:.1f} s")
    con.close()
    scale_page = _median_seconds(page(None), args.runs)
    scale_query = _median_seconds(roster_data, args.runs)
    allowed = scale_query + fixed
    print(f"roster page at {args.scale} clients: median {scale_page:.3f} s; roster query there {scale_query:.3f} s "
          f"+ fixed cost at {args.clients} clients {fixed:.3f} s = {allowed:.3f} s; "
          f"ratio {scale_page / allowed:.2f}x (target <= 2x: {'ok' if scale_page <= 2 * allowed else 'MISSED'}); "
          f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
