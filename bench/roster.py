"""Roster benchmark (issue 3): 10,000 clients x 365 days of check-ins.

Times, median of several runs in one process:
  (a) the roster view (pipelines.metrics.roster),
  a minimal hand-written 56-day window query over the same check-ins (the baseline the
  roster must stay within 1.5x of),
  (b) the full load_metrics view over all history,
  (c) the same load metrics with pandas (groupby rolling / ewm) from the same table.
Run: .venv/bin/python bench/roster.py [--clients N] [--days N] [--db PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import db, load_state, metrics
from pipelines.access import COMMAND_LINE as OWNER
from pipelines.settings import Settings

AS_OF = dt.date(2026, 11, 20)

# The least a roster could do: one window pass over the last 56 days of check-ins
# (no calendar, no EWMA, no flags), keeping each client's latest row.
MINIMAL_56_DAY_QUERY = """
with recent as (
    select
        client_id, checkin_date, coalesce(session_rpe * session_minutes, 0) as load,
        greatest(soreness_quads, soreness_hamstrings, soreness_glutes, soreness_calves) as max_soreness,
        sleep_quality + energy + stress + mood as wellness,
        if(session_type in ('legs', 'full_body'), checkin_date, null) as legs_day
    from check_ins
    where checkin_date between $as_of - 55 and $as_of
),
windowed as (
    select
        *,
        sum(load) over last_7_days / 7 as acute_load,
        sum(load) over last_28_days / 28 as chronic_load,
        avg(wellness) over previous_28_days as baseline_mean,
        stddev_pop(wellness) over previous_28_days as baseline_sd,
        max(legs_day) over through_today as last_legs_day
    from recent
    window
        last_7_days as (partition by client_id order by checkin_date range between interval 6 days preceding and current row),
        last_28_days as (partition by client_id order by checkin_date range between interval 27 days preceding and current row),
        previous_28_days as (partition by client_id order by checkin_date range between interval 28 days preceding and interval 1 day preceding),
        through_today as (partition by client_id order by checkin_date rows unbounded preceding)
)
select clients.client_id, clients.name, windowed.* exclude (client_id)
from clients
left join windowed on windowed.client_id = clients.client_id
where clients.active
qualify row_number() over (partition by clients.client_id order by windowed.checkin_date desc) = 1
order by max_soreness desc nulls last
"""

SYNTHETIC_CHECK_INS = """
insert into check_ins (
    client_id, checkin_date, soreness_quads, soreness_hamstrings, soreness_glutes,
    soreness_calves, sleep_hours, sleep_quality, energy, stress, mood, water_liters,
    ate_recovery_meal, session_type, session_minutes, session_rpe, pain
)
with days as (
    select
        'c' || lpad(client::text, 5, '0') as client_id,
        ($as_of - day::integer)::date as checkin_date,
        hash(client, day, $seed) as h
    from range(1, $clients + 1) as clients (client), range(0, $days) as days (day)
),
sessions as (
    select
        *,
        ['none', 'legs', 'upper', 'full_body', 'cardio', 'active_recovery', 'mobility', 'none'][1 + (h % 8)::integer] as session_type
    from days
    where h % 23 <> 0  -- about 4 % of days without a check-in
)
select
    client_id, checkin_date,
    (h >> 8) % 11, (h >> 12) % 9, (h >> 16) % 8, (h >> 20) % 6,
    4 + ((h >> 24) % 60) / 10.0,
    1 + (h >> 28) % 5, 1 + (h >> 31) % 5, 1 + (h >> 34) % 5, 1 + (h >> 37) % 5,
    ((h >> 40) % 40) / 10.0,
    (h >> 46) % 3 <> 0,
    session_type,
    if(session_type = 'none', 0, 20 + (h >> 48) % 70),
    if(session_type = 'none', 0, 2 + (h >> 56) % 8),
    (h >> 60) % 50 = 0
