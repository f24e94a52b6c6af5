"""legday's Streamlit dashboard: app.py routes, pages/ lay out, the rest is logic."""
