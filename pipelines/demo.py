"""Synthetic demo data: three trainers, clients with personas, realistic check-ins.

Everything is generated with numpy over a (clients x days) grid, in blocks of clients
of at most BLOCK_DAYS client-days, and bulk-inserted from Arrow record batches; one transaction for the
whole build of people, check-ins, plans, the override and the planned sessions (the
heavy leg session is sized with the planner's projection, probed inside the same
transaction). The same seed, sizes and end date give identical rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from pipelines import db, load_state, overrides, plans, sessions, sql_layers
from pipelines.access import Viewer
from pipelines.auth import hash_password
from pipelines.db import transaction
from pipelines.errors import LegdayError
from pipelines.limits import DEMO_MAX_CLIENTS, DEMO_MAX_DAYS, DEMO_MIN_DAYS
from pipelines.vocabulary import CHECKIN_SESSION_TYPES

PERSONAS = ("new to training", "consistent", "overreaching", "injured", "poor sleeper")
NEW, CONSISTENT, OVERREACHING, INJURED, POOR_SLEEPER = range(len(PERSONAS))
NONE, LEGS, UPPER, FULL_BODY, CARDIO, ACTIVE_RECOVERY, MOBILITY = range(len(CHECKIN_SESSION_TYPES))

# (trainer_id, name, password, owner). Demo-only passwords, printed by `legday demo`.
DEMO_TRAINERS = (
    ("demo", "Demo Owner", "legday-demo", True),
    ("sam", "Sam Rivera", "legday-sam", False),
    ("lee", "Lee Okafor", "legday-lee", False),
)
NOTES = (
    "Sharp pain in the back of my thigh when I bend",
    "Stairs were brutal today",
    "Slept badly, woke up twice",
    "Great leg session",
    "Feeling good",
)
PAIN_NOTE, VERY_SORE_NOTE, BAD_SLEEP_NOTE, LEG_DAY_NOTE, GOOD_NOTE = range(1, len(NOTES) + 1)
FIRST_NAMES = (
    "Ana", "Bo", "Chloé", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kai", "Lena",
    "Malik", "Nora", "Omar", "Priya", "Quinn", "Rosa", "Søren", "Tess", "Uma", "Viktor", "Wen", "Zoë",
)
LAST_NAMES = (
    "Álvarez", "Berg", "Chen", "Dubois", "Eze", "Fischer", "García", "Haddad", "Ivanova", "Jensen",
    "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Rossi", "Schmidt", "Tanaka", "Weber",
)

# Client-days generated per step (2,000 clients x 365 days), so the step's arrays stay
# about 300 MiB whatever the days (a step of 2,000 clients x 1,000 days peaked at
# 1,052 MiB). Fixed, so the rows never depend on the machine.
BLOCK_DAYS = 730_000
# DuckDB's memory while the demo builds: by default it may take 80 % of the machine, and a
# 30,000 x 365 build held 5.5 GiB. With the load state refreshed a block of clients at a
# time (load_state.REFRESH_BLOCK_DAYS), each block's rows handed over once (_block_rows) and
# the limit at 500 MB, it peaked at 843 MiB (10,000 x 365: 752 MiB); at 250 MB it ran out
# of memory (docs/benchmarks.md). So 500 MB for up to 10 M check-ins, and 50 MB more for
# each further million (the primary key's index grows with them).
BUILD_MEMORY_MB, BUILD_MEMORY_MB_PER_MILLION = 500, 50
KEEP_TABLES = ("schema_version", "schema_meta", "thresholds", "plan_actions")

# Per persona, in PERSONAS order.
CHECKIN_RATE = np.array([0.80, 0.93, 0.90, 0.85, 0.78])
SKIP_RATE = np.array([0.25, 0.08, 0.04, 0.20, 0.18])
EXTRA_RATE = np.array([0.02, 0.03, 0.10, 0.02, 0.03])
DOMS_AMPLITUDE = np.array([5.0, 3.0, 3.5, 3.5, 4.0])
MINUTES_FACTOR = np.array([0.8, 1.0, 1.2, 0.9, 1.0])
RPE_SHIFT = np.array([0.3, 0.0, 0.8, -0.5, 0.0])
SLEEP_BASE = np.array([7.1, 7.4, 6.9, 7.2, 5.6])
STRESS_BASE = np.array([3.5, 3.8, 3.3, 3.2, 2.8])
WATER_BASE = np.array([1.6, 2.4, 2.6, 2.2, 1.9])
MEAL_RATE = np.array([0.55, 0.9, 0.7, 0.8, 0.6])
# Per session type, in CHECKIN_SESSION_TYPES order.
MINUTES_MEAN = np.array([0, 60, 50, 55, 35, 30, 20])
RPE_MEAN = np.array([0, 7.2, 6.2, 6.8, 5.0, 2.5, 2.0])
LEG_STIMULUS = np.array([0, 1.0, 0, 0.7, 0, 0, 0])
# Delayed-onset soreness after a leg session by days since it (0 = same day): rises
# over 24-48 h, peaks on day 2, fades by day 4-5; poor sleepers fade a day later.
DOMS_CURVE = np.array([0.3, 0.85, 1.0, 0.6, 0.3, 0.1, 0.0])
DOMS_CURVE_SLOW = np.array([0.3, 0.8, 1.0, 0.8, 0.5, 0.25, 0.1])
# Groups in (quads, hamstrings, glutes, calves) order.
GROUP_WEIGHTS = np.array([1.0, 0.8, 0.85, 0.45])
# The spike client's last week: a session every day, ramping up (minutes, CR-10).
SPIKE_MINUTES = np.array([75, 80, 90, 95, 100, 110, 120])
SPIKE_RPE = np.array([8, 8, 8, 9, 9, 9, 9])
SPIKE_TYPES = np.array([LEGS, UPPER, FULL_BODY, CARDIO, LEGS, UPPER, FULL_BODY])

_CHECK_INS_SQL = sql_layers.read("demo", "demo_check_ins")

Progress = Callable[[int, int, str], None]


class DemoError(LegdayError, ValueError):
    """The demo cannot be built here, with a message saying why."""


@dataclass
class Cast:
    """Who the demo clients are: one entry per client, in client-number order."""

    client_ids: list[str]
    persona: np.ndarray
    first_day: np.ndarray  # day index of the first possible check-in
    last_day: np.ndarray  # day index of the last check-in (-1: never checks in)
    forced_from: np.ndarray  # from this day index on, every day is checked in
    injury_day: np.ndarray  # day index of an injury (-1: none)
    spike: int | None
    pain: int | None
    override: int | None
    sore: int | None  # hard leg day two days before the end, no session since
    new_example: int | None


def _first(mask: np.ndarray) -> int | None:
    found = np.flatnonzero(mask)
    return int(found[0]) if found.size else None


def _cast(rng: np.random.Generator, clients: int, days: int) -> Cast:
    width = max(3, len(str(clients)))
    persona = np.empty(clients, dtype=np.int64)
    persona[rng.permutation(clients)] = np.arange(clients) % len(PERSONAS)
    first_day = rng.integers(0, max(1, min(21, days // 5)), clients)
    newcomer_start = days - rng.integers(21, 57, clients)
    first_day = np.where(persona == NEW, np.clip(newcomer_start, 0, days - 1), first_day)
    last_day = np.full(clients, days - 1)
    forced_from = np.full(clients, days)
    injury_day = np.where(persona == INJURED, rng.integers(days // 3, max(days // 3 + 1, days - 20), clients), -1)

    spike = _first(persona == OVERREACHING)
    pain = _first(persona == INJURED)
    override = _first(persona == CONSISTENT)
    sore = _first((persona == OVERREACHING) & (np.arange(clients) != spike))
    special = [index for index in (spike, pain, override, sore) if index is not None]
    if spike is not None:
        first_day[spike] = 0
        forced_from[spike] = days - 10
    if pain is not None:
        injury_day[pain] = days - 2
        forced_from[pain] = days - 2
    if override is not None:
        # Checked in yesterday, not yet today: the trainer's override is the newest word.
        forced_from[override] = days - 2
        last_day[override] = days - 2
    if sore is not None:
        forced_from[sore] = days - 3

    eligible = np.ones(clients, dtype=bool)
    eligible[special] = False
    newcomers = np.flatnonzero((persona == NEW) & eligible)
    silent = newcomers[::-1][: max(2, clients // 20) if clients >= 10 else 0]
    last_day[silent] = -1
    eligible[silent] = False
    candidates = np.flatnonzero(eligible)
    missing = rng.choice(candidates, min(candidates.size, max(2, clients * 12 // 100)), replace=False)
    last_day[missing] = days - 1 - rng.integers(3, 11, missing.size)
    eligible[missing] = False
    new_example = _first((persona == NEW) & eligible)
    return Cast(
        [f"c{number:0{width}d}" for number in range(1, clients + 1)],
        persona, first_day, last_day, forced_from, injury_day, spike, pain, override, sore, new_example,
    )


def _weekly_schedule(rng: np.random.Generator, persona: np.ndarray) -> np.ndarray:
    """Session type per client per weekday offset from the client's first leg day."""
    n = persona.size
    two_leg_days = (persona == CONSISTENT) | (persona == OVERREACHING) | (
        (persona == POOR_SLEEPER) & (rng.random(n) < 0.5)
    )
    plan = np.zeros((n, 7), dtype=np.int64)
    plan[:, 0] = LEGS
    plan[:, 1] = UPPER
    plan[:, 2] = np.where(rng.random(n) < 0.5, np.where(rng.random(n) < 0.5, MOBILITY, ACTIVE_RECOVERY), NONE)
    plan[:, 3] = np.where(two_leg_days, np.where(rng.random(n) < 0.2, FULL_BODY, LEGS), CARDIO)
    plan[:, 4] = np.where(two_leg_days, UPPER, NONE)
    plan[:, 5] = np.where((persona != NEW) | (rng.random(n) < 0.5), CARDIO, NONE)
    plan[:, 6] = np.where(persona == OVERREACHING, np.where(rng.random(n) < 0.3, FULL_BODY, CARDIO), NONE)
    leg_weekday = rng.integers(0, 7, n)
    weekday_offset = (np.arange(7)[None, :] - leg_weekday[:, None]) % 7
    return np.take_along_axis(plan, weekday_offset, axis=1)


