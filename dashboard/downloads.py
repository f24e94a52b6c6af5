"""CSV downloads for st.download_button callables.

Streamlit calls these outside the script run (no session state), so the trainer
scope is bound when the button is drawn and the access check happens here.
"""

from __future__ import annotations

from dashboard.session import database
from pipelines.access import require_client_in_scope
from pipelines.brief import brief, brief_rows, day_brief_rows, day_briefs
from pipelines.export import export_frame, to_csv_bytes
from pipelines.privacy import export_client


def csv_for(what: str, scope: str | None, client_id: str | None = None) -> bytes:
    with database() as con:
        if client_id is not None:
            require_client_in_scope(con, scope, client_id)
        return to_csv_bytes(export_frame(con, what, trainer_id=scope, client_id=client_id))


def brief_csv(scope: str | None, client_id: str) -> bytes:
    with database() as con:
        require_client_in_scope(con, scope, client_id)
        return to_csv_bytes(brief_rows(brief(con, client_id)))


def day_brief_csv(scope: str | None) -> bytes:
    """The briefs of every client with a session today, within the trainer's scope."""
    with database() as con:
        return to_csv_bytes(day_brief_rows(day_briefs(con, scope)))


def client_zip(scope: str | None, client_id: str) -> bytes:
    with database() as con:
        require_client_in_scope(con, scope, client_id)
        return export_client(con, client_id)