from sessions
"""


def build_synthetic(
    con: duckdb.DuckDBPyConnection, clients: int, days: int, seed: int = 7, end: dt.date = AS_OF
) -> None:
    """Trainers, clients and random check-ins up to `end`, then the load state."""
    with db.transaction(con):
        con.execute("insert into trainers values ('owner', 'Owner', 'x', true, true, current_timestamp)")
        con.execute(
            "insert into clients (client_id, name, trainer_id) "
            "select 'c' || lpad(i::text, 5, '0'), 'Client ' || i, 'owner' from range(1, $n + 1) t(i)",
            {"n": clients},
        )
        con.execute(SYNTHETIC_CHECK_INS, {"as_of": end, "seed": seed, "clients": clients, "days": days})
        load_state.refresh(con)


def build(con: duckdb.DuckDBPyConnection, clients: int, days: int) -> str:
    try:
        from pipelines.demo import build_demo
    except ImportError:
        build_synthetic(con, clients, days)
        return "synthetic check-ins (pipelines.demo not available)"
    build_demo(con, clients=clients, days=days, seed=7, replace=True)
    return "pipelines.demo.build_demo"


def median_time(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pandas_load_metrics(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The load_metrics columns with pandas, from the same check_ins table."""
    frame = con.execute(
        "select client_id, checkin_date as day, coalesce(session_rpe * session_minutes, 0)::double as load "
        "from check_ins where checkin_date <= $as_of",
        {"as_of": AS_OF},
    ).df()
    frame["day"] = pd.to_datetime(frame["day"])
    spans = frame.groupby("client_id")["day"].min()
    calendar = pd.concat(
        pd.DataFrame({"client_id": client, "day": pd.date_range(first, pd.Timestamp(AS_OF))})
        for client, first in spans.items()
    )
    daily = calendar.merge(frame, on=["client_id", "day"], how="left").fillna({"load": 0.0})
    daily = daily.sort_values(["client_id", "day"], ignore_index=True)
    by_client = daily.groupby("client_id", sort=False)["load"]
    daily["day_index"] = daily.groupby("client_id", sort=False).cumcount()
    daily["acute_load"] = by_client.rolling(7, min_periods=1).mean().to_numpy()
    daily["chronic_load"] = by_client.rolling(28, min_periods=1).mean().to_numpy()
    daily["weekly_load"] = by_client.rolling(7, min_periods=1).sum().to_numpy()
    weekly_sd = pd.Series(by_client.rolling(7, min_periods=1).std(ddof=0).to_numpy(), index=daily.index)
    daily["ewma_acute"] = by_client.ewm(alpha=0.25, adjust=False).mean().to_numpy()
    daily["ewma_chronic"] = by_client.ewm(alpha=2 / 29, adjust=False).mean().to_numpy()
    full = daily["day_index"] >= 27
    daily["acwr"] = (daily["acute_load"] / daily["chronic_load"].replace(0, float("nan"))).where(full)
    daily["acwr_ewma"] = (daily["ewma_acute"] / daily["ewma_chronic"].replace(0, float("nan"))).where(full)
    # rolling sums leave float residue on a flat week (loads are integers, so a real SD
    # of 7 loads is >= 0.35); SQL gets an exact 0 there, i.e. a NULL monotony
    daily["monotony"] = (daily["acute_load"] / weekly_sd.where(weekly_sd > 1e-3)).where(daily["day_index"] >= 6)
    daily["strain"] = daily["weekly_load"] * daily["monotony"]
    return daily


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--db", type=Path, default=None, help="reuse this database file when it has data")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    path = args.db or Path(tempfile.mkdtemp()) / "bench.duckdb"
    con = db.connect(path, settings=Settings(db_path=path, as_of=AS_OF))
    if con.execute("select count(*) from check_ins").fetchone()[0] == 0:
        start = time.perf_counter()
        source = build(con, args.clients, args.days)
        print(f"built {path} with {source} in {time.perf_counter() - start:.1f} s")
    check_ins = con.execute("select count(*) from check_ins").fetchone()[0]
    clients = con.execute("select count(*) from clients").fetchone()[0]
    print(f"{clients:,} clients, {check_ins:,} check-ins, as of {AS_OF}, {args.repeat} runs each (median)")
    print(f"machine load (1-minute average) before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

    roster_s = median_time(lambda: metrics.roster(con, OWNER), args.repeat)
    minimal_s = median_time(lambda: con.execute(MINIMAL_56_DAY_QUERY, {"as_of": AS_OF}).df(), args.repeat)
    sql_s = median_time(lambda: con.sql("select * from load_metrics").to_arrow_table(), max(1, args.repeat // 2))
    pandas_s = median_time(lambda: pandas_load_metrics(con), 1)

    print(f"(a) roster view                  {roster_s * 1000:8.0f} ms   target <= 300 ms")
    print(f"    minimal 56-day window query  {minimal_s * 1000:8.0f} ms   roster / minimal = {roster_s / minimal_s:.2f} (target <= 1.5)")
    print(f"(b) load_metrics, all history    {sql_s * 1000:8.0f} ms")
    print(f"(c) pandas rolling / ewm         {pandas_s * 1000:8.0f} ms   pandas / SQL = {pandas_s / sql_s:.1f} (target >= 20)")
    print(f"machine load (1-minute average) after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
