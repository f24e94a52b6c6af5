"""Recovery plans: catalog defaults, validated saves, revisions that are never overwritten."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipelines import plans
from pipelines.plans import PlanError
from tests.helpers.viewers import OWNER, acting


def _save(con, client_id="c1", **changes):
    fields = {
        "items": [{"title": "Gentle walk", "timing": "today", "done": False}],
        "next_intensity": "light",
        "next_focus": "mobility",
        "notes": "",
        "created_by": "olga",
    }
    fields |= changes
    return plans.save_plan(con, acting(fields.pop("created_by")), client_id, **fields)


def test_catalog_is_in_sort_order(con):
    actions = plans.catalog(con)
    assert [action["action_id"] for action in actions][:3] == ["refuel", "hydrate", "sleep"]
    assert actions[-1]["action_id"] == "no_legs" and len(actions) == 11
    assert set(actions[0]) == {"action_id", "title", "detail", "timing", "statuses"}


@pytest.mark.parametrize(
    ("status", "intensity", "has", "lacks"),
    [
        ("rest", "rest", {"walk", "no_legs", "no_hiit"}, {"low_impact_cardio"}),
        ("caution", "active recovery", {"no_legs", "low_impact_cardio"}, set()),
        ("ready", "normal", {"refuel", "low_impact_cardio"}, {"walk", "no_legs", "no_hiit"}),
        ("no data", "light", {"refuel", "sleep", "foam_mobility"}, {"walk", "no_legs", "low_impact_cardio"}),
    ],
)
def test_default_plan_by_status(con, status, intensity, has, lacks):
    draft = plans.default_plan(con, status)
    ids = [item.action_id for item in draft.items]
    assert draft.next_intensity == intensity and draft.status == status
    assert has <= set(ids) and not lacks & set(ids)
    order = [action["action_id"] for action in plans.catalog(con)]
    assert ids == sorted(ids, key=order.index)
    assert all(not item.done and item.timing for item in draft.items)


def test_default_plan_caution_focus_and_unknown_status(con):
    assert "soreness < 4" in plans.default_plan(con, "caution").next_focus
    with pytest.raises(PlanError, match="unknown status"):
        plans.default_plan(con, "tired")


def test_save_creates_revisions_and_keeps_every_one(two_trainers):
    con = two_trainers
    assert plans.current_plan(con, OWNER, "c1") is None
    assert _save(con) == 1
    assert _save(con, items=[{"title": "Sleep 8 h", "timing": "tonight", "done": True}], next_intensity="rest") == 2
    assert _save(con, "c2") == 1

    current = plans.current_plan(con, OWNER, "c1")
    assert current.revision == 2 and current.next_intensity == "rest"
    assert current.items == [plans.PlanItem("Sleep 8 h", "tonight", True, None)]
    first = plans.get_revision(con, OWNER, "c1", 1)
    assert first.items == [plans.PlanItem("Gentle walk", "today", False, None)]
    assert first.created_by == "olga" and first.created_at is not None
    listed = plans.list_revisions(con, OWNER, "c1")
    assert [row["revision"] for row in listed] == [2, 1]
    assert listed[0]["items"] == 1 and listed[0]["next_intensity"] == "rest"


def test_items_keep_order_drop_blank_rows_and_normalise_text(two_trainers):
    con = two_trainers
    items = [
        {"title": "  Cafe\u0301  break ", "timing": None, "done": None},
        {"title": "", "timing": "  "},
        {"title": "No legs until soreness < 4", "timing": "until soreness < 4", "done": True, "action_id": "no_legs"},
        {"title": None, "timing": None, "done": False},
    ]
    _save(con, items=items, notes="  line one\nline two  ", next_focus="  upper\tbody  ")
    plan = plans.current_plan(con, OWNER, "c1")
    assert [item.title for item in plan.items] == ["Café break", "No legs until soreness < 4"]
    assert plan.items[0] == plans.PlanItem("Café break", None, False, None)
    assert plan.items[1].action_id == "no_legs" and plan.items[1].done
    assert plan.notes == "line one\nline two" and plan.next_focus == "upper body"


def test_rows_from_a_data_editor_frame_with_missing_cells(two_trainers):
    frame = pd.DataFrame(
        {
            "title": ["Walk", None, "Stretch"],
            "timing": ["today", None, math.nan],
            "done": [True, None, None],
            "action_id": ["walk", None, math.nan],
        }
    )
    _save(two_trainers, items=frame.to_dict("records"))
    items = plans.current_plan(two_trainers, OWNER, "c1").items
    assert items == [plans.PlanItem("Walk", "today", True, "walk"), plans.PlanItem("Stretch", None, False, None)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"next_intensity": "max"}, "next intensity must be one of"),
        ({"items": [{"title": "", "timing": "today"}]}, "item 1 has a timing but no title"),
        ({"items": [{"title": "x" * 301}]}, "item 1's title is longer than 300"),
        ({"items": [{"title": "bad\x00title"}]}, "control characters"),
        ({"items": [{"title": f"step {n}"} for n in range(31)]}, "at most 30 items"),
        ({"items": [{"title": "Walk", "action_id": "teleport"}]}, "unknown action 'teleport'"),
        ({"notes": "n" * 4001}, "notes are longer than 4000"),
        ({"next_focus": "f" * 301}, "next focus is longer than 300"),
        ({"created_by": " "}, "trainer who saves it"),
        ({"status_at_save": "great"}, "unknown status"),
    ],
)
def test_invalid_plans_are_refused_with_a_specific_message(two_trainers, changes, message):
    with pytest.raises(PlanError, match=message):
        _save(two_trainers, **changes)
    assert two_trainers.execute("select count(*) from plans").fetchone()[0] == 0


def test_limits_are_inclusive_and_unknown_client_is_refused(two_trainers):
    assert _save(two_trainers, items=[{"title": "t" * 300} for _ in range(30)], notes="n" * 4000) == 1
    with pytest.raises(PlanError, match="unknown client 'zz'"):
        _save(two_trainers, "zz")
    assert two_trainers.execute("select count(*) from plan_items").fetchone()[0] == 30


def test_plan_error_is_a_value_error():
    assert issubclass(PlanError, ValueError)


def test_restore_saves_a_copy_as_the_newest_revision(two_trainers):
    con = two_trainers
    _save(con, items=[{"title": "Walk", "timing": "today", "done": True}], notes="first")
    _save(con, items=[{"title": "Rest"}], next_intensity="rest", notes="second")
    assert plans.restore_revision(con, acting("sam"), "c1", 1) == 3
    restored = plans.current_plan(con, OWNER, "c1")
    assert restored.restored_from == 1 and restored.created_by == "sam"
    assert restored.notes == "first" and restored.items == plans.get_revision(con, OWNER, "c1", 1).items
    assert plans.get_revision(con, OWNER, "c1", 2).notes == "second"
    assert plans.list_revisions(con, OWNER, "c1")[0]["restored_from"] == 1
    with pytest.raises(PlanError, match="no plan revision 9"):
        plans.restore_revision(con, acting("sam"), "c1", 9)
    assert len(plans.list_revisions(con, OWNER, "c1")) == 3
