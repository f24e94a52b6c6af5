"""CLI start-up benchmark (issue 13, target 3): `legday --help` and `legday roster`.

Each figure is the wall time of a whole process, interleaved in one run with its
baseline, a bare Python process doing the least that command needs:
  --help   vs `python -c "import duckdb"`
  roster   vs `python -c "import duckdb"` + the roster query on the same file (a bare
           process that opens it read-only and fetches `select * from roster`)
Target: each within 1.5x its baseline. The demo (24 clients x 120 days) is built once
under bench/out/. Prints medians, ratios and the load average.
Run: .venv/bin/python bench/cli.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
DEMO = OUT / "cli-demo.duckdb"
LEGDAY = Path(sys.executable).parent / "legday"
ENV = os.environ | {"LEGDAY_AS_OF": "2026-11-20", "COLUMNS": "120"}

BARE_QUERY = """
import time, duckdb
started = time.perf_counter()
con = duckdb.connect({path!r}, read_only=True)
con.execute("set variable legday_as_of = date '2026-11-20'")
con.execute("select * from roster").fetchall()
print(time.perf_counter() - started)
"""


def run_process(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system, steadier on a loaded machine) and output of a process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=ENV, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if not DEMO.exists():
        subprocess.run([str(LEGDAY), "--db", str(DEMO), "demo"], env=ENV, capture_output=True, check=True)

    runs: dict[str, list[float]] = {name: [] for name in ("help", "roster", "bare", "bare_query", "query")}
    cpu: dict[str, list[float]] = {name: [] for name in ("help", "roster", "bare", "bare_query")}
    print(f"machine load (1-minute average) before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for _ in range(args.repeat):
        for name, command in (
            ("help", [str(LEGDAY), "--help"]),
            ("bare", [sys.executable, "-c", "import duckdb"]),
            ("roster", [str(LEGDAY), "--db", str(DEMO), "roster"]),
            ("bare_query", [sys.executable, "-c", BARE_QUERY.format(path=str(DEMO))]),
        ):
            seconds, cpu_seconds, printed = run_process(command)
            runs[name].append(seconds)
            cpu[name].append(cpu_seconds)
        runs["query"].append(float(printed))
    ms = {name: statistics.median(times) * 1000 for name, times in runs.items()}
    cpu_ms = {name: statistics.median(times) * 1000 for name, times in cpu.items()}

    print(f"{args.repeat} interleaved runs each, medians; demo {DEMO}")
    print(f"bare `python -c 'import duckdb'`        {ms['bare']:6.0f} ms")
    print(f"bare process + roster query            {ms['bare_query']:6.0f} ms   (the query itself, in-process: {ms['query']:.0f} ms)")
    print(f"`legday --help`                        {ms['help']:6.0f} ms   / bare import = {ms['help'] / ms['bare']:.2f} (target <= 1.5)")
    print(f"`legday roster`                        {ms['roster']:6.0f} ms   / bare + query = {ms['roster'] / ms['bare_query']:.2f} (target <= 1.5)")
    print(f"CPU time (user + system): bare import {cpu_ms['bare']:.0f} ms, bare + query {cpu_ms['bare_query']:.0f} ms, "
          f"--help {cpu_ms['help']:.0f} ms = {cpu_ms['help'] / cpu_ms['bare']:.2f}, "
          f"roster {cpu_ms['roster']:.0f} ms = {cpu_ms['roster'] / cpu_ms['bare_query']:.2f}")
    print(f"machine load (1-minute average) after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