def _shifted(values: np.ndarray, by: int) -> np.ndarray:
    """values moved `by` days later along axis 1 (zeros shifted in)."""
    if by == 0:
        return values
    out = np.zeros_like(values)
    out[:, by:] = values[:, :-by]
    return out


def _rounded(values: np.ndarray, low: float, high: float, step: float = 1.0) -> np.ndarray:
    return np.clip(np.rint(values / step) * step, low, high)


def _block_rows(
    cast: Cast, block: slice, rng: np.random.Generator, days: int, start: dt.date
) -> pa.RecordBatchReader:
    """The block's check-in rows as numeric columns (sql/demo/demo_check_ins.sql), as a
    reader that hands them over once: DuckDB keeps a registered object until the
    transaction ends, so a data frame would hold every block's arrays until the build
    commits (a 30,000 x 365 build held 1.4 GiB)."""
    persona = cast.persona[block]
    n = persona.size
    index = np.arange(block.start, block.start + n)
    day = np.arange(days)[None, :]
    weekday = (start.weekday() + np.arange(days)) % 7
    noise = rng.standard_normal

    session = _weekly_schedule(rng, persona)[:, weekday]
    session = np.where(rng.random((n, days)) < SKIP_RATE[persona][:, None], NONE, session)
    extra = (session == NONE) & (rng.random((n, days)) < EXTRA_RATE[persona][:, None])
    session = np.where(extra, CARDIO, session)
    injury = cast.injury_day[block][:, None]
    injured = (injury >= 0) & (day >= injury) & (day < injury + 14)
    pain = (injury >= 0) & (day >= injury) & (day < injury + 3)
    session = np.where(injured & ((session == LEGS) | (session == FULL_BODY)), MOBILITY, session)
    session = np.where(pain, NONE, session)
    minutes = MINUTES_MEAN[session] * MINUTES_FACTOR[persona][:, None] * (1 + 0.15 * noise((n, days)))
    rpe = RPE_MEAN[session] + RPE_SHIFT[persona][:, None] + 0.7 * noise((n, days))

    def quiet_weeks(row: int, first: int, last: int) -> None:
        """Light upper-body sessions on about 3 days in 10 between two day offsets from the end."""
        quiet = (day[0] >= days - first) & (day[0] < days - last)
        session[row, quiet] = np.where(rng.random(quiet.sum()) < 0.3, UPPER, NONE)
        minutes[row, quiet] = 35
        rpe[row, quiet] = 5

    spike = np.flatnonzero(index == cast.spike)
    if spike.size:
        quiet_weeks(spike[0], 28, 7)
        session[spike[0], -7:], minutes[spike[0], -7:], rpe[spike[0], -7:] = SPIKE_TYPES, SPIKE_MINUTES, SPIKE_RPE

    sore = np.flatnonzero(index == cast.sore)
    if sore.size:
        quiet_weeks(sore[0], 24, 3)
        session[sore[0], -3:], minutes[sore[0], -3:], rpe[sore[0], -3:] = (LEGS, NONE, NONE), (75, 0, 0), (10, 0, 0)

    minutes = np.where(session == NONE, 0, _rounded(minutes, 10, 180, 5))
    rpe = np.where(session == NONE, 0, _rounded(rpe, 1, 10))

    first, last = cast.first_day[block][:, None], cast.last_day[block][:, None]
    checked_in = rng.random((n, days)) < CHECKIN_RATE[persona][:, None]
    checked_in = (checked_in | (day >= cast.forced_from[block][:, None])) & (day >= first) & (day <= last)

    leg_stimulus = LEG_STIMULUS[session] * (rpe / 7.0) * (day >= first)
    leg_sessions = np.cumsum(leg_stimulus > 0, axis=1)
    novelty = np.where(persona[:, None] == NEW, 1 + 0.8 * np.exp(-(leg_sessions - 1) / 2), 1.0)
    stimulus = leg_stimulus * novelty * DOMS_AMPLITUDE[persona][:, None]
    curves = np.where((persona == POOR_SLEEPER)[:, None], DOMS_CURVE_SLOW, DOMS_CURVE)
    doms = sum(curves[:, lag, None] * _shifted(stimulus, lag) for lag in range(DOMS_CURVE.size))
    hamstring_strain = np.where(injured, 4.0 * np.exp(-(day - injury) / 5), 0.0)
    weights = GROUP_WEIGHTS * rng.uniform(0.8, 1.2, (n, 4))
    soreness = [
        _rounded(doms * weights[:, group, None] + 0.5 * noise((n, days)), 0, 10)
        for group in range(4)
    ]
    soreness[1] = _rounded(soreness[1] + hamstring_strain, 0, 10)
    soreness[3] = _rounded(soreness[3] + 0.8 * (session == CARDIO), 0, 10)
    max_soreness = np.maximum.reduce(soreness)

    load = minutes * rpe
    weekly_load = sum(_shifted(load, lag) for lag in range(7)) / 7
    fatigue = np.clip((weekly_load - 300) / 300, 0, 2)
    weekend = np.isin(weekday, (5, 6))[None, :]
    poor_sleeper = (persona == POOR_SLEEPER)[:, None]
    sleep_hours = _rounded(
        SLEEP_BASE[persona][:, None] + 0.5 * weekend + np.where(poor_sleeper, 0.9, 0.7) * noise((n, days)),
        3, 11, 0.25,
    )
    sleep_quality = _rounded(3 + 0.9 * (sleep_hours - 7) - 0.6 * poor_sleeper + 0.6 * noise((n, days)), 1, 5)
    energy = _rounded(
        3.3 + 0.5 * (sleep_quality - 3) - 0.17 * max_soreness - 0.5 * fatigue + 0.6 * noise((n, days)), 1, 5
    )
    stress_base = STRESS_BASE[persona][:, None] + 0.3 * noise((n, 1))
    stress = _rounded(stress_base + 0.3 * (sleep_quality - 3) - 0.3 * ~weekend + 0.7 * noise((n, days)), 1, 5)
    mood = _rounded(0.45 * energy + 0.45 * stress + 0.4 - 0.8 * pain + 0.5 * noise((n, days)), 1, 5)
    trained = session != NONE
    water = _rounded(WATER_BASE[persona][:, None] + 0.4 * trained + 0.45 * noise((n, days)), 0.3, 6, 0.1)
    water = np.where(rng.random((n, days)) < 0.06, np.nan, water)
    meal = np.where(trained, rng.random((n, days)) < MEAL_RATE[persona][:, None], -1)
    note = np.select(
        [pain, max_soreness >= 7, sleep_hours < 5.5, session == LEGS],
        [PAIN_NOTE, VERY_SORE_NOTE, BAD_SLEEP_NOTE, LEG_DAY_NOTE],
        default=GOOD_NOTE,
    )
    note = np.where(rng.random((n, days)) < np.where(pain, 0.9, 0.12), note, 0)
    evening = rng.random((n, days)) < 0.2
    minute_of_day = np.where(evening, rng.integers(19 * 60, 22 * 60, (n, days)), rng.integers(390, 600, (n, days)))

    rows, days_of = np.nonzero(checked_in)
    picked = {
        "client_index": index[rows],
        "day_index": days_of,
        "soreness_quads": soreness[0],
        "soreness_hamstrings": soreness[1],
        "soreness_glutes": soreness[2],
        "soreness_calves": soreness[3],
        "sleep_hours": sleep_hours,
        "sleep_quality": sleep_quality,
        "energy": energy,
        "stress": stress,
        "mood": mood,
        "water_liters": water,
        "meal": meal,
        "session_code": session,
        "session_minutes": minutes,
        "session_rpe": rpe,
        "pain": pain,
        "note_code": note,
        "minute_of_day": minute_of_day,
    }
    frame = {
        name: values if name in ("client_index", "day_index") else values[checked_in]
        for name, values in picked.items()
    }
    integers = {name for name in frame if name not in ("sleep_hours", "water_liters", "pain")}
    table = pa.table({name: values.astype(np.int32) if name in integers else values for name, values in frame.items()})
    return pa.RecordBatchReader.from_batches(table.schema, table.to_batches())


