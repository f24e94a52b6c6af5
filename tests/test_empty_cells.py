"""An unanswered cell reads as empty, never as the word "None" (st.dataframe's default for a
missing value): every table a page draws goes through dashboard.formatting.dataframe, and the
client's check-ins say yes/no and the session's name in words, with the reason beside an
answer that could not be read."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from dashboard.formatting import EMPTY_CELL, LEFT_EMPTY, checkins_table
from pipelines import db, metrics
from pipelines.ingest import ingest_file
from tests.helpers.clock import AS_OF
from tests.helpers.dashboard_fixtures import OWNER, app_as

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard"
HEADER = ("client_id,checkin_date,soreness_quads,soreness_hamstrings,soreness_glutes,soreness_calves,"
          "sleep_hours,sleep_quality,energy,stress,mood,water_liters,ate_recovery_meal,session_type,"
          "session_minutes,session_rpe,pain,notes")


def test_every_table_on_a_page_draws_missing_values_empty():
    """One place decides how a missing value reads: no page calls st.dataframe itself."""
    calls = {path.relative_to(DASHBOARD).as_posix(): len(re.findall(r"\bst\.dataframe\(", path.read_text()))
             for path in DASHBOARD.rglob("*.py")}
    assert {path: count for path, count in calls.items() if count} == {"formatting.py": 1}
    assert EMPTY_CELL == ""


def test_the_check_ins_table_leaves_unanswered_cells_empty_and_says_yes_or_no():
    checkins = pd.DataFrame({
        "checkin_date": [dt.date(2026, 11, 18), dt.date(2026, 11, 19)],
        **{field: [1, 2] for field in ("soreness_quads", "soreness_hamstrings", "soreness_glutes", "soreness_calves",
                                       "sleep_quality", "energy", "stress", "mood")},
        "sleep_hours": [7.5, 6.0], "water_liters": [None, 2.25], "ate_recovery_meal": [None, False],
        "session_type": ["none", None], "session_minutes": [0, None], "session_rpe": [None, None],
        "pain": [False, True], "notes": [None, "left knee"],
    })
    table = checkins_table(checkins)
    assert LEFT_EMPTY not in table
    newest, older = table.to_dict("records")
    assert (newest["Refuelled"], newest["Pain"], newest["Notes"]) == ("no", "yes", "left knee")
    assert (older["Pain"], older["Session"]) == ("no", "No training")
    assert all(pd.isna(older[column]) for column in ("Refuelled", "Water L", "RPE", "Notes"))
    assert pd.isna(newest["Session"]) and pd.isna(newest["Min"])

    noted = checkins_table(checkins, [
        {"checkin_date": dt.date(2026, 11, 19), "field": "session_type", "reason": "session_type 'gym' could not be read"},
    ])
    assert noted[LEFT_EMPTY].iloc[0] == "session_type 'gym' could not be read" and pd.isna(noted[LEFT_EMPTY].iloc[1])


def test_the_client_page_draws_empty_cells_empty_with_the_reason_of_an_unread_answer(demo_db):
    con = db.connect()
    client_id = con.execute("select min(client_id) from clients where active").fetchone()[0]
    day = AS_OF - dt.timedelta(days=1)
    row = f"{client_id},{day},2,1,0,0,7.5,4,3,3,4,lots,,gym,45,6,no,"
    result = ingest_file(con, OWNER, f"{HEADER}\n{row}\n".encode(), file_name="form.csv")
    assert (result.accepted + result.updated, result.noted) == (1, 1)
    stored = metrics.checkins(con, OWNER, [client_id], day, day)
    con.close()
    assert stored[["water_liters", "ate_recovery_meal", "session_type"]].isna().all(axis=None)

    at = app_as(OWNER, client=client_id).run()
    at.switch_page("screens/client.py").run()
    assert not at.exception
    tables = [frame for frame in at.dataframe if frame.editing_mode == "read_only"]  # not the plan editor
    assert len(tables) == 2  # the check-ins and the training sessions
    assert all(frame.proto.HasField("placeholder") and frame.proto.placeholder == EMPTY_CELL for frame in tables)
    checkins = next(frame.value for frame in at.dataframe if "Refuelled" in frame.value)
    that_day = checkins[checkins["Date"] == day].iloc[0]
    assert that_day[["Water L", "Refuelled", "Session"]].isna().all()
    assert "water_liters 'lots'" in that_day[LEFT_EMPTY] and "session_type 'gym'" in that_day[LEFT_EMPTY]
    assert that_day["Pain"] == "no" and that_day["Min"] == 45
