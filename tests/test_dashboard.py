"""Dashboard pages through streamlit.testing.v1.AppTest on the seeded demo database."""

from __future__ import annotations

import pytest

from pipelines import db, load_state, people, plans, tokens
from pipelines.access import Viewer
from tests.helpers.dashboard_fixtures import (
    LEG_DAY_ANSWERS,
    OWNER,
    answer_checkin,
    app_as,
    send,
    shown,
)
from tests.helpers.viewers import acting

SAM = Viewer("sam", "Sam Rivera", False)


def _texts(at) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parts += [e.value for e in at.info] + [e.value for e in at.error] + [e.value for e in at.success]
    return "\n".join(str(p) for p in parts)


def test_login_page_refuses_a_wrong_password_then_lets_the_trainer_in(demo_db):
    at = app_as(None).run()
    username, password = at.text_input
    username.input("sam")
    password.input("not-the-password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Username or password is not right."]
    username, password = at.text_input
    username.input("sam")
    password.input("legday-sam")
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["viewer"].trainer_id == "sam"
    assert "Roster" in [t.value for t in at.title]


def test_roster_lists_only_the_trainers_clients_with_status_badges(demo_db):
    at = app_as(SAM).run()
    assert not at.exception
    table = at.dataframe[0].value
    con = db.connect()
    own = {r[0] for r in con.execute("select name from clients where trainer_id = 'sam' and active").fetchall()}
    con.close()
    assert set(table["Client"]) == own
    assert table["Status"].str.contains("rest|caution|stale|ready|no data").all()


def test_roster_filters_by_status_and_search(demo_db):
    at = app_as(OWNER).run()
    everyone = at.dataframe[0].value
    at.multiselect[0].set_value(["rest"]).run()
    assert set(at.dataframe[0].value["Status"]) == {"● rest"}
    first_name = everyone["Client"].iloc[0]
    at.multiselect[0].set_value([]).run()
    at.text_input[0].input(first_name.split()[0].lower()).run()
    assert first_name in set(at.dataframe[0].value["Client"])
    at.text_input[0].input("zzzz-nobody").run()
    assert "No client matches these filters." in _texts(at)


def test_a_long_roster_table_shows_a_page_of_rows_then_more_on_request(demo_db, monkeypatch):
    from dashboard import roster_table

    monkeypatch.setattr(roster_table, "TABLE_ROWS", 10)
    at = app_as(OWNER).run()
    first_page = at.dataframe[0].value
    total = sum(int(metric.value) for metric in at.metric)  # the counters count every client
    assert len(first_page) == 10 and total > 10
    assert f"The first 10 of {total} clients; filter or search to find the others." in _texts(at)
    at.button(key="roster-more-rows").click().run()
    assert not at.exception
    assert list(at.dataframe[0].value["Client"][:10]) == list(first_page["Client"])
    assert len(at.dataframe[0].value) == min(20, total)


def test_client_page_shows_status_reasons_charts_and_saves_a_plan(demo_db):
    con = db.connect()
    client_id = con.execute("select client_id from clients where trainer_id = 'sam' order by client_id limit 1").fetchone()[0]
    before = len(plans.list_revisions(con, OWNER, client_id))
    con.close()
    at = app_as(SAM, client=client_id)
    at.run()
    at.switch_page("screens/client.py").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 5
    assert "Recovery plan" in [h.value for h in at.header]
    save = next(b for b in at.button if b.label == "Save plan")
    save.click().run()
    assert not at.exception
    con = db.connect()
    revisions = plans.list_revisions(con, OWNER, client_id)
    con.close()
    assert len(revisions) == before + 1
    assert revisions[0]["created_by"] == "sam" or revisions[-1]["created_by"] == "sam"


def test_client_page_refuses_another_trainers_client_by_query_parameter(demo_db):
    con = db.connect()
    other = con.execute("select client_id from clients where trainer_id <> 'sam' limit 1").fetchone()[0]
    con.close()
    at = app_as(SAM, client=other).run()
    at.switch_page("screens/client.py").run()
    assert not at.exception
    shown = at.selectbox[0].value
    con = db.connect()
    assert con.execute("select trainer_id from clients where client_id = ?", [shown]).fetchone()[0] == "sam"
    con.close()


