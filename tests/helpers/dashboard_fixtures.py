"""AppTest helpers; the demo fixture database lives in conftest.py."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.formatting import WORD_JOINER
from pipelines import clock
from pipelines.access import Viewer

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
OWNER = Viewer("demo", "Demo Owner", True)
# dashboard.formatting.plain backslash-escapes ASCII punctuation in user text and breaks bare
# addresses with invisible word joiners; a reader sees neither.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescaped(markdown: str) -> str:
    """A markdown body with its backslash escapes read back (what a renderer's text holds)."""
    return _ESCAPED.sub(r"\1", markdown)


def shown(markdown: str) -> str:
    """A markdown body as the reader sees its text: escapes read back, word joiners unseen."""
    return unescaped(markdown).replace(WORD_JOINER, "")


def app_as(viewer: Viewer | None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if viewer is not None:
        at.session_state["viewer"] = viewer
        at.session_state["last_active"] = clock.now()
    for key, value in query.items():
        at.query_params[key] = value
    return at


# A typical leg-day check-in as a client taps and types it on the check-in page.
LEG_DAY_ANSWERS = {
    "soreness_quads": 6, "soreness_hamstrings": 4, "soreness_glutes": 3, "soreness_calves": 1,
    "sleep_hours": 7.5, "sleep_quality": 4, "energy": 3, "stress": 3, "mood": 4,
    "session_type": "legs", "session_minutes": 60, "session_rpe": 7, "ate_recovery_meal": "yes", "pain": "no",
}
TYPED = {"sleep_hours": "number_input", "water_liters": "number_input", "session_minutes": "number_input",
         "notes": "text_area"}


def answer_checkin(at: AppTest, answers: dict) -> AppTest:
    """Give the check-in page's answers one at a time (each widget key is answer_FIELD),
    running the page after each, as a tap does."""
    for field, value in answers.items():
        getattr(at, TYPED.get(field, "pills"))(key=f"answer_{field}").set_value(value)
        at.run()
    return at


def send(at: AppTest) -> AppTest:
    return next(button for button in at.button if button.label == "Send check-in").click().run()
