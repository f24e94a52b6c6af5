"""AppTest helpers; the demo fixture database lives in conftest.py."""

from __future__ import annotations

import re
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.formatting import WORD_JOINER
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
        at.session_state["last_active"] = time.time()
    for key, value in query.items():
        at.query_params[key] = value
    return at
