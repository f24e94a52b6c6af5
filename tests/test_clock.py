"""One clock: freezing pipelines.clock stops every "now" and "today" legday reads."""

from __future__ import annotations

import datetime as dt

from pipelines import clock, trainer_sessions
from pipelines.settings import Settings
from tests.helpers.clock import freeze


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
