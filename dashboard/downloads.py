"""CSV downloads for st.download_button callables.

Streamlit calls these outside the script run (no session state), so the viewer is
bound when the button is drawn; the data functions check it.
"""

from __future__ import annotations

from dashboard.session import database
from pipelines.access import Viewer
from pipelines.brief import brief, brief_rows, day_brief_rows, day_briefs
from pipelines.export import export_frame, to_csv_bytes
from pipelines.privacy import export_client


def csv_for(what: str, viewer: Viewer, client_id: str | None = None) -> bytes:
    with database() as con:
        return to_csv_bytes(export_frame(con, viewer, what, client_id=client_id))


def brief_csv(viewer: Viewer, client_id: str) -> bytes:
    with database() as con:
        return to_csv_bytes(brief_rows(brief(con, viewer, client_id)))


def day_brief_csv(viewer: Viewer) -> bytes:
    """The briefs of every client of the viewer with a session today."""
    with database() as con:
        return to_csv_bytes(day_brief_rows(day_briefs(con, viewer)))


def client_zip(viewer: Viewer, client_id: str) -> bytes:
    with database() as con:
        return export_client(con, viewer, client_id)
