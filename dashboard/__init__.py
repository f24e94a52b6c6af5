"""legday's Streamlit dashboard: app.py routes, screens/ lay out (not pages/: Streamlit would treat that as its old multipage folder), the rest is logic."""
