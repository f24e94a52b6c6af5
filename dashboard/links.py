"""The address check-in links start with, as this dashboard sees it."""

from __future__ import annotations

import streamlit as st

from pipelines import tokens
from pipelines.settings import get_settings


def base_url() -> str:
    """LEGDAY_BASE_URL, else the address this page was opened at (never silently localhost
    when the dashboard runs elsewhere)."""
    return tokens.link_base(get_settings().base_url, st.context.url, st.get_option("server.baseUrlPath") or "")


def warn_if_local(base: str) -> None:
    if tokens.is_local_address(base):
        st.warning(tokens.LOCAL_WARNING.format(base=base).capitalize() + ".", icon=":material/phonelink_off:")
