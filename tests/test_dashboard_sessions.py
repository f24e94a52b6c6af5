"""Today page, planner and brief through AppTest on the seeded demo (issue 6)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from dashboard.downloads import brief_csv
from pipelines import db, sessions
from pipelines.access import AccessDenied
from tests.helpers.clock import AS_OF
from tests.helpers.dashboard_fixtures import OWNER, app_as, shown
from tests.helpers.viewers import acting, trainer


def _sore_client_session() -> tuple[str, int]:
    con = db.connect()
    row = con.execute(
        "select client_id, session_id from sessions where session_date = ? and session_type = 'legs' "
        "order by planned_rpe desc limit 1",
        [AS_OF],
    ).fetchone()
    con.close()
    return row


def test_today_page_lists_todays_and_tomorrows_sessions_in_time_order(demo_db):
    at = app_as(OWNER).run()
    at.switch_page("screens/today.py").run()
    assert not at.exception
    con = db.connect()
    expected = sessions.sessions_between(con, OWNER, AS_OF, AS_OF + dt.timedelta(days=1))
    con.close()
    assert len(expected) >= 3
    shown = [m.value for m in at.markdown if " min at RPE " in m.value]
    assert [line.split("**")[1] for line in shown] == list(expected["name"])
    assert [h.value for h in at.subheader] == ["Today", "Tomorrow"]


def test_planner_warns_about_the_heavy_leg_session_and_one_click_makes_it_safe(demo_db):
    client_id, session_id = _sore_client_session()
    at = app_as(OWNER)
    at.session_state["client_id"] = client_id
    at.run()
    at.switch_page("screens/client.py").run()
    assert not at.exception
    errors = [shown(e.value) for e in at.error]
    assert any(reason.startswith("Training jumped: this week's load is 1.") for reason in errors), errors
    change = next(b for b in at.button if b.label.startswith("Change to "))
    change.click().run()
    assert not at.exception
    con = db.connect()
    kind, minutes, rpe = con.execute(
        "select session_type, planned_minutes, planned_rpe from sessions where session_id = ?", [session_id]
    ).fetchone()
    result = sessions.project_session(con, OWNER, client_id, day=AS_OF, session_type=kind, minutes=minutes, rpe=rpe)
    con.close()
    assert kind != "legs"
    assert result["warnings"] == []
    assert any("No new load flags" in s.value for s in at.success)


def test_brief_page_shows_the_planned_session_and_its_projection(demo_db):
    client_id, _ = _sore_client_session()
    at = app_as(OWNER)
    at.session_state["client_id"] = client_id
    at.run()
    at.switch_page("screens/brief.py").run()
    assert not at.exception
    texts = "\n".join(m.value for m in at.markdown)
    assert "**Planned session**" in texts and "**Last 3 days**" in texts
    assert any(e.value.startswith("Training jumped") for e in at.error)


def test_brief_csv_has_every_section_and_respects_the_trainer_scope(demo_db):
    client_id, _ = _sore_client_session()
    rows = list(csv.DictReader(io.StringIO(brief_csv(OWNER, client_id).decode())))
    sections = {row["section"] for row in rows}
    assert {"client", "status", "last 3 days", "planned session"} <= sections
    assert any(row["item"] == "warning" and row["value"].startswith("Training jumped") for row in rows)
    con = db.connect()
    owner = con.execute("select trainer_id from clients where client_id = ?", [client_id]).fetchone()[0]
    other = con.execute("select trainer_id from trainers where trainer_id <> ? and not is_owner limit 1", [owner]).fetchone()[0]
    con.close()
    with pytest.raises(AccessDenied):
        brief_csv(trainer(other), client_id)


def test_marking_todays_session_done_counts_its_load(demo_db):
    at = app_as(OWNER).run()
    at.switch_page("screens/today.py").run()
    con = db.connect()
    first = sessions.sessions_between(con, OWNER, AS_OF, AS_OF).iloc[0]
    con.close()
    save = next(b for b in at.button if b.label == "Save")
    save.click().run()
    assert not at.exception
    con = db.connect()
    done, minutes = con.execute(
        "select done, actual_minutes from sessions where session_id = ?", [int(first["session_id"])]
    ).fetchone()
    source = con.execute(
        "select source from day_sessions where client_id = ? and day = ?", [first["client_id"], AS_OF]
    ).fetchone()
    con.close()
    assert done and minutes == first["planned_minutes"]
    assert source is not None


def test_today_shows_the_projected_risk_and_one_tap_makes_it_safe(demo_db):
    client_id, session_id = _sore_client_session()
    at = app_as(OWNER).run()
    at.switch_page("screens/today.py").run()
    assert not at.exception
    risks = [shown(e.value) for e in at.error if e.value.startswith("**If done as planned:**")]
    assert len(risks) == 1
    assert "Training jumped: this week's load is 1." in risks[0] and "Legs trained again today" in risks[0]
    assert any(c.value.startswith("No new load flags") or "No new load flags" in c.value for c in at.caption)
    change = next(b for b in at.button if b.key == f"apply_{session_id}")
    assert change.label.startswith("Change to mobility")
    change.click().run()
    assert not at.exception
    assert not [e for e in at.error if e.value.startswith("**If done as planned:**")]
    con = db.connect()
    kind = con.execute("select session_type from sessions where session_id = ?", [session_id]).fetchone()[0]
    con.close()
    assert kind == "mobility"


def test_yesterdays_sessions_ask_done_with_one_tap(demo_db):
    con = db.connect()
    clients = [row[0] for row in con.execute("select client_id from clients order by client_id limit 2").fetchall()]
    yesterday = AS_OF - dt.timedelta(days=1)
    done_id = sessions.add_session(con, acting("demo"), clients[0], day=yesterday, session_type="upper", minutes=45, rpe=6,
                                   start_time="09:00")
    skipped_id = sessions.add_session(con, acting("demo"), clients[1], day=yesterday, session_type="cardio", minutes=30, rpe=5,
                                      start_time="10:00")
    con.close()
    at = app_as(OWNER).run()
    at.switch_page("screens/today.py").run()
    assert "Yesterday: done?" in [h.value for h in at.subheader]
    next(b for b in at.button if b.key == f"yes_{done_id}").click().run()
    assert not at.exception
    next(b for b in at.button if b.key == f"no_{skipped_id}").click().run()
    assert not at.exception
    assert "Yesterday: done?" not in [h.value for h in at.subheader]
    con = db.connect()
    done = con.execute("select done, actual_minutes, actual_rpe from sessions where session_id = ?", [done_id]).fetchone()
    skipped = con.execute("select count(*) from sessions where session_id = ?", [skipped_id]).fetchone()[0]
    load = con.execute("select load from day_sessions where client_id = ? and day = ?", [clients[0], yesterday]).fetchone()
    con.close()
    assert done == (True, 45, 6) and skipped == 0
    assert load is not None
