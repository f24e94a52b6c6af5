"""A generated week of Google Forms answers written the way people write (issue 10).

20 clients x 7 days, seeded; each answer is one of the usual ways of writing the value
the client meant, and the meant value is kept beside it. After one import: no stored
value differs from what was meant, every pain report is visible, and at least 95 % of
the rows of known clients are stored.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from pipelines import metrics, people
from pipelines.ingest import ingest_file, list_quarantine
from pipelines.ingest.mappings import load_mapping
from tests.helpers.ingest_fixtures import csv_bytes
from tests.helpers.viewers import OWNER

CLIENTS = [f"c{n:02d}" for n in range(1, 21)]
DAYS = [dt.date(2026, 11, 14) + dt.timedelta(days=offset) for offset in range(7)]
SESSION_LABELS = {"none": "Nothing (rest day)", "legs": "Legs", "upper": "Upper body", "cardio": "Cardio"}
HOURS = {45: ["45", "45 min", "3/4 hour"], 60: ["60", "1h", "1 hour", "60 minutes"], 90: ["90", "1h30", "1.5h", "1:30"]}


def sleep_answer(rng: random.Random, hours: float) -> str:
    whole, minutes = int(hours), round((hours - int(hours)) * 60)
    ways = [f"{hours:g}", f"{hours:g} hours", f"{hours:g}".replace(".", ",")]
    if minutes:
        ways += [f"{whole}h{minutes:02d}", f"{whole}:{minutes:02d}"]
    if minutes == 30:
        ways += [f"{whole}½", f"{whole} 1/2"]
    return rng.choice(ways)


def score_answer(rng: random.Random, value: int, top: int) -> str:
    ways = [str(value), f"{value}/{top}", f"{value} out of {top}"]
    if top == 10 and value == 0:
        ways += ["0 - not sore", "none"]
    return rng.choice(ways)


def day_answers(rng: random.Random, client: str, day: dt.date) -> tuple[dict, dict]:
    """(the form row as written, the values meant)."""
    session = rng.choice(["none", "legs", "legs", "upper", "cardio"])
    meant = {
        "client_id": client,
        "checkin_date": day,
        **{f"soreness_{m}": rng.randint(0, 8) for m in ("quads", "hamstrings", "glutes", "calves")},
        "sleep_hours": rng.choice([5.5, 6, 6.5, 7, 7.25, 7.5, 8, 8.5]),
        **{name: rng.randint(1, 5) for name in ("sleep_quality", "energy", "stress", "mood")},
        "water_liters": rng.choice([None, 1.5, 2.0, 2.5, 3.0]),
        "session_type": session,
        "session_minutes": 0 if session == "none" else rng.choice([45, 60, 90]),
        "session_rpe": None if session == "none" else rng.randint(3, 9),
        "ate_recovery_meal": None if session == "none" else rng.choice([True, False]),
        "pain": rng.random() < 0.1,
    }
    water = meant["water_liters"]
    written = {
        "client_id": client.upper() if rng.random() < 0.1 else client,
        "checkin_date": f"{day:%Y/%m/%d} {rng.randint(6, 11)}:{rng.randint(0, 59):02d}:10 AM GMT+1",
        **{f"soreness_{m}": score_answer(rng, meant[f"soreness_{m}"], 10) for m in ("quads", "hamstrings", "glutes", "calves")},
        "sleep_hours": sleep_answer(rng, meant["sleep_hours"]),
        **{name: score_answer(rng, meant[name], 5) for name in ("sleep_quality", "energy", "stress", "mood")},
        "water_liters": rng.choice(["", "N/A", "-"]) if water is None
        else rng.choice([f"{water:g}", f"{water:g}L", f"{int(water * 1000)}ml", f"{water:g} litres"]),
        "session_type": SESSION_LABELS[session],
        "session_minutes": rng.choice(["", "N/A", "rest day"]) if session == "none"
        else rng.choice(HOURS[meant["session_minutes"]]),
        "session_rpe": "" if session == "none" else score_answer(rng, meant["session_rpe"], 10),
        "ate_recovery_meal": rng.choice(["", "N/A"]) if session == "none"
        else rng.choice(["Yes", "yep", "Yes, a shake"] if meant["ate_recovery_meal"] else ["No", "nope", "nah"]),
        "pain": rng.choice(["yes - left knee", "Yes, lower back", "a bit, right ankle"]) if meant["pain"]
        else rng.choice(["No", "nope", "No, all good", ""]),
        "notes": "",
    }
    return written, meant


def week(seed: int = 10) -> list[tuple[dict, dict]]:
    rng = random.Random(seed)
    return [day_answers(rng, client, day) for day in DAYS for client in CLIENTS]


def form_csv(rows: list[dict]) -> bytes:
    columns = {target: source.column for target, source in load_mapping("google_forms").fields.items()}
    renamed = [{columns[target].lower(): value for target, value in row.items()} for row in rows]
    return csv_bytes(renamed, header=list(columns.values()))


def test_a_realistic_week_is_stored_as_meant_and_no_pain_is_hidden(two_trainers):
    con = two_trainers
    for client in CLIENTS:
        people.add_client(con, OWNER, client, f"Client {client}", "sam", dt.date(2026, 1, 1))
    answers = week()
    # One client writes the last day's sleep so that it cannot be read: that check-in is
    # held back, and its pain report must show anyway.
    written, meant = answers[-1]
    written["sleep_hours"], written["pain"], meant["pain"] = "lots", "yes - left knee", True
    result = ingest_file(con, OWNER, form_csv([written for written, _ in answers]), file_name="week.csv", mapping="google_forms")

    cursor = con.execute("select * from check_ins")
    names = [column[0] for column in cursor.description]
    stored = {(row["client_id"], row["checkin_date"]): row for row in (dict(zip(names, r, strict=True)) for r in cursor.fetchall())}
    assert len(stored) >= 0.95 * len(answers)
    assert result.accepted == len(stored)

    wrong = []
    for written, meant in answers:
        row = stored.get((meant["client_id"], meant["checkin_date"]))
        if row is None:
            continue
        for name, value in meant.items():
            got = row[name]
            same = math.isclose(got, value) if isinstance(value, float) and got is not None else got == value
            if not same:
                wrong.append(f"{meant['client_id']} {meant['checkin_date']} {name}: wrote {written.get(name)!r}, meant {value!r}, stored {got!r}")
    assert wrong == []

    held = list_quarantine(con, OWNER)
    assert [(row["client_id"], row["pain"]) for row in held] == [(CLIENTS[-1], True)]
    roster = metrics.roster(con, OWNER).set_index("client_id")
    last_day = DAYS[-1]
    for _, meant in answers:
        if not meant["pain"]:
            continue
        row = stored.get((meant["client_id"], meant["checkin_date"]))
        if row is not None:
            assert row["pain"] is True and row["notes"].startswith("Pain: ")
        else:
            reasons = list(roster.loc[meant["client_id"], "reasons"])
            assert f"Pain reported in a held-back check-in on {last_day}" in reasons
