"""The day on paper: every session's brief on one page and in one CSV, within the trainer's scope."""

from __future__ import annotations

import csv
import io

from dashboard.downloads import day_brief_csv
from pipelines import db, sessions
from tests.helpers.clock import AS_OF
from tests.helpers.dashboard_fixtures import OWNER, app_as
from tests.helpers.viewers import scoped


def _todays_clients(scope=None) -> list[tuple[str, str]]:
    con = db.connect()
    todays = sessions.sessions_between(con, scoped(scope), AS_OF, AS_OF)
    con.close()
    return list(dict.fromkeys(zip(todays["client_id"], todays["name"], strict=True)))


def test_the_day_csv_holds_one_brief_per_client_with_a_session_and_only_the_trainers_own(demo_db):
    clients = _todays_clients()
    assert len(clients) >= 2
    rows = list(csv.DictReader(io.StringIO(day_brief_csv(scoped(None)).decode())))
    assert list(dict.fromkeys((row["client_id"], row["name"]) for row in rows)) == clients
    assert {"status", "last 3 days", "planned session"} <= {row["section"] for row in rows}
    trainer = db.connect().execute("select trainer_id from clients where client_id = ?", [clients[0][0]]).fetchone()[0]
    own = list(csv.DictReader(io.StringIO(day_brief_csv(scoped(trainer)).decode())))
    assert {row["client_id"] for row in own} == {c for c, _ in _todays_clients(trainer)}


def test_the_brief_page_shows_every_session_of_the_day_in_time_order(demo_db):
    at = app_as(OWNER, day="today").run()
    at.switch_page("screens/brief.py").run()
    assert not at.exception
    headings = [h.value for h in at.subheader if " · " in h.value and "Today's sessions" not in h.value]
    assert [heading.split(" · ", 1)[1] for heading in headings] == [name for _, name in _todays_clients()]
    assert at.get("table")  # printable tables, not canvas grids
