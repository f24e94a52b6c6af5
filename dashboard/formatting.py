"""Words, badges and tables the pages show; plain functions so tests can call them."""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import streamlit as st

from pipelines import metrics
from pipelines.clock import in_zone
from pipelines.db import DatabaseBusy, DatabaseCorrupt, is_damage
from pipelines.export import decimals
from pipelines.settings import get_settings
from pipelines.vocabulary import SESSION_LABELS

STATUS_BADGES = {
    "rest": "● rest",
    "caution": "● caution",
    "stale": "◌ stale",
    "ready": "● ready",
    "no data": "○ no data",
}

# The roster table's status pill colours, light enough for the dark text drawn on them.
STATUS_CELL_COLOURS = {
    "rest": "#f6d5d5",
    "caution": "#fbe6c8",
    "stale": "#e4e4f2",
    "ready": "#d4ecdd",
    "no data": "#ebebeb",
}

# st.badge colours per status.
STATUS_BADGE_COLOURS = {"rest": "red", "caution": "orange", "stale": "violet", "ready": "green", "no data": "gray"}


# Tooltips for the roster's columns; docs/glossary.md says the same at length.
READINESS_HELP = ("Always agrees with the status: rest 0-33, caution 34-66, ready 67-100. Within its band, "
                  "the wellness of the last check-in (sleep, energy, stress, mood, soreness). Empty when stale.")
RULE_HELP = "The rule that set the status, most serious first. Every rule is explained in docs/glossary.md."
WHY_HELP = ("Plain words first, the numbers after; days are named from today (today, yesterday, "
            "'on Sun 8 Nov, 12 days ago'). ACWR: this week's load against the usual of the last four weeks.")


# ASCII punctuation: CommonMark lets a backslash escape any of it, and the escaped mark shows as itself.
_MARKDOWN_MARKS = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub-flavoured markdown turns bare addresses into links after escapes are read
# (http://…, www.…, name@host); an invisible word joiner breaks each of those patterns.
WORD_JOINER = "\u2060"
_BARE_LINK_MARKS = re.compile(r"(:)|(@)|(?<=[wW]{3})(\.)")


def plain(value) -> str:
    """User text (names, plan items, reasons, notes, file names and headers, messages that
    quote them) for anything Streamlit draws as markdown: st.markdown/write/caption/title,
    alerts, toasts, widget labels, help. Every ASCII punctuation mark is backslash-escaped
    and bare addresses are broken by an invisible word joiner, so links, images, HTML,
    emphasis, formulas and :colour[...] directives show as the characters typed and
    nothing is drawn or fetched."""
    joined = _BARE_LINK_MARKS.sub(
        lambda found: f"{found.group()}{WORD_JOINER}" if found.group(1) else f"{WORD_JOINER}{found.group()}",
        str(value),
    )
    return _MARKDOWN_MARKS.sub(r"\\\1", joined)


def database_problem(error: Exception) -> str:
    """What a dashboard user reads when the database cannot be used. The file's path, the
    holder's process id and DuckDB's words go to the server log (app.py logs them): they help
    whoever runs legday, and mean nothing (or too much) to a client on a phone."""
    if isinstance(error, DatabaseBusy):
        return "The database is busy with another task right now. Wait a minute and try again."
    if isinstance(error, DatabaseCorrupt) or is_damage(error):
        return ("The database cannot be opened: it looks damaged. Whoever runs legday can restore "
                "the last backup (`legday restore`).")
    return "The database is not available right now. Try again in a minute."


def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, status)


def rule_name(rule) -> str:
    """The plain name of the rule that decided a status ('' for ready), docs/glossary.md."""
    if rule is None or (isinstance(rule, float) and math.isnan(rule)):
        return ""
    return metrics.RULE_NAMES.get(rule, rule)


def days_ago(day, today: dt.date) -> str:
    """'today', 'yesterday', 'N days ago' or 'never' for a date, Timestamp or missing value."""
    if day is None or pd.isna(day):
        return "never"
    delta = (today - pd.Timestamp(day).date()).days
    if delta <= 0:
        return "today"
    if delta == 1:
        return "yesterday"
    return f"{delta} days ago"


