"""Width-dependent layout and print styles, as one fixed style sheet.

Streamlit cannot tell Python how wide the screen is, so a page draws both forms of a
width-dependent part in keyed containers (`st.container(key=...)` gives the class
`st-key-<key>`) and CSS media queries show one: `phone-*` keys only at <= 480 px,
`desktop-*` keys only above. `@media print` drops the sidebar, the header and every
widget, so the browser's Print gives only the text and tables.
"""

from __future__ import annotations

import streamlit as st

PHONE_MAX_PX = 480

STYLE_SHEET = """
<style>
[class*="st-key-script-"] { display: none; }
/* The check-in form's answer buttons (keys answer_FIELD) are thumb-sized: at least 44 px
   each way. On a phone the 0-10 soreness and 1-10 effort scores are two even rows that fill
   the width (6 + 5 and 5 + 5) instead of a row of narrow buttons and a lone last one. */
[class*="st-key-answer_"] [role="radiogroup"] button { min-height: 44px; min-width: 44px; }
[class*="st-key-answer_"] [data-testid="stRadio"] label { min-height: 44px; align-items: center; }
@media (max-width: 480px) {
  .stElementContainer[class*="st-key-answer_soreness_"], .stElementContainer.st-key-answer_session_rpe { width: 100%; }
  [class*="st-key-answer_soreness_"] [role="radiogroup"], .st-key-answer_session_rpe [role="radiogroup"] {
    display: grid; grid-template-columns: repeat(6, 1fr); width: 100%; max-width: none;
  }
  .st-key-answer_session_rpe [role="radiogroup"] { grid-template-columns: repeat(5, 1fr); }
  [class*="st-key-desktop-"], div:has(> [class*="st-key-desktop-"]) { display: none !important; }
  .stMainBlockContainer { padding-top: 3.2rem; padding-left: 0.8rem; padding-right: 0.8rem; }
  .stMainBlockContainer h1 { font-size: 1.6rem; padding: 0.2rem 0; }
  .st-key-phone-cards { gap: 0.5rem; }
  [class*="st-key-card-"] { padding: 0.4rem 0.75rem !important; gap: 0 !important; position: relative; }
  [class*="st-key-card-"] [data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
  [class*="st-key-card-"] [data-testid="stMarkdownContainer"] p { margin: 0; }
  [class*="st-key-card-"] [data-testid="stPageLink"] a { padding: 0; }
  [class*="st-key-card-"] .stElementContainer { position: static !important; }
  [class*="st-key-card-"] [data-testid="stPageLink"] a::after { content: ""; position: absolute; inset: 0; }
  .st-key-roster-filters [data-testid="stHorizontalBlock"] { flex-wrap: nowrap; gap: 0.4rem; }
  .st-key-roster-filters [data-testid="stColumn"] { min-width: 0 !important; width: auto !important; flex: 1 1 0 !important; }
  .st-key-roster-filters [data-testid="stWidgetLabel"] { display: none; }
}
@media (min-width: 481px) {
  [class*="st-key-phone-"], div:has(> [class*="st-key-phone-"]) { display: none !important; }
}
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
  header, footer, [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stButton"], [data-testid="stDownloadButton"],
  [data-testid="stLinkButton"], [data-testid="stPageLink"], [data-testid="stButtonGroup"],
  [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stTextInput"],
  [data-testid="stNumberInput"], [data-testid="stRadio"], [data-testid="stPopover"],
  [data-testid="stCaptionContainer"], [class*="st-key-noprint"] { display: none !important; }
  html, body, #root, .stApp, .stMain, [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stAppScrollToBottomContainer"] {
    overflow: visible !important; height: auto !important; min-height: 0 !important; position: static !important;
    display: block !important;
  }
  .stMainBlockContainer { padding: 0 !important; max-width: 100% !important; }
  [class*="st-key-brief-"] { break-inside: avoid; }
  [class*="st-key-brief-"]:not(.st-key-brief-0) { break-before: page; }
  table { font-size: 0.85rem; }
}
</style>
"""


def apply() -> None:
    """Add the style sheet to this run's page (it takes no space)."""
    st.html(STYLE_SHEET)


def docs(path: str, about: str) -> None:
    """A pointer to the repository document that explains this page (a test checks it exists)."""
    with st.container(key="desktop-docs"):  # a phone's first screen is for clients
        st.caption(f"How this works: `{path}` in the legday repository ({about}).")
