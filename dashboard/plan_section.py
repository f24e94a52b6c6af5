"""The recovery plan block of the client page (layout only; logic in pipelines.plans)."""

from __future__ import annotations

import streamlit as st

from dashboard import plan_editor, session
from dashboard.formatting import plain, saved_at
from dashboard.plan_editor import editor_rows, items_from_editor
from pipelines import overrides, plans
from pipelines.access import Viewer
from pipelines.vocabulary import INTENSITIES, STATUSES


def _status_override(viewer: Viewer, client_id: str, active: dict | None) -> None:
    with st.expander("Override status", expanded=False):
        if active:
            st.markdown(f"Current override: **{active['status']}** — {plain(active['reason'])} ({plain(active['created_by'])})")
            if st.button("Clear override", key=f"clear_override_{client_id}"):
                with session.database() as con:
                    overrides.clear_override(con, viewer, client_id)
                st.rerun()
        with st.form(f"override_{client_id}", clear_on_submit=True):
            status = st.selectbox("Status", STATUSES)
            reason = st.text_input("Reason", max_chars=500, placeholder="e.g. knee checked by physio, cleared")
            if st.form_submit_button("Set status"):
                try:
                    with session.database() as con:
                        overrides.set_override(con, viewer, client_id, status, reason)
                except ValueError as error:
                    st.error(plain(error))
                else:
                    st.rerun()


def _revisions(viewer: Viewer, client_id: str, revisions: list[dict]) -> None:
    with st.expander(f"Earlier revisions ({len(revisions)})", expanded=False):
        for revision in revisions:
            cols = st.columns([4, 1])
            restored = f", restored from {revision['restored_from']}" if revision.get("restored_from") else ""
            cols[0].write(
                f"Revision {revision['revision']} · {saved_at(revision['created_at'])} by "
                f"{plain(revision['created_by'])} · {revision['next_intensity']} · {revision['items']} items{restored}"
            )
            if cols[1].button("Restore", key=f"restore_{client_id}_{revision['revision']}"):
                with session.database() as con:
                    plans.restore_revision(con, viewer, client_id, revision["revision"])
                st.rerun()


def render(viewer: Viewer, client_id: str, status: str) -> None:
    with session.database() as con:
        current = plans.current_plan(con, viewer, client_id)
        plan = current or plans.default_plan(con, status)
        revisions = plans.list_revisions(con, viewer, client_id)
        active = overrides.active_override(con, viewer, client_id)

    st.header("Recovery plan")
    if current:
        st.caption(f"Revision {current.revision}, saved {saved_at(current.created_at)} by {plain(current.created_by)}")
    else:
        st.caption(f"Not saved yet: suggested from the catalog for status “{status}”.")

    revision = current.revision if current else 0
    with st.form(f"plan_{client_id}_{revision}"):
        edited = st.data_editor(
            editor_rows(plan),
            key=f"plan_editor_{client_id}_{revision}",
            on_change=plan_editor.EDITOR_ON_CHANGE,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "order": st.column_config.NumberColumn("#", min_value=1, max_value=99, step=1, width="small",
                                                       help="Change the numbers to reorder"),
                "done": st.column_config.CheckboxColumn("Done", width="small"),
                "title": st.column_config.TextColumn("Action", width="large", max_chars=300, required=True),
                "timing": st.column_config.TextColumn("When", max_chars=100),
            },
        )
        cols = st.columns(2)
        intensity = cols[0].selectbox(
            "Next session intensity", INTENSITIES, index=INTENSITIES.index(plan.next_intensity)
        )
        focus = cols[1].text_input("Next session focus", value=plan.next_focus or "", max_chars=300)
        notes = st.text_area("Notes", value=plan.notes or "", max_chars=4000)
        saved = st.form_submit_button("Save plan", type="primary")

    if saved:
        try:
            with session.database() as con:
                number = plans.save_plan(
                    con,
                    viewer,
                    client_id,
                    items=items_from_editor(edited, plan),
                    next_intensity=intensity,
                    next_focus=focus,
                    notes=notes,
                    status_at_save=status,
                )
        except ValueError as error:
            st.error(plain(error))
        else:
            st.toast(f"Plan saved as revision {number}")
            st.rerun()

    if revisions:
        _revisions(viewer, client_id, revisions)
    _status_override(viewer, client_id, active)
