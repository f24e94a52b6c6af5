"""Numbers on screen are rounded to what they mean, as exports write them (issue 10 item 8):
loads whole, ratios and the rest two decimals, in every table and chart tooltip."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import charts, checkin_form
from dashboard.formatting import brief_days_table, rounded
from dashboard.projection_table import comparison_table
from pipelines import db, done_sessions, load_state, metrics
from pipelines.vocabulary import SORENESS_FIELDS
from tests.helpers.dashboard_fixtures import OWNER, app_as

THIRDS = 22 / 3  # 7 h 20 min of sleep, 7.333… h


def test_rounded_keeps_loads_whole_and_the_rest_to_two_decimals():
    frame = pd.DataFrame({
        "load": [312.4, None], "acute_load": [99.5, 1.0], "strain": [28671.49, 0.0], "acwr": [1.23456, None],
        "sleep_hours": [THIRDS, 7.5], "water_liters": [None, 1.0], "session_minutes": [60, 0], "name": ["a", "b"],
    })
    shown = rounded(frame)
    assert shown["load"].tolist() == [312, pd.NA] and str(shown["load"].dtype) == "Int64"
    assert shown["acute_load"].tolist() == [100, 1] and shown["strain"].tolist() == [28671, 0]
    assert shown["acwr"].iloc[0] == 1.23 and pd.isna(shown["acwr"].iloc[1])
    assert shown["sleep_hours"].tolist() == [7.33, 7.5]
    assert shown["session_minutes"].tolist() == [60, 0] and shown["name"].tolist() == ["a", "b"]
    assert frame["sleep_hours"].iloc[0] == THIRDS  # the caller's frame is untouched


def _decimals_in(value) -> int:
    if not isinstance(value, float) or pd.isna(value):
        return 0
    return len(repr(value).split(".")[1]) if "." in repr(value) else 0


@pytest.fixture
def thirds_db(demo_db):
    """The demo database with the first client's latest check-in at 7 h 20 min of sleep and a third of
    a litre of water on top of two."""
    con = db.connect()
    client_id, day = con.execute(
        "select client_id, max(checkin_date) from check_ins group by client_id order by client_id limit 1"
    ).fetchone()
    con.execute("update check_ins set sleep_hours = ?, water_liters = ? where client_id = ? and checkin_date = ?",
                [THIRDS, 7 / 3, client_id, day])
    load_state.refresh(con, [client_id])
    con.close()
    return client_id, day


def test_the_client_page_tables_show_two_decimals(thirds_db):
    client_id, day = thirds_db
    at = app_as(OWNER, client=client_id).run()
    at.switch_page("screens/client.py").run()
    assert not at.exception
    frames = [frame.value for frame in at.dataframe]
    assert frames
    for frame in frames:
        for column in frame.select_dtypes("floating").columns:
            assert max(_decimals_in(value) for value in frame[column]) <= 2, (column, frame[column].tolist())
    checkins = next(frame for frame in frames if "Sleep h" in frame.columns)
    row = checkins[checkins["Date"] == day].iloc[0]
    assert (row["Sleep h"], row["Water L"]) == (7.33, 2.33)


def test_the_thank_you_page_and_the_brief_show_two_decimals(thirds_db):
    client_id, day = thirds_db
    con = db.connect()
    days = metrics.client_days(con, OWNER, client_id, day - dt.timedelta(days=6), day)
    con.close()
    assert checkin_form.week_table(days)["Sleep (h)"].iloc[-1] == 7.33
    assert brief_days_table(days[["day", *SORENESS_FIELDS, "sleep_hours", "has_checkin"]])["Sleep h"].iloc[-1] == "7.33"


def test_the_planner_table_shows_loads_whole_and_ratios_to_two_decimals():
    values = {"load": 312.4, "acute_load": 99.51, "chronic_load": 80.49, "acwr": 1.23456, "acwr_ewma": 1.5,
              "monotony": None}
    table = comparison_table({"without": values, "with": values})
    assert table["With the session"].tolist() == ["312", "100", "80", "1.23", "1.50", "–"]


def _tooltips(spec) -> list[dict]:
    """Every quantitative tooltip in a chart's spec, layers included."""
    found = []
    if isinstance(spec, dict):
        tooltip = spec.get("encoding", {}).get("tooltip", [])
        found += [item for item in (tooltip if isinstance(tooltip, list) else [tooltip]) if item.get("type") == "quantitative"]
        for value in spec.values():
            found += _tooltips(value)
    elif isinstance(spec, list):
        for value in spec:
            found += _tooltips(value)
    return found


def test_every_number_in_a_chart_tooltip_is_rounded_to_what_it_means(demo_db):
    con = db.connect(read_only=True)
    today = db.as_of(con)
    client_id = con.execute("select min(client_id) from check_ins").fetchone()[0]
    days = metrics.client_days(con, OWNER, client_id, today - dt.timedelta(days=59), today)
    roster = metrics.roster(con, OWNER)
    limits = metrics.threshold_values(con)
    recent = metrics.clients_days(con, OWNER, [client_id], today - dt.timedelta(days=13), today)
    trained = done_sessions.sessions_of_days(con, OWNER, [client_id], today - dt.timedelta(days=59), today)
    con.close()
    made = [charts.soreness(days), charts.load(days, trained), charts.acwr(days, limits), charts.wellness(days),
            charts.sleep_and_water(days)]
    made += [charts.roster_heatmap(recent, roster[roster["client_id"] == client_id], measure)
             for measure in ("readiness", "max_soreness")]
    formats = {item["field"]: item.get("format") for chart in made for item in _tooltips(chart.to_dict())}
    assert formats["load"] == ".0~f"
    assert {formats[field] for field in ("acwr", "acwr_ewma", "wellness", "wellness_z", "score", "value")} == {".2~f"}
    assert all(formats.values()), formats