def _clear(con: duckdb.DuckDBPyConnection, keep_trainers: list[str]) -> None:
    """Delete every data table's rows (catalog, thresholds and schema bookkeeping stay).

    DuckDB refuses to delete a row that a foreign key referenced earlier in the same
    transaction, so trainers who had clients are kept as inactive rows without a
    usable password instead of being deleted.
    """
    con.execute("delete from trainers where trainer_id not in (select trainer_id from clients)")
    tables = [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where database_name = current_database() "
            "and schema_name = 'main' and table_name not in ('trainers', 'clients') "
            "and not list_contains(?, table_name)",
            [list(KEEP_TABLES)],
        ).fetchall()
    ]
    for name in tables:
        con.execute(f'delete from "{name}"')  # noqa: S608 - table names from the catalog
    con.execute("delete from clients")
    con.execute(
        "update trainers set active = false, is_owner = false, password_hash = '!' "
        "where not list_contains(?, trainer_id)",
        [keep_trainers],
    )


def _insert_people(con: duckdb.DuckDBPyConnection, cast: Cast, start: dt.date, rng: np.random.Generator) -> None:
    con.executemany(
        "insert into trainers (trainer_id, name, password_hash, is_owner) values (?, ?, ?, ?) "
        "on conflict (trainer_id) do update set name = excluded.name, "
        "password_hash = excluded.password_hash, is_owner = excluded.is_owner, active = true",
        [[trainer_id, name, hash_password(password), owner] for trainer_id, name, password, owner in DEMO_TRAINERS],
    )
    count = len(cast.client_ids)
    first = rng.integers(0, len(FIRST_NAMES), count)
    last = rng.integers(0, len(LAST_NAMES), count)
    trainer_ids = np.array([trainer[0] for trainer in DEMO_TRAINERS])
    since = [
        start + dt.timedelta(days=int(day)) if persona == NEW else None
        for day, persona in zip(cast.first_day, cast.persona, strict=True)
    ]
    demo_people = pd.DataFrame(
        {
            "client_id": cast.client_ids,
            "name": [f"{FIRST_NAMES[a]} {LAST_NAMES[b]}" for a, b in zip(first, last, strict=True)],
            "trainer_id": trainer_ids[np.arange(count) % len(DEMO_TRAINERS)],
            "since": pd.Series(since, dtype="object"),
        }
    )
    con.register("demo_people", demo_people)
    con.execute(
        "insert into clients (client_id, name, trainer_id, since) "
        "select client_id, name, trainer_id, since::date from demo_people"
    )
    con.unregister("demo_people")


