"""The few things Streamlit cannot do from Python, as fixed scripts (st.components.v2).

The scripts are constants; values reach them only as `data`, never as HTML or code,
so nothing a user typed can become a script (the HTML scan in
tests/test_reliability_security.py keeps it that way for st.html).
"""

from __future__ import annotations

import streamlit as st

from dashboard.layout import PHONE_MAX_PX

_COOKIE_JS = """
export default function ({ data }) {
    const secure = location.protocol === "https:" ? "; Secure" : "";
    const lifetime = data.value ? "" : "; Max-Age=0";
    document.cookie = `${data.name}=${encodeURIComponent(data.value)}; Path=/; SameSite=Strict${lifetime}${secure}`;
}
"""

_cookie = st.components.v2.component("legday.cookie", js=_COOKIE_JS)


def set_cookie(name: str, value: str) -> None:
    """Set a session cookie on this site (value "" deletes it). SameSite=Strict: other
    sites' pages never send it; Secure whenever the page is served over https."""
    _cookie(data={"name": name, "value": value}, key=f"script-cookie-{name}", height=0)


_CLOSE_MENU_JS = """
export default function () {
    if (window.legdayMenuCloser) return;
    window.legdayMenuCloser = true;
    document.addEventListener("click", (event) => {
        if (window.innerWidth > PHONE_MAX_PX) return;
        if (!event.target.closest('[data-testid="stSidebarNav"] a')) return;
        setTimeout(() => {
            document.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click();
        }, 0);
    }, true);
}
""".replace("PHONE_MAX_PX", str(PHONE_MAX_PX))

_close_menu = st.components.v2.component("legday.close_menu", js=_CLOSE_MENU_JS)


def close_menu_after_a_choice() -> None:
    """On a phone the page menu covers the page; close it once a page is chosen."""
    _close_menu(key="script-close-menu", height=0)
