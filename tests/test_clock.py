"""One clock: freezing pipelines.clock stops every "now" and "today" legday reads."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import access, clock, tokens, trainer_sessions
from pipelines.settings import Settings
from tests.helpers.clock import freeze
from tests.helpers.viewers import acting

ROOT = Path(__file__).resolve().parent.parent


def test_today_and_sessions_read_the_one_clock(monkeypatch, con):
    moment = freeze(monkeypatch, dt.datetime(2030, 1, 1, 23, 30))
    monkeypatch.delenv("LEGDAY_AS_OF", raising=False)
    assert Settings(timezone="UTC").today() == dt.date(2030, 1, 1)
    assert Settings(timezone="Europe/Madrid").today() == dt.date(2030, 1, 2)
    assert Settings(timezone="UTC", as_of=dt.date(2026, 11, 20)).today() == dt.date(2026, 11, 20)
    con.execute("insert into trainers (trainer_id, name, password_hash) values ('tina', 'Tina', 'x')")
    session_id = trainer_sessions.start(con, "tina")
    assert trainer_sessions.resume(con, session_id, dt.timedelta(minutes=5)) is not None
    freeze(monkeypatch, moment + dt.timedelta(minutes=6))
    assert trainer_sessions.resume(con, session_id, dt.timedelta(minutes=5)) is None
    assert clock.local_now("UTC").replace(tzinfo=None) == moment + dt.timedelta(minutes=6)


def test_links_and_logins_read_the_one_clock(monkeypatch, two_trainers):
    moment = freeze(monkeypatch, dt.datetime(2030, 1, 1, 12, 0))
    link = tokens.create_link(two_trainers, acting("olga"), "c1", days=1, base_url="http://x")
    token = link.rsplit("t=", 1)[1]
    assert tokens.resolve_token(two_trainers, token) == "c1"
    for _ in range(access.FREE_FAILURES):
        access.login(two_trainers, "sam", "wrong")
    assert access.login_wait_seconds(two_trainers, "sam") == 2
    freeze(monkeypatch, moment + dt.timedelta(days=1))
    assert access.login_wait_seconds(two_trainers, "sam") == 0
    with pytest.raises(tokens.InvalidToken):
        tokens.resolve_token(two_trainers, token)
    assert tokens.link_status(two_trainers, acting("olga"), "c1")["expired"]


# Reading the time any way but through pipelines/clock.py (the regex names the ways).
OTHER_CLOCKS = re.compile(
    r"\b(datetime|date)\.(now|today|utcnow|utcfromtimestamp|fromtimestamp)\("
    r"|\btime\.(time|time_ns|monotonic|monotonic_ns|perf_counter|perf_counter_ns|localtime|gmtime|ctime)\("
    r"|\bfrom time import\b"
)


def test_no_module_reads_the_time_but_the_clock():
    """Freezing pipelines.clock stops every clock legday reads: no other module of the
    product (pipelines/, dashboard/) reads the time itself."""
    readers = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("pipelines", "dashboard")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != ROOT / "pipelines" / "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if OTHER_CLOCKS.search(line)
    ]
    assert readers == []


def test_the_grep_would_see_a_reader():
    assert OTHER_CLOCKS.search("started = time.monotonic()")
    assert OTHER_CLOCKS.search("now = dt.datetime.now(dt.UTC)")
    assert OTHER_CLOCKS.search("day = dt.date.today()")
    assert not OTHER_CLOCKS.search("moment = clock.now()")


def test_sql_writes_its_timestamps_in_utc_like_the_clock(tmp_path):
    """On a machine whose zone is not UTC, a default current_timestamp (here the
    migration's applied_at) is stored in UTC, as clock.now() gives Python's times."""
    script = (
        "import sys\n"
        "from pipelines import clock, db\n"
        "con = db.connect(sys.argv[1])\n"
        "print((clock.now() - con.execute('select max(applied_at) from schema_version').fetchone()[0]).total_seconds())"
    )
    env = {**os.environ, "TZ": "Pacific/Kiritimati"}  # UTC+14: a local time would be 14 hours off
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "tz.duckdb")], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    assert 0 <= float(done.stdout) < 60


def test_a_stored_time_is_shown_in_the_practices_zone(monkeypatch):
    from dashboard.formatting import saved_at, saved_day
    from pipelines.settings import get_settings

    stored = dt.datetime(2026, 11, 20, 23, 30)  # UTC, as the database holds it
    monkeypatch.setenv("LEGDAY_TIMEZONE", "Europe/Madrid")
    get_settings.cache_clear()
    assert saved_at(stored) == "2026-11-21 00:30" and saved_day(stored) == dt.date(2026, 11, 21)
    monkeypatch.setenv("LEGDAY_TIMEZONE", "UTC")
    get_settings.cache_clear()
    assert saved_at(stored) == "2026-11-20 23:30"