def _trainer_of(con: duckdb.DuckDBPyConnection, client_id: str) -> Viewer:
    """The client's own trainer, who writes the demo's plans, override and sessions."""
    row = con.execute(
        "select trainer_id, trainers.name, is_owner from clients join trainers using (trainer_id) where client_id = ?",
        [client_id],
    ).fetchone()
    return Viewer(*row)


def _plan_items(con: duckdb.DuckDBPyConnection, status: str) -> list[dict]:
    return [vars(item) for item in plans.default_plan(con, status).items]


def _record_plans_and_override(con: duckdb.DuckDBPyConnection, cast: Cast) -> int:
    """A few plans with revisions and one override, so every dashboard feature has data."""
    saved = 0

    def save(index: int | None, status: str, *, items=None, focus=None, notes=None) -> None:
        nonlocal saved
        if index is None:
            return
        client_id = cast.client_ids[index]
        draft = plans.default_plan(con, status)
        plans.save_plan(
            con,
            _trainer_of(con, client_id),
            client_id,
            items=items if items is not None else _plan_items(con, status),
            next_intensity=draft.next_intensity,
            next_focus=focus or draft.next_focus,
            notes=notes,
            status_at_save=status,
        )
        saved += 1

    save(cast.spike, "caution")
    save(cast.spike, "rest", notes="Load doubled this week after the holiday: two easy days, then rebuild.")
    physio = {"title": "See a physio about the knee before the next leg day", "timing": "this week"}
    save(cast.pain, "rest", items=[physio, *_plan_items(con, "rest")], focus="Upper body and mobility only")
    first_steps = [dict(item, done=position < 2) for position, item in enumerate(_plan_items(con, "caution"))]
    save(cast.new_example, "caution", items=first_steps, notes="First month: technique before load.")
    save(cast.override, "caution")
    if cast.override is not None:
        client_id = cast.client_ids[cast.override]
        overrides.set_override(
            con, _trainer_of(con, client_id), client_id, "caution",
            "Moved house at the weekend; keep today easy (told me at the door)",
        )
    return saved


