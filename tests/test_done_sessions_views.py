"""Done sessions where the load shows (issue 11): the Today page, the brief (screen and CSV),
the client's load chart, the Import page's summary of a session file, and a planned
session's done row that a trainer corrected (docs/done-sessions.md "Where the load shows")."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest

from dashboard import charts
from dashboard.downloads import brief_csv
from dashboard.projection_table import ESTIMATED_NOTE, comparison_table
from pipelines import brief, db, done_sessions, metrics, sessions
from pipelines.ingest import ingest_file
from tests.helpers.clock import AS_OF
from tests.helpers.dashboard_fixtures import OWNER, app_as, shown
from tests.helpers.metrics_fixtures import add_checkins, add_client, rows, session

YESTERDAY = AS_OF - dt.timedelta(days=1)
RUN = "Cardio 30 min, no RPE given, load 150 AU estimated"  # cardio's default RPE is 5


def _frame(*sessions_: dict) -> pd.DataFrame:
    base = {"original_type": None, "minutes": None, "rpe": None, "rpe_estimated": False, "load": None}
    return pd.DataFrame([{**base, **row} for row in sessions_])


def test_a_session_reads_plain_words_first_and_says_when_its_load_is_estimated():
    legs = {"session_type": "legs", "minutes": 60, "rpe": 8, "load": 480.0}
    run = {"session_type": "cardio", "original_type": "Run", "minutes": 30, "rpe": 5, "rpe_estimated": True,
           "load": 150.0}
    practice = {"session_type": "other", "original_type": "Team practice", "load": 350.0}
    said = [done_sessions.session_words(row) for _, row in _frame(legs, run, practice).iterrows()]
    assert said == [
        "Legs 60 min at RPE 8, load 480 AU",
        "Cardio (Run) 30 min, no RPE given, load 150 AU estimated",
        "Other training (Team practice), load 350 AU",
    ]
    assert done_sessions.day_words(_frame(legs, run)) == (
        "Legs 60 min at RPE 8, load 480 AU · Cardio (Run) 30 min, no RPE given, load 150 AU estimated; "
        "day's load 630 AU, partly estimated"
    )
    assert done_sessions.day_words(_frame(run, run)).endswith("; day's load 300 AU estimated")
    unknown = {"session_type": "legs", "minutes": 45}  # a check-in's session without its RPE
    assert done_sessions.session_words(_frame(unknown).iloc[0]) == "Legs 45 min, no RPE given, no load counted"


def _todays_client() -> tuple[str, int]:
    con = db.connect()
    row = con.execute(
        "select client_id, session_id from sessions where session_date = ? order by start_time, session_id limit 1",
        [AS_OF],
    ).fetchone()
    con.close()
    return row


def _add_run(client_id: str, day: dt.date = YESTERDAY) -> None:
    """A run without an RPE (the type's default counts, estimated), as an app export gives it."""
    con = db.connect()
    done_sessions.add_session(con, OWNER, client_id, day=day, session_type="cardio", minutes=30)
    con.close()


def test_today_shows_the_training_that_made_each_clients_load(demo_db):
    client_id, _ = _todays_client()
    _add_run(client_id)
    con = db.connect()
    expected = done_sessions.training_days(
        done_sessions.sessions_of_days(con, OWNER, [client_id], AS_OF - dt.timedelta(days=2), AS_OF))
    name = con.execute("select name from clients where client_id = ?", [client_id]).fetchone()[0]
    con.close()
    yesterday = next(entry for entry in expected if entry["day"] == YESTERDAY)
    assert RUN in yesterday["line"]

    at = app_as(OWNER).run()
    at.switch_page("screens/today.py").run()
    assert not at.exception
    captions = [shown(c.value) for c in at.caption]
    assert any(m.value.startswith(f"**{name}**") for m in at.markdown)
    assert any(f"Trained yesterday: {yesterday['line']}" in text for text in captions), captions


def test_a_done_plan_on_today_says_what_its_corrected_row_counts(demo_db):
    client_id, session_id = _todays_client()
    con = db.connect()
    sessions.mark_done(con, OWNER, session_id, actual_minutes=60, actual_rpe=8)
    row_id = con.execute("select done_session_id from done_sessions where planned_session_id = ?",
                         [session_id]).fetchone()[0]
    done_sessions.correct_session(con, OWNER, row_id, reason="left after 20 minutes", day=AS_OF,
                                  session_type="mobility", minutes=20, rpe=3)
    con.close()
    at = app_as(OWNER).run()
    at.switch_page("screens/today.py").run()
    assert not at.exception
    done = [shown(c.value) for c in at.caption if c.value.startswith("Done")]
    assert done and done[0].startswith("Done: Mobility 20 min at RPE 3, load 60 AU"), done
    assert done[0].endswith("(corrected on the client page)")


def test_marking_a_corrected_plan_done_again_keeps_the_correction(con):
    add_client(con, "c1")
    add_checkins(con, "c1", {AS_OF - dt.timedelta(days=3): {}, AS_OF: {}})  # today's check-in: no session
    planned = sessions.add_session(con, OWNER, "c1", day=AS_OF, session_type="legs", minutes=60, rpe=8)
    sessions.mark_done(con, OWNER, planned, actual_minutes=60, actual_rpe=8)
    row_id = con.execute("select done_session_id from done_sessions where planned_session_id = ?",
                         [planned]).fetchone()[0]
    done_sessions.correct_session(con, OWNER, row_id, reason="stopped after the warm-up", day=AS_OF,
                                  session_type="legs", minutes=15, rpe=4)
    load = "select load from client_day_load where client_id = 'c1' and day = $day"
    assert rows(con, load, {"day": AS_OF}) == [{"load": 60.0}]

    sessions.mark_done(con, OWNER, planned, actual_minutes=60, actual_rpe=8)  # the planner marks it done again
    sessions.update_session(con, OWNER, planned, notes="moved to the small gym")  # or edits the done plan

    stored = rows(con, "select done_session_id, minutes, rpe, load, corrected_at is not null as corrected "
                       "from done_sessions where planned_session_id = $id", {"id": planned})
    assert stored == [{"done_session_id": row_id, "minutes": 15, "rpe": 4, "load": 60.0, "corrected": True}]
    history = rows(con, "select minutes, rpe, change, reason from done_session_history where done_session_id = $id",
                   {"id": row_id})
    assert history == [{"minutes": 60, "rpe": 8, "change": "corrected", "reason": "stopped after the warm-up"}]
    assert rows(con, load, {"day": AS_OF}) == [{"load": 60.0}]

    done_sessions.remove_session(con, OWNER, row_id, reason="did not train after all")
    sessions.mark_done(con, OWNER, planned, actual_minutes=45, actual_rpe=6)
    assert rows(con, "select count(*) as live from done_sessions where planned_session_id = $id "
                     "and removed_at is null", {"id": planned}) == [{"live": 0}]
    assert rows(con, load, {"day": AS_OF}) == [{"load": 0.0}]


def test_the_brief_lists_the_last_days_training_and_marks_estimated_loads(demo_db):
    client_id, _ = _todays_client()
    _add_run(client_id)
    _add_run(client_id, AS_OF)  # a morning run today, before the planned session
    con = db.connect()
    summary = brief.brief(con, OWNER, client_id)
    con.close()
    days = {entry["day"]: entry for entry in summary["training"]}
    assert RUN in days[YESTERDAY]["line"] and days[YESTERDAY]["when"] == "yesterday"
    assert list(days) == sorted(days, reverse=True)
    assert summary["next_session"]["projection"]["without"]["load_estimated"] is True
    table = comparison_table(summary["next_session"]["projection"])
    assert table.iloc[0]["Without the session"] == "150 (est.)"
    assert table.iloc[0]["With the session"].endswith(" (est.)")  # the run is in that day's load too

    csv_rows = list(csv.DictReader(io.StringIO(brief_csv(OWNER, client_id).decode())))
    training = [(row["item"], row["value"]) for row in csv_rows if row["section"] == "training"]
    assert (YESTERDAY.isoformat(), days[YESTERDAY]["line"]) in training

    at = app_as(OWNER)
    at.session_state["client_id"] = client_id
    at.run()
    at.switch_page("screens/brief.py").run()
    assert not at.exception
    assert "**Training, last 3 days**" in [m.value for m in at.markdown]
    assert any(shown(m.value) == f"- Yesterday: {days[YESTERDAY]['line']}" for m in at.markdown)
    cells = [str(cell) for table in at.table for cell in table.value.to_numpy().ravel()]
    assert "150 (est.)" in cells
    assert ESTIMATED_NOTE in [c.value for c in at.caption]


def test_a_client_without_training_has_the_brief_say_so(con):
    add_client(con, "c1")
    add_checkins(con, "c1", {AS_OF - dt.timedelta(days=5): session("legs", 60, 7), AS_OF: {}})
    summary = brief.brief(con, OWNER, "c1")
    assert summary["training"] == []
    assert ("training", "last 3 days", brief.NO_TRAINING) in list(brief.brief_rows(summary).itertuples(index=False, name=None))


def test_the_load_chart_draws_one_segment_per_counted_session(con):
    add_client(con, "c1")
    first = AS_OF - dt.timedelta(days=6)
    add_checkins(con, "c1", {first: session("legs", 60, 7), AS_OF - dt.timedelta(days=2): session("upper", 40, 6)})
    done_sessions.add_session(con, OWNER, "c1", day=first, session_type="cardio", minutes=30)  # estimated, counts
    ingest_file(con, OWNER, b"client_id,date,type,minutes,rpe\nc1,%s,legs,60,7\n" % first.isoformat().encode(),
                file_name="watch.csv", mapping="sessions")  # the check-in's leg session again: counted once
    trained = done_sessions.sessions_of_days(con, OWNER, ["c1"], first, AS_OF)
    days = metrics.client_days(con, OWNER, "c1", first, AS_OF)

    segments = charts.session_segments(trained)
    assert list(segments["type"]) == ["Legs", "Cardio", "Upper body"]
    assert list(segments["estimated"]) == [False, True, False]
    assert list(segments["rpe"]) == ["7", "5, estimated (not given)", "6"]
    summed = segments.groupby(segments["day"].dt.date)["load"].sum()
    loads = days.set_index(days["day"].dt.date)["load"]
    assert summed.to_dict() == loads[loads > 0].to_dict()  # the same rows the metrics sum

    spec = charts.load(days, trained).to_dict()
    bars = spec["layer"][0]
    assert bars["encoding"]["y"]["stack"] == "zero" and bars["encoding"]["order"]["field"] == "order"
    assert [item["title"] for item in bars["encoding"]["tooltip"]] == ["Day", "Session", "Minutes", "RPE",
                                                                        "Load (AU)", "From"]
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Legs", "Upper body", "Cardio", "7-day mean", "28-day mean"]


def test_the_client_page_says_what_a_faded_segment_means_when_one_is_drawn(demo_db):
    client_id, _ = _todays_client()
    at = app_as(OWNER)
    at.session_state["client_id"] = client_id
    at.run()
    at.switch_page("screens/client.py").run()
    assert not at.exception
    assert charts.ESTIMATED_NOTE not in [c.value for c in at.caption]  # the demo's sessions all have an RPE
    _add_run(client_id)
    at.run()
    assert not at.exception
    assert charts.ESTIMATED_NOTE in [c.value for c in at.caption]


@pytest.mark.parametrize(("rpe", "estimated"), [("", 1), ("6", 0)])
def test_the_import_page_counts_session_rows_without_an_rpe(con, rpe, estimated):
    add_client(con, "c1")
    add_checkins(con, "c1", {AS_OF - dt.timedelta(days=3): {}})
    con.close()
    at = app_as(OWNER).run()
    at.switch_page("screens/import_data.py").run()
    upload = f"client_id,date,type,minutes,rpe\nc1,{YESTERDAY},cardio,30,{rpe}\n".encode()
    at.file_uploader[0].set_value(("runs.csv", upload, "text/csv")).run()
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception
    shown_metrics = {m.label: m.value for m in at.metric}
    assert "With an answer left empty" not in shown_metrics
    assert shown_metrics["No RPE given: load estimated"] == str(estimated)
    assert any("came without an RPE" in c.value for c in at.caption) == bool(estimated)


def test_a_session_files_rows_without_an_rpe_are_counted_whether_new_or_not(con):
    add_client(con, "c1")
    add_checkins(con, "c1", {AS_OF - dt.timedelta(days=3): {}})
    run = f"c1,{YESTERDAY},cardio,30,\n"
    first = ingest_file(con, OWNER, b"client_id,date,type,minutes,rpe\n" + run.encode(), file_name="a.csv",
                        mapping="sessions")
    again = ingest_file(con, OWNER, f"client_id,date,type,minutes,rpe\n{run}c1,{AS_OF},legs,50,7\n".encode(),
                        file_name="b.csv", mapping="sessions")
    assert (first.accepted, first.estimated) == (1, 1)
    assert (again.accepted, again.unchanged, again.estimated) == (1, 1, 1)
    assert again.summary.endswith("; 1 without an RPE (load estimated from the type's default RPE)")
    header = ("client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves,"
              "sleep_hours,sleep_quality,energy,stress,mood")
    checkins = ingest_file(con, OWNER, f"{header}\nc1,{AS_OF},1,1,1,1,7,3,3,3,3\n".encode(), file_name="c.csv")
    assert checkins.accepted == 1
    assert checkins.estimated is None


def test_the_cli_says_when_a_session_marked_done_again_keeps_its_correction(con):
    from typer.testing import CliRunner

    from pipelines.cli import app

    add_client(con, "c1")
    add_checkins(con, "c1", {AS_OF - dt.timedelta(days=3): {}})
    planned = sessions.add_session(con, OWNER, "c1", day=YESTERDAY, session_type="legs", minutes=60, rpe=8)
    sessions.mark_done(con, OWNER, planned, actual_minutes=60, actual_rpe=8)
    row_id = done_sessions.planned_row(con, OWNER, planned)["done_session_id"]
    done_sessions.correct_session(con, OWNER, row_id, reason="stopped after the warm-up", day=YESTERDAY,
                                  session_type="legs", minutes=15, rpe=4)
    con.close()
    result = CliRunner().invoke(app, ["session", "done", str(planned), "--minutes", "60", "--rpe", "8"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == ("note: a trainer corrected this session on the client page; the "
                                              "correction stands: Legs 15 min at RPE 4, load 60 AU")
