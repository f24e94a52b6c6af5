"""Words and helpers for the client check-in page."""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from typing import Any

import duckdb
import pandas as pd
import streamlit as st
from pydantic import ValidationError

from dashboard.formatting import rounded
from pipelines import tokens
from pipelines.checkin_form import SESSION_QUESTIONS, CheckInForm
from pipelines.ingest.fields import RULES
from pipelines.settings import get_settings
from pipelines.vocabulary import SESSION_LABELS

TOKEN_KEY = "checkin_token"
DONE_KEY = "checkin_done"
ERRORS_KEY = "checkin_errors"
EDITING_KEY = "checkin_editing"  # the day whose stored answers the form was filled with
# The days the form offers ("For"), by how far back they are.
DAYS = {"today": 0, "yesterday": 1}
# How hard a session was, from 1: a session done was not "rest" (0).
RPE_CHOICES = list(range(1, RULES["session_rpe"].high + 1))
# Asked only beside a session; a rest day leaves them out.
SESSION_ONLY = (*SESSION_QUESTIONS, "ate_recovery_meal")

MUSCLES = {
    "soreness_quads": "Quads (front of thigh)",
    "soreness_hamstrings": "Hamstrings (back of thigh)",
    "soreness_glutes": "Glutes",
    "soreness_calves": "Calves",
}

SCALES = {
    "sleep_quality": ("Sleep quality", {1: "very poor", 2: "poor", 3: "ok", 4: "good", 5: "very restful"}),
    "energy": ("Energy", {1: "exhausted", 2: "tired", 3: "normal", 4: "fresh", 5: "very fresh"}),
    "stress": ("Stress", {1: "very stressed", 2: "stressed", 3: "normal", 4: "relaxed", 5: "very relaxed"}),
    "mood": ("Mood", {1: "very low", 2: "low", 3: "normal", 4: "good", 5: "very positive"}),
}

# Borg CR-10 verbal anchors (Foster 2001 session-RPE scale).
CR10 = {
    0: "rest", 1: "very, very easy", 2: "easy", 3: "moderate", 4: "somewhat hard", 5: "hard",
    6: "hard+", 7: "very hard", 8: "very hard+", 9: "very, very hard", 10: "maximal",
}


def rpe_label(value: int) -> str:
    return f"{value} – {CR10[value]}"


# Short names of the form's questions, for "Still to answer: ..." (pipelines.checkin_form.FORM_QUESTIONS).
QUESTION_NAMES = {
    **{field: label.split(" (")[0] for field, label in MUSCLES.items()},
    "sleep_hours": "Hours slept",
    **{field: label for field, (label, _) in SCALES.items()},
    "session_type": "Session",
    "session_minutes": "Minutes",
    "session_rpe": "How hard",
    "pain": "Pain",
}
MISSING_WORDS = {
    "unanswered": "Not answered yet.",
    "more_than_zero": "More than 0 for a session; choose “No training” if there was none.",
}


def still_to_answer(missing: dict[str, str]) -> str:
    """'Still to answer: Quads, Energy and Pain.' for the form's missing questions."""
    names = [QUESTION_NAMES[field] for field in missing]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Still to answer: {listed}."


def day_word(day: dt.date, today: dt.date) -> str | None:
    """'today' or 'yesterday' (the form's "For" choices) for a date, None for any other day."""
    return next((word for word, back in DAYS.items() if day == today - dt.timedelta(days=back)), None)


def fill_answers(state: MutableMapping[str, Any], stored: dict[str, Any], day: dt.date, today: dt.date) -> None:
    """Put a stored check-in in the form (`state` is st.session_state; each question's key is
    answer_FIELD), so a client changing one answer starts from what is stored: exactly the
    stored values, an empty column stays unanswered, never a default. Yes/no columns show as
    the buttons' words; a session's minutes, how hard and meal only beside a session (a rest
    day does not ask them); an RPE the buttons do not offer (0 beside a session, which the
    form never sends) stays unchosen, so the form asks it again."""
    with_session = stored["session_type"] not in (None, "none")
    for field, value in stored.items():
        if field in SESSION_ONLY and not with_session:
            state.pop(f"answer_{field}", None)
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        if field == "session_rpe" and value not in RPE_CHOICES:
            value = None
        state[f"answer_{field}"] = value
    state["answer_day"] = day_word(day, today)
    state[EDITING_KEY] = day


def _answer_keys(state: MutableMapping[str, Any]) -> list[str]:
    return [key for key in state.keys() if key.startswith("answer_") and key != "answer_day"]


def clear_answers(state: MutableMapping[str, Any]) -> None:
    """Empty every answer of the form (the day choice stays) and forget which stored day filled it."""
    for key in _answer_keys(state):
        del state[key]
    state.pop(EDITING_KEY, None)


def has_typed_answers(state: MutableMapping[str, Any]) -> bool:
    """Whether the client has answered anything in the form since it opened (0 is an answer)."""
    return any(state[key] not in (None, "") for key in _answer_keys(state))


def client_for(con: duckdb.DuckDBPyConnection, token: str) -> str | None:
    """The token's client, or None for any unknown, expired or revoked token. Raises
    tokens.TooManyAttempts while this address (or everyone) is held back for guessing."""
    if not token:
        return None
    address = st.context.ip_address  # None on localhost
    source = tokens.request_source(address if isinstance(address, str) else None,
                                   st.context.headers.get("X-Forwarded-For"), trust_proxy=get_settings().trust_proxy)
    try:
        return tokens.resolve_token(con, token, source=source)
    except tokens.TooManyAttempts:
        raise
    except tokens.InvalidToken:
        return None


def build(answers: dict, today) -> CheckInForm:
    """The validated form (raises pydantic's ValidationError naming each field)."""
    return CheckInForm.model_validate(answers, context={"today": today})


def field_errors(error: ValidationError) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "form"
        found.setdefault(field, item["msg"].removeprefix("Value error, "))
    return found


def week_table(days: pd.DataFrame) -> pd.DataFrame:
    checked = rounded(days[days["has_checkin"]] if "has_checkin" in days else days)
    return pd.DataFrame(
        {
            "Day": pd.to_datetime(checked["day"]).dt.date,
            "Most sore": checked["max_soreness"],
            "Sleep (h)": checked["sleep_hours"],
            "Session": checked["session_type"].map(SESSION_LABELS),
            "Status": checked["status"],
        }
    )