# The heavy leg session is sized so the projection shows an ACWR of about this.
HEAVY_LEGS_ACWR = 1.6
HEAVY_LEGS_RPE = 9
HEAVY_LEGS_MINUTES = range(45, 125, 5)

READY_CLIENTS_QUERY = """
select client_id
from roster
where status = 'ready' and last_checkin = $end and not list_contains($excluded, client_id)
order by client_id
limit 3
"""


def _heavy_legs_minutes(con: duckdb.DuckDBPyConnection, client_id: str, day: dt.date) -> tuple[int, float | None]:
    """Minutes at HEAVY_LEGS_RPE whose projected acwr_ewma is nearest HEAVY_LEGS_ACWR (a
    bisection: the ratio grows with the day's load)."""
    low, high = 0, len(HEAVY_LEGS_MINUTES) - 1
    probes = {}
    while low <= high:
        middle = (low + high) // 2
        minutes = HEAVY_LEGS_MINUTES[middle]
        trainer = _trainer_of(con, client_id)
        ratio = sessions.projected_day(con, trainer, client_id, day, ("legs", minutes, HEAVY_LEGS_RPE))["acwr_ewma"]
        probes[minutes] = ratio
        if ratio is None:
            break
        if ratio < HEAVY_LEGS_ACWR:
            low = middle + 1
        else:
            high = middle - 1
    return min(probes.items(), key=lambda probe: abs((probe[1] or 0) - HEAVY_LEGS_ACWR))


