"""Import: upload a check-in or session file, pick a mapping, preview, ingest, read the summary."""

import streamlit as st

from dashboard import import_flow, layout, session
from dashboard.formatting import dataframe, plain
from pipelines.export import to_csv_bytes
from pipelines.ingest import IngestRefused, list_mappings

viewer = session.viewer()
st.title("Import check-ins and sessions")
layout.docs("docs/ingestion.md", "the canonical columns, formats and mappings; session files: docs/done-sessions.md")
st.caption(
    "Check-ins: a canonical CSV, a JSON Lines file, or a form tool's export with its mapping. "
    "Training sessions: the `sessions` columns, or one client's Strava or Garmin Connect activities export."
)

upload = st.file_uploader("File", type=["csv", "jsonl", "json", "txt"])
with session.database() as con:
    people = import_flow.one_person_choices(con, viewer)
client = st.selectbox("Whose check-ins or sessions", [None, *people],
                      format_func=lambda c: "Several clients (a column names each)" if c is None else f"Only {people[c]}")
data = upload.getvalue() if upload is not None else None
detected = import_flow.detect(data, upload.name, one_person=client is not None) if upload is not None else None
options = [None, *list_mappings()]
mapping = st.selectbox("Mapping", options, index=options.index(detected.mapping) if detected else 0,
                       format_func=lambda m: "Canonical columns (no mapping)" if m is None else m)
if detected is not None:
    chosen = "the canonical columns" if detected.mapping is None else f"the {detected.mapping} mapping"
    st.caption(f"Chosen from the file's header: {chosen}, because {detected.reason}. Pick another above to override.")
elif upload is not None:
    st.warning("No mapping fits this file's header. Pick one above; the import names any missing columns.")

if upload is None:
    st.info("Choose a file to see a preview. The canonical columns: docs/design.md, \"The check-in record\"; formats and mappings: docs/ingestion.md.")
    st.stop()

st.subheader("Preview")
st.code(import_flow.preview(data, upload.name), language=None)

if st.button("Import", type="primary"):
    bar = st.progress(0.0, text="Reading …")
    try:
        with session.database() as con:
            result = import_flow.run(con, data, upload.name, mapping, viewer, bar, client)
    except IngestRefused as error:
        bar.empty()
        st.error(f"Nothing was imported: {plain(error)}")
        st.stop()
    bar.progress(1.0, text="Done")
    st.session_state["last_import"] = result

result = st.session_state.get("last_import")
if result is not None:
    if result.already_ingested:
        st.info(f"{plain(result.file_name)} was imported before (same content); nothing changed.")
    else:
        cols = st.columns(5)
        cols[0].metric("Accepted", result.accepted)
        cols[1].metric("Updated", result.updated)
        cols[2].metric("Unchanged", result.unchanged)
        cols[3].metric("Quarantined", result.quarantined)
        if result.estimated is None:
            cols[4].metric("With an answer left empty", result.noted)
        else:  # a session file: an activity without an RPE counts the type's default
            cols[4].metric("No RPE given: load estimated", result.estimated)
            if result.estimated:
                st.caption(f"{result.estimated} session{'' if result.estimated == 1 else 's'} came without an RPE. Each counts the usual RPE of its type "
                           "(docs/done-sessions.md) and shows as estimated wherever its load does; correct one on "
                           "the client page when the client tells you how hard it was.")
    for warning in result.warnings:
        st.warning(plain(warning))
    with session.database() as con:
        held = import_flow.quarantined_rows(con, viewer, result.run_id)
        noted = import_flow.answer_notes(con, viewer, result.run_id)
    if not held.empty:
        st.subheader("Rows held back")
        dataframe(held, hide_index=True)
        st.download_button(
            "Download held-back rows (CSV)",
            data=to_csv_bytes(held),
            file_name=f"quarantine-run-{result.run_id}.csv",
            mime="text/csv",
        )
    if not noted.empty:
        st.subheader("Answers left empty")
        st.caption("These check-ins were stored; each answer below could not be read, so it was left empty.")
        dataframe(noted, hide_index=True)
