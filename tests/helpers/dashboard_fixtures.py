"""AppTest helpers; the demo fixture database lives in conftest.py."""

from __future__ import annotations

import re
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pipelines.access import Viewer

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
OWNER = Viewer("demo", "Demo Owner", True)
# dashboard.formatting.plain backslash-escapes ASCII punctuation in user text; a reader sees it without.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: str) -> str:
    """A markdown body as the reader sees its text: escapes read back."""
    return _ESCAPED.sub(r"\1", markdown)


def app_as(viewer: Viewer | None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if viewer is not None:
        at.session_state["viewer"] = viewer
        at.session_state["last_active"] = time.time()
    for key, value in query.items():
        at.query_params[key] = value
    return at