def _plan_sessions(con: duckdb.DuckDBPyConnection, cast: Cast, end: dt.date) -> int:
    """Today's and tomorrow's sessions: a heavy leg session today for the client still sore
    from leg day two days ago (sized to an ACWR of about 1.6), two easier ones today and
    two tomorrow. Returns how many were planned."""
    roles = (cast.spike, cast.pain, cast.override, cast.sore)
    excluded = [cast.client_ids[index] for index in roles if index is not None]
    sore = None if cast.sore is None else cast.client_ids[cast.sore]
    ready = con.execute(READY_CLIENTS_QUERY, {"end": end, "excluded": excluded}).fetchall()
    tomorrow = end + dt.timedelta(days=1)
    planned = []
    if sore is not None:
        minutes, _ = _heavy_legs_minutes(con, sore, end)
        planned.append((sore, end, "07:30", "legs", minutes, HEAVY_LEGS_RPE, "Heavy squats and lunges"))
        planned.append((sore, tomorrow, "07:30", "upper", 45, 6, None))
    for (client_id,), (when, time, kind, minutes, rpe) in zip(
        ready,
        [(end, "12:00", "upper", 50, 6), (end, "17:30", "mobility", 30, 3), (tomorrow, "09:00", "legs", 60, 7)],
        strict=False,
    ):
        planned.append((client_id, when, time, kind, minutes, rpe, None))
    for client_id, when, time, kind, minutes, rpe, notes in planned:
        sessions.add_session(
            con, _trainer_of(con, client_id), client_id, day=when, session_type=kind, minutes=minutes,
            rpe=rpe, start_time=time, notes=notes,
        )
    return len(planned)


