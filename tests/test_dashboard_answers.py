"""The client page shows held-back check-ins (pain first) and answers left empty (issue 10)."""

from __future__ import annotations

from dashboard.formatting import plain
from pipelines import db, metrics
from pipelines.access import Viewer
from pipelines.ingest import ingest_file
from tests.helpers.dashboard_fixtures import app_as
from tests.helpers.ingest_fixtures import checkin, csv_bytes
from tests.helpers.viewers import OWNER

SAM = Viewer("sam", "Sam Rivera", False)


def test_client_page_shows_held_back_pain_and_answers_left_empty(demo_db):
    con = db.connect()
    client_id = con.execute("select client_id from clients where trainer_id = 'sam' order by client_id limit 1").fetchone()[0]
    rows = [
        checkin(client_id=client_id, checkin_date="2026-11-19", water_liters="6 glasses"),
        checkin(client_id=client_id, checkin_date="2026-11-20", mood="x", pain="yes - left knee"),
    ]
    result = ingest_file(con, OWNER, csv_bytes(rows), file_name="week.csv")
    assert metrics.client_status(con, OWNER, client_id)["status"] == "rest"
    con.close()
    assert (result.quarantined, result.noted) == (1, 1)
    at = app_as(SAM, client=client_id).run()
    at.switch_page("screens/client.py").run()
    assert not at.exception
    shown = "\n".join(str(element.value) for element in at.markdown)
    held_pain = plain("Pain reported in a held-back check-in on 2026-11-20")
    mood = plain("mood 'x' could not be read as a 1-5 score")
    water = plain("water_liters '6 glasses' could not be read as litres")
    assert f"- {held_pain}" in shown
    assert f"- 2026-11-20: **Pain reported.** {mood}" in shown
    assert f"- 2026-11-19: {water}" in shown
