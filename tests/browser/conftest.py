"""A real `streamlit run` on a free port and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer on {url} within {timeout} s")


@pytest.fixture(scope="session")
def browser_db(tmp_path_factory) -> Path:
    """A demo database (as of 2026-11-20) the browser tests share."""
    path = tmp_path_factory.mktemp("browser") / "legday.duckdb"
    env = {**os.environ, "LEGDAY_DB_PATH": str(path), "LEGDAY_AS_OF": "2026-11-20"}
    subprocess.run([sys.executable, "-m", "pipelines.cli", "demo", "--clients", "12", "--days", "60"],
                   check=True, env=env, cwd=ROOT, capture_output=True)
    return path


@contextmanager
def serve(db_path: Path, log_dir: Path, **settings: str) -> Iterator[str]:
    """`streamlit run dashboard/app.py` over `db_path` on a free port; yields its URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "LEGDAY_DB_PATH": str(db_path),
        "LEGDAY_AS_OF": "2026-11-20",
        "LEGDAY_BASE_URL": url,
        "LEGDAY_BACKUP_DIR": str(db_path.parent / "backups"),
        **settings,
    }
    with (log_dir / "streamlit.log").open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def server(browser_db, tmp_path_factory):
    with serve(browser_db, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make test installs it when run as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# The same patience for expect() as for locators: a shared 2-core CI machine can take
# several seconds over a rerun, and expect() defaults to 5 s.
expect.set_options(timeout=60_000)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