@contextmanager
def _memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory limit (the whole database's, every connection's) set to `limit`
    for the block, then back to DuckDB's default (legday sets no other)."""
    con.execute("set memory_limit = ?", [limit])
    try:
        yield
    finally:
        con.execute("reset memory_limit")


def build_demo(
    con: duckdb.DuckDBPyConnection,
    *,
    clients: int = 24,
    days: int = 120,
    seed: int = 7,
    end: dt.date | None = None,
    replace: bool = False,
    progress: Progress | None = None,
) -> dict:
    """Create the demo trainers, clients, check-ins, plans, one override and planned sessions.

    Refuses a database that already has clients unless `replace`, which first deletes
    all existing data in the same transaction. Returns the counts written, the date
    range, and `roles`: the client ids of the load-spike, pain and override clients and
    of the sore client with today's heavy leg session.
    """
    if not 1 <= clients <= DEMO_MAX_CLIENTS:
        raise DemoError(f"--clients must be between 1 and {DEMO_MAX_CLIENTS} (got {clients})")
    if not DEMO_MIN_DAYS <= days <= DEMO_MAX_DAYS:
        raise DemoError(f"--days must be between {DEMO_MIN_DAYS} and {DEMO_MAX_DAYS} (got {days})")
    end = end or db.as_of(con)
    start = end - dt.timedelta(days=days - 1)
    report = progress or (lambda done, total, what: None)
    size = max(1, BLOCK_DAYS // days)
    blocks = [slice(low, min(low + size, clients)) for low in range(0, clients, size)]
    total_steps = len(blocks) + 4
    rng = np.random.default_rng(seed)
    cast = _cast(rng, clients, days)
    client_ids = pd.DataFrame({"client_index": np.arange(clients, dtype=np.int32), "client_id": cast.client_ids})
    recipe = f"legday demo seed={seed} clients={clients} days={days} end={end}"

    memory_mb = max(BUILD_MEMORY_MB, BUILD_MEMORY_MB_PER_MILLION * clients * days // 1_000_000)
    with _memory_limit(con, f"{memory_mb}MB"), transaction(con):
        existing = con.execute("select count(*) from clients").fetchone()[0]
        if existing and not replace:
            raise DemoError(
                f"the database already has {existing} clients; use --replace to delete all data "
                "and build the demo instead"
            )
        report(0, total_steps, "trainers and clients")
        if replace:
            _clear(con, [trainer[0] for trainer in DEMO_TRAINERS])
        _insert_people(con, cast, start, rng)
        run_id = con.execute(
            "insert into ingest_runs (file_sha256, file_name, source, imported_by) "
            "values (?, 'legday demo', 'demo', 'demo') returning run_id",
            [hashlib.sha256(recipe.encode()).hexdigest()],
        ).fetchone()[0]
        con.register("demo_client_ids", client_ids)
        parameters = {"start": start, "run_id": run_id, "session_types": list(CHECKIN_SESSION_TYPES), "notes": list(NOTES)}
        check_ins = 0
        for number, block in enumerate(blocks, start=1):
            report(number, total_steps, f"check-ins of clients {block.start + 1}-{block.stop}")
            con.register("demo_rows", _block_rows(cast, block, np.random.default_rng([seed, number]), days, start))
            sql = f"insert into check_ins by name {_CHECK_INS_SQL}"  # noqa: S608 - SQL from sql/
            check_ins += con.execute(sql, parameters).fetchone()[0]
            con.unregister("demo_rows")
        con.unregister("demo_client_ids")
        con.execute(
            "update ingest_runs set finished_at = current_timestamp, rows_total = ?, accepted = ? "
            "where run_id = ?",
            [check_ins, check_ins, run_id],
        )
        report(len(blocks) + 1, total_steps, "training load")
        load_state.refresh(con, cast.client_ids)
        report(len(blocks) + 2, total_steps, "plans and an override")
        plan_count = _record_plans_and_override(con, cast)
        report(len(blocks) + 3, total_steps, "planned sessions")
        as_of = db.as_of(con)
        db.set_as_of(con, end)
        try:
            session_count = _plan_sessions(con, cast, end)
        finally:
            db.set_as_of(con, as_of)
    report(total_steps, total_steps, "done")
    return {
        "trainers": len(DEMO_TRAINERS),
        "clients": clients,
        "check_ins": check_ins,
        "plans": plan_count,
        "overrides": int(cast.override is not None),
        "sessions": session_count,
        "roles": {
            role: cast.client_ids[index]
            for role, index in (
                ("spike", cast.spike), ("pain", cast.pain), ("override", cast.override), ("sore", cast.sore)
            )
            if index is not None
        },
        "first_day": start,
        "last_day": end,
    }
