"""A saved recovery plan, read-only (client check-in page and pre-session brief)."""

from __future__ import annotations

import streamlit as st

from dashboard.formatting import plain


def show_plan(plan, empty_text: str) -> None:
    if plan is None:
        st.write(empty_text)
        return
    st.markdown(f"Next session: **{plain(plan.next_intensity)}**" + (f" — {plain(plan.next_focus)}" if plan.next_focus else ""))
    for position, item in enumerate(plan.items, start=1):
        st.checkbox(plain(f"{item.title} ({item.timing})" if item.timing else item.title), value=item.done,
                    disabled=True, key=f"plan_item_{plan.client_id}_{plan.revision}_{position}")
    if plan.notes:
        st.markdown(plain(plan.notes))