def number(value, digits: int = 2, empty: str = "–") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return empty
    return f"{value:.{digits}f}"


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every float column rounded to what it means, as exports write it
    (pipelines.export.decimals: loads whole, ratios and the rest two decimals). Pass the
    frame with its source column names, before renaming for the screen."""
    shown = frame.copy()
    for column in frame.select_dtypes("floating").columns:
        places = decimals(str(column))
        shown[column] = frame[column].round(places).astype("Int64") if places == 0 else frame[column].round(places)
    return shown


def as_list(value) -> list:
    """A list from a DuckDB list cell (numpy array, list, or missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return list(value)


# How a missing value reads in a table: an empty cell. st.dataframe draws one as the word
# "None" unless told, which reads as if someone had answered "None"; st.table draws it empty.
EMPTY_CELL = ""


def dataframe(data, **kwargs):
    """st.dataframe with missing values drawn as EMPTY_CELL: every st.dataframe a page
    shows is this one (tests/test_screen_rounding.py checks)."""
    return st.dataframe(data, placeholder=EMPTY_CELL, **kwargs)


def yes_no(value) -> str | None:
    """'yes' / 'no' for a yes/no answer; None (an empty cell) when there is none."""
    if value is None or pd.isna(value):
        return None
    return "yes" if value else "no"


CHECKIN_COLUMNS = {
    "checkin_date": "Date",
    "soreness_quads": "Quads",
    "soreness_hamstrings": "Hams",
    "soreness_glutes": "Glutes",
    "soreness_calves": "Calves",
    "sleep_hours": "Sleep h",
    "sleep_quality": "Sleep q.",
    "energy": "Energy",
    "stress": "Stress",
    "mood": "Mood",
    "water_liters": "Water L",
    "ate_recovery_meal": "Refuelled",
    "session_type": "Session",
    "session_minutes": "Min",
    "session_rpe": "RPE",
    "pain": "Pain",
    "notes": "Notes",
}


LEFT_EMPTY = "Left empty"


def checkins_table(checkins: pd.DataFrame, notes: list[dict] | tuple = ()) -> pd.DataFrame:
    """A client's check-ins, newest first, with short column names, plain dates and words
    (yes/no, the session's name). An unanswered cell stays empty; an answer that could not
    be read was stored empty with a note (list_answer_notes), and its reason is in the row's
    "Left empty" column, shown when any row has one."""
    table = rounded(checkins[list(CHECKIN_COLUMNS)]).rename(columns=CHECKIN_COLUMNS)
    table["Date"] = pd.to_datetime(table["Date"]).dt.date
    for column in ("Refuelled", "Pain"):
        table[column] = table[column].map(yes_no)
    table["Session"] = table["Session"].map(SESSION_LABELS, na_action="ignore")
    reasons: dict[dt.date, list[str]] = {}
    for note in notes:
        reasons.setdefault(note["checkin_date"], []).append(note["reason"])
    if any(day in reasons for day in table["Date"]):
        table[LEFT_EMPTY] = table["Date"].map(lambda day: " · ".join(reasons.get(day, [])) or None)
    return table.iloc[::-1].reset_index(drop=True)


def saved_at(moment: dt.datetime) -> str:
    """'2026-11-20 07:31' for a time the database stored (UTC), in the practice's zone
    (LEGDAY_TIMEZONE), as the trainer's day reads it."""
    return f"{in_zone(moment, get_settings().timezone):%Y-%m-%d %H:%M}"


def saved_day(moment: dt.datetime) -> dt.date:
    """The practice's date of a time the database stored (UTC)."""
    return in_zone(moment, get_settings().timezone).date()


def clock(value) -> str:
    """'07:30' for a time of day, 'any time' when none was set."""
    if value is None or pd.isna(value):
        return "any time"
    return f"{value:%H:%M}"


def brief_days_table(days: pd.DataFrame) -> pd.DataFrame:
    """The brief's last days: soreness by muscle and sleep, blank where no check-in."""
    table = days.rename(columns={
        "day": "Day", "soreness_quads": "Quads", "soreness_hamstrings": "Hams",
        "soreness_glutes": "Glutes", "soreness_calves": "Calves", "sleep_hours": "Sleep h",
    }).drop(columns=["has_checkin"])
    table["Day"] = pd.to_datetime(table["Day"]).dt.date
    places = decimals("sleep_hours")
    table["Sleep h"] = table["Sleep h"].map(lambda hours: "" if pd.isna(hours) else f"{round(hours, places):g}")
    return table


def brief_notes_table(notes: pd.DataFrame) -> pd.DataFrame:
    """The brief's pain and notes; shown with st.table, which draws its cells as markdown,
    so the clients' notes go through plain()."""
    table = notes.rename(columns={"checkin_date": "Day", "pain": "Pain", "notes": "Note"})
    table["Note"] = table["Note"].map(lambda note: plain(note) if isinstance(note, str) else note)
    table["Pain"] = table["Pain"].map({True: "yes", False: "no"})
    table["Day"] = pd.to_datetime(table["Day"]).dt.date
    return table