def test_checkin_link_flow_validates_and_stores_the_checkin(demo_db):
    con = db.connect()
    client_id = con.execute("select client_id from clients where trainer_id = 'sam' order by client_id limit 1").fetchone()[0]
    link = tokens.create_link(con, acting("sam"), client_id, days=7, base_url="http://x")
    con.execute("delete from check_ins where client_id = ? and checkin_date = ?", [client_id, db.as_of(con)])
    load_state.refresh(con, [client_id])
    con.close()
    token = link.split("t=", 1)[1]
    at = app_as(None, t=token).run()
    assert not at.exception
    assert at.query_params["t"] == token  # kept, so the page can be bookmarked
    answer_checkin(at, LEG_DAY_ANSWERS | {"session_minutes": 0})
    send(at)
    assert not at.exception
    refusals = [shown(e.value) for e in at.error]
    assert "Not sent yet. Still to answer: Minutes." in refusals and any("More than 0" in e for e in refusals)
    answer_checkin(at, {"session_minutes": 50})
    send(at)
    assert not at.exception
    assert "Thank you" in _texts(at)
    con = db.connect()
    row = con.execute(
        "select session_type, session_minutes, session_rpe from check_ins where client_id = ? and checkin_date = ?",
        [client_id, db.as_of(con)],
    ).fetchone()
    con.close()
    assert row == ("legs", 50, 7)


@pytest.mark.parametrize("state", ["unknown", "revoked"])
def test_invalid_links_get_one_plain_message(demo_db, state):
    token = "not-a-real-token"
    if state == "revoked":
        con = db.connect()
        client_id = con.execute("select min(client_id) from clients").fetchone()[0]
        link = tokens.create_link(con, acting("demo"), client_id, days=7, base_url="http://x")
        token = link.split("t=", 1)[1]
        tokens.revoke_links(con, acting("demo"), client_id)
        con.close()
    at = app_as(None, t=token).run()
    assert [e.value for e in at.error] == ["This link is no longer valid — ask your trainer for a new one."]
    assert not at.text_input and not at.slider


def test_every_page_handles_a_new_trainer_without_clients(demo_db):
    from pipelines import people

    con = db.connect()
    people.add_trainer(con, OWNER, "newbie", "New Trainer", "newbie-pass-1")
    con.close()
    newbie = Viewer("newbie", "New Trainer", False)
    for page in ["screens/roster.py", "screens/client.py", "screens/export.py", "screens/clients_admin.py",
                 "screens/import_data.py", "screens/thresholds.py"]:
        at = app_as(newbie).run()
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)


def test_clients_page_deletes_a_client_only_after_typing_its_code(demo_db):
    con = db.connect()
    client_id = con.execute("select client_id from clients where trainer_id = 'sam' order by client_id limit 1").fetchone()[0]
    con.close()
    at = app_as(SAM).run()
    at.switch_page("screens/clients_admin.py").run()
    at.selectbox(key="admin_client").set_value(client_id).run()
    delete = next(b for b in at.button if b.label == "Delete client")
    assert delete.disabled
    at.text_input(key=f"delete_confirm_{client_id}").input(client_id).run()
    next(b for b in at.button if b.label == "Delete client").click().run()
    assert not at.exception
    con = db.connect()
    assert con.execute("select count(*) from check_ins where client_id = ?", [client_id]).fetchone()[0] == 0
    assert con.execute("select count(*) from clients where client_id = ?", [client_id]).fetchone()[0] == 0
    con.close()


def test_client_zip_download_is_scoped_to_the_trainer(demo_db):
    import io
    import zipfile

    from dashboard.downloads import client_zip
    from pipelines.access import AccessDenied

    con = db.connect()
    own = con.execute("select client_id from clients where trainer_id = 'sam' limit 1").fetchone()[0]
    other = con.execute("select client_id from clients where trainer_id <> 'sam' limit 1").fetchone()[0]
    con.close()
    assert "check_ins.csv" in zipfile.ZipFile(io.BytesIO(client_zip(SAM, own))).namelist()
    with pytest.raises(AccessDenied):
        client_zip(SAM, other)


