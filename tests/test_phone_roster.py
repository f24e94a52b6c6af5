"""The roster's phone cards and heatmap as data: what each card says, rows that never merge."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts
from dashboard.roster_table import cards, counts_line

TODAY = dt.date(2026, 11, 20)


def _roster(names, ids=None):
    ids = ids or [f"c{i}" for i in range(len(names))]
    return pd.DataFrame({
        "client_id": ids, "name": names, "status": ["rest", "ready", "no data"][: len(names)],
        "reasons": [["Pain reported today", "Wellness 9/25"], [], ["No check-ins yet"]][: len(names)],
        "last_checkin": [pd.Timestamp(TODAY), pd.Timestamp(TODAY - dt.timedelta(days=4)), pd.NaT][: len(names)],
    })


def test_a_card_says_name_status_the_first_reason_check_in_age_and_todays_session():
    todays = pd.DataFrame({"client_id": ["c0"], "start_time": [dt.time(7, 30)], "session_type": ["full_body"]})
    first, second, third = cards(_roster(["Ana *Bold*", "Bo", "Cy"]), TODAY, todays)
    assert first["name"] == "Ana \\*Bold\\*"  # markdown shown as typed
    assert first["badge"] == ":red-badge[rest]" and first["reason"] == "Pain reported today"
    assert first["footnote"] == "checked in today · session today 07:30 full body"
    assert second["reason"] == "" and second["footnote"] == "checked in 4 days ago"
    assert third["footnote"] == "never checked in" and third["badge"] == ":gray-badge[no data]"


def test_the_counters_are_one_line():
    line = counts_line({"rest": 2, "caution": 6, "ready": 3, "no data": 1})
    assert line == ":red-badge[2 rest] :orange-badge[6 caution] :green-badge[3 ready] :gray-badge[1 no data]"


def test_the_heatmap_keeps_clients_who_share_a_name_apart():
    roster = _roster(["Ana Rossi", "Ana Rossi", "Bo"], ["a1", "a2", "b1"])
    recent = pd.DataFrame({"client_id": ["a1", "a2", "b1"], "day": [pd.Timestamp(TODAY)] * 3,
                           "readiness": [20, 80, 50]})
    spec = charts.roster_heatmap(recent, roster, "readiness").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [row["client"] for row in rows] == ["Ana Rossi (a1)", "Ana Rossi (a2)", "Bo"]
    assert spec["encoding"]["y"]["sort"] == ["Ana Rossi (a1)", "Ana Rossi (a2)", "Bo"]


def test_every_trainer_page_points_to_a_document_that_exists():
    import ast
    from pathlib import Path

    from dashboard import nav

    root = Path(__file__).resolve().parent.parent
    for screen in nav.TRAINER_SCREENS:
        tree = ast.parse((root / "dashboard" / "screens" / screen.file).read_text())
        pointers = [call.args[0].value for call in ast.walk(tree) if isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute) and call.func.attr == "docs"]
        assert pointers, f"{screen.file} has no layout.docs(...) pointer"
        for path in pointers:
            assert (root / path).is_file(), f"{screen.file} points to {path}, which does not exist"
