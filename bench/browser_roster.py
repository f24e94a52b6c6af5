"""The roster page in Chromium: how long the browser takes to draw it once the script is done.

Serves the dashboard (`streamlit run`) over a demo of --clients (the baseline: the page's
fixed browser cost) and one of --scale clients, logs in once, then for each size opens the
roster several times, interleaved, each in a fresh browser context (empty cache: a cold
first load) and once more as a reload in the same context (warm). For every load it prints,
from the browser's own clock (performance.now(), navigation start = 0):

- shell: Streamlit's own page and JavaScript bundle loaded (the `load` event), no data yet;
- script: the page script ran (the app shows `running`, then `notRunning`);
- drawn: after the script finished, until the table's first row, the heatmap's rectangles
  and every element are drawn, none left stale; with the moments the table and the heatmap appeared
  and the last JavaScript file arrived (negative: before the script finished), and how many
  JavaScript files the page fetched (Streamlit loads a chart's or a table's code on first use);

and the median of "drawn" (issue 12, item 9: under 2 s at 10,000 clients), with the
1-minute load average. Any browser console error is printed (a chart too big for Vega
shows "Maximum call stack size exceeded" there).

    .venv/bin/python bench/browser_roster.py [--clients 24] [--scale 10000] [--days 60] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

AS_OF = "2026-11-20"

# Marks the moments the bench reads, in the page's own clock.
TIMELINE_JS = """
window.legdayTimes = {};
new MutationObserver(() => {
    const app = document.querySelector('[data-testid=stApp]');
    const state = app && app.getAttribute('data-test-script-state');
    if (state === 'running' && window.legdayTimes.running === undefined) window.legdayTimes.running = performance.now();
    if (state === 'notRunning' && window.legdayTimes.running !== undefined && window.legdayTimes.finished === undefined)
        window.legdayTimes.finished = performance.now();
}).observe(document, {subtree: true, attributes: true, childList: true});
"""

DRAWN_JS = """
() => {
    const times = window.legdayTimes;
    const now = performance.now();
    // the grid's first row in the canvas's accessible table, a rectangle of the heatmap
    const table = document.querySelector('[data-testid=stDataFrame] [data-testid=glide-cell-2-0]');
    const heatmap = document.querySelector('[data-testid=stVegaLiteChart] .mark-rect path');
    if (table) times.table = times.table ?? now;
    if (heatmap) times.heatmap = times.heatmap ?? now;
    if (times.finished === undefined) return false;
    if (!table || !heatmap || document.querySelectorAll('[data-stale=true]').length) return false;
    times.drawn = times.drawn ?? now;
    return true;
}
"""

# The JavaScript files fetched while the page was open and when the last one arrived.
SCRIPTS_JS = """
() => {
    const scripts = performance.getEntriesByType('resource').filter(entry => entry.name.endsWith('.js'));
    return {count: scripts.length, kib: scripts.reduce((sum, entry) => sum + entry.encodedBodySize, 0) / 1024,
            last: Math.max(0, ...scripts.map(entry => entry.responseEnd))};
}
"""


def _demo(path: Path, clients: int, days: int) -> None:
    env = {**os.environ, "LEGDAY_DB_PATH": str(path), "LEGDAY_AS_OF": AS_OF}
    subprocess.run([sys.executable, "-m", "pipelines.cli", "demo", "--clients", str(clients), "--days", str(days)],
                   check=True, env=env, cwd=ROOT, capture_output=True)


def _login_cookies(browser, url: str) -> list[dict]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(300_000)
    page.goto(url)
    page.get_by_role("textbox", name="Username").fill("demo")
    page.get_by_role("textbox", name="Password").fill("legday-demo")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("Recovery status on").wait_for()
    for _ in range(600):
        cookies = [c for c in context.cookies() if c["name"] == "legday_session"]
        if cookies:
            context.close()
            return cookies
        page.wait_for_timeout(100)
    raise RuntimeError("no login cookie")


def _timeline(page, errors: list[str]) -> dict:
    page.wait_for_function(DRAWN_JS, polling="raf", timeout=300_000)
    times = page.evaluate("window.legdayTimes")
    shell = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    scripts = page.evaluate(SCRIPTS_JS)
    found = list(errors)
    errors.clear()
    finished = times["finished"]
    return {"shell": shell / 1000, "script": (finished - times["running"]) / 1000,
            "drawn": (times["drawn"] - finished) / 1000, "table": (times["table"] - finished) / 1000,
            "heatmap": (times["heatmap"] - finished) / 1000, "js": scripts["count"], "js_kib": scripts["kib"],
            "js_last": (scripts["last"] - finished) / 1000, "errors": found}


def _load(browser, url: str, cookies: list[dict]) -> tuple[dict, dict]:
    """A cold first load in a fresh context, then a warm reload."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_cookies(cookies)
    context.add_init_script(TIMELINE_JS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    cold = _timeline(page, errors)
    page.reload()
    warm = _timeline(page, errors)
    context.close()
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=24)
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, help="keep the demos here and reuse them on the next run")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="legday-browser-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    sizes = [args.clients, args.scale]
    for clients in sizes:
        if not (workdir / f"{clients}.duckdb").exists():
            _demo(workdir / f"{clients}.duckdb", clients, args.days)
    print(f"demos of {sizes} clients x {args.days} days built; load average {os.getloadavg()[0]:.2f}")

    with (serve(workdir / f"{args.clients}.duckdb", workdir) as small_url,
          serve(workdir / f"{args.scale}.duckdb", workdir) as big_url,
          sync_playwright() as playwright):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        urls = {args.clients: small_url, args.scale: big_url}
        cookies = {clients: _login_cookies(browser, url) for clients, url in urls.items()}
        results = {clients: {"cold": [], "warm": []} for clients in sizes}
        for run in range(args.runs):
            for clients in sizes:
                cold, warm = _load(browser, urls[clients], cookies[clients])
                results[clients]["cold"].append(cold)
                results[clients]["warm"].append(warm)
                for kind, times in (("cold", cold), ("warm", warm)):
                    print(f"run {run + 1} {clients:>6} clients {kind}: shell {times['shell']:.2f} s, "
                          f"script {times['script']:.2f} s, drawn after script {times['drawn']:.2f} s "
                          f"(table {times['table']:+.2f} s, heatmap {times['heatmap']:+.2f} s; "
                          f"{times['js']} JS files, {times['js_kib']:.0f} KiB, last {times['js_last']:+.2f} s)"
                          + (f"; console errors: {times['errors']}" if times["errors"] else ""))
        browser.close()

    for clients in sizes:
        for kind in ("cold", "warm"):
            runs = results[clients][kind]
            print(f"{clients:>6} clients, {kind}: median shell {statistics.median(r['shell'] for r in runs):.2f} s, "
                  f"script {statistics.median(r['script'] for r in runs):.2f} s, "
                  f"drawn after script {statistics.median(r['drawn'] for r in runs):.2f} s")
    drawn = statistics.median(r["drawn"] for r in results[args.scale]["cold"])
    print(f"target: drawn under 2 s after the script at {args.scale} clients (cold): "
          f"{'ok' if drawn < 2 else 'MISSED'}; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