def _plan_editor(at):
    return next(frame.proto for frame in at.dataframe if "plan_editor_" in frame.proto.id)


def _plan_editor_id(at) -> str:
    return _plan_editor(at).id


def test_plan_editor_hands_a_committed_cell_to_the_form_at_once(demo_db):
    """on_change="ignore" (ignore_rerun) makes the browser pass a committed cell to the
    form straight away; by default it waits 150 ms and a quick "Save plan" lost the edit."""
    at = app_as(SAM)
    at.run()
    at.switch_page("screens/client.py").run()
    assert not at.exception
    assert _plan_editor(at).ignore_rerun


def test_plan_editor_keeps_its_identity_across_reruns_until_the_plan_is_saved(demo_db):
    """Another widget, the planner fragment or a plain rerun must not re-create the plan
    editor (a new identity would drop cells the trainer typed but has not saved yet);
    saving starts a fresh editor on the new revision."""
    con = db.connect()
    client_id = con.execute("select client_id from clients where trainer_id = 'sam' order by client_id limit 1").fetchone()[0]
    con.close()
    at = app_as(SAM, client=client_id)
    at.run()
    at.switch_page("screens/client.py").run()
    first = _plan_editor_id(at)
    today = at.date_input[0].value[1]
    at.date_input[0].set_value((today.replace(day=1), today)).run()
    assert _plan_editor_id(at) == first
    next(b for b in at.button if b.label == "Show the effect").click().run()
    assert not at.exception
    assert _plan_editor_id(at) == first
    at.run()
    assert _plan_editor_id(at) == first
    next(b for b in at.button if b.label == "Save plan").click().run()
    con = db.connect()
    revision = plans.current_plan(con, OWNER, client_id).revision
    con.close()
    assert _plan_editor_id(at) != first
    assert _plan_editor_id(at).endswith(f"plan_editor_{client_id}_{revision}")


@pytest.mark.parametrize(
    ("as_of", "status", "why"),
    [
        ("2026-11-08", "● rest", "Pain reported today · Quads 8/10 sore today · Leg day today"),
        ("2026-11-09", "● rest", "Pain reported yesterday · Quads 8/10 sore yesterday · Leg day yesterday · "
                                 "From the check-in yesterday"),
        ("2026-11-11", "● rest", "Pain reported on Sun 8 Nov, 3 days ago · Quads 8/10 sore on Sun 8 Nov, 3 days ago · "
                                 "Leg day on Sun 8 Nov, 3 days ago · No check-in for 3 days (last on Sun 8 Nov) · "
                                 "From the check-in on Sun 8 Nov, 3 days ago"),
        ("2026-11-20", "◌ stale", "No check-in for 12 days (last on Sun 8 Nov) · Pain reported on Sun 8 Nov, 12 days ago · "
                                  "Quads 8/10 sore on Sun 8 Nov, 12 days ago · Leg day on Sun 8 Nov, 12 days ago · "
                                  "Last check-in on Sun 8 Nov, 12 days ago: too old to act on (it said rest)"),
    ],
    ids=["same day", "1 day later", "3 days later", "12 days later"],
)
def test_roster_words_stay_true_on_the_day_they_are_read(con, monkeypatch, as_of, status, why):
    """One check-in (leg day, quads 8/10, pain on Sunday 8 November) read on the roster
    page 0, 1, 3 and 12 days later."""
    from pipelines.settings import get_settings
    from tests.helpers.metrics_fixtures import add_checkins, add_client, day, session

    people.add_trainer(con, OWNER, "demo", "Demo Owner", "owner-pass-1", owner=True)
    add_client(con, "o", trainer_id="demo", name="Olga Once")
    add_checkins(con, "o", {day("2026-11-08"): {**session("legs", 60, 7), "pain": True, "soreness_quads": 8}})
    con.close()
    monkeypatch.setenv("LEGDAY_AS_OF", as_of)
    get_settings.cache_clear()
    at = app_as(OWNER).run()
    assert not at.exception
    row = at.dataframe[0].value.iloc[0]
    assert (row["Client"], row["Status"], row["Why"]) == ("Olga Once", status, why)
    assert row["Decided by"] == ("No recent check-in" if status == "◌ stale" else "Pain")
