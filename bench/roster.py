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
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import db, load_state, metrics
from pipelines.settings import Settings

AS_OF = dt.date(2026, 11, 20)

MINIMAL_56_DAY_QUERY = """
with recent as (
    select
        client_id, checkin_date, coalesce(session_rpe * session_minutes, 0) as load,
        greatest(soreness_quads, soreness_hamstrings, soreness_glutes, soreness_calves) as max_soreness,
        session_type in ('legs', 'full_body') as trained_legs
    from check_ins
    where checkin_date between $as_of - 55 and $as_of
),
per_client as (
    select
        client_id,
        sum(load) filter (where checkin_date > $as_of - 7) / 7 as acute_load,
        sum(load) filter (where checkin_date > $as_of - 28) / 28 as chronic_load,
        arg_max(max_soreness, checkin_date) as max_soreness,
        $as_of - max(checkin_date) filter (where trained_legs) as days_since_legs,
        max(checkin_date) as last_checkin
    from recent
    group by client_id
)
select clients.client_id, clients.name, per_client.*
from clients
left join per_client using (client_id)
where clients.active
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
        ($as_of - day)::date as checkin_date,
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


def build_synthetic(con: duckdb.DuckDBPyConnection, clients: int, days: int, seed: int = 7) -> None:
    """Trainers, clients and random check-ins, then the load state (when no demo builder)."""
    with db.transaction(con):
        con.execute("insert into trainers values ('owner', 'Owner', 'x', true, true, current_timestamp)")
        con.execute(
            "insert into clients (client_id, name, trainer_id) "
            "select 'c' || lpad(i::text, 5, '0'), 'Client ' || i, 'owner' from range(1, $n + 1) t(i)",
            {"n": clients},
        )
        con.execute(SYNTHETIC_CHECK_INS, {"as_of": AS_OF, "seed": seed, "clients": clients, "days": days})
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
    by_client = daily.groupby("client_id", sort=False)["load"]
    daily["day_index"] = daily.groupby("client_id", sort=False).cumcount()
    daily["acute_load"] = by_client.transform(lambda s: s.rolling(7, min_periods=1).mean())
    daily["chronic_load"] = by_client.transform(lambda s: s.rolling(28, min_periods=1).mean())
    daily["weekly_load"] = by_client.transform(lambda s: s.rolling(7, min_periods=1).sum())
    weekly_sd = by_client.transform(lambda s: s.rolling(7, min_periods=1).std(ddof=0))
    daily["ewma_acute"] = by_client.transform(lambda s: s.ewm(alpha=0.25, adjust=False).mean())
    daily["ewma_chronic"] = by_client.transform(lambda s: s.ewm(alpha=2 / 29, adjust=False).mean())
    full = daily["day_index"] >= 27
    daily["acwr"] = (daily["acute_load"] / daily["chronic_load"].replace(0, float("nan"))).where(full)
    daily["acwr_ewma"] = (daily["ewma_acute"] / daily["ewma_chronic"].replace(0, float("nan"))).where(full)
    daily["monotony"] = (daily["acute_load"] / weekly_sd.replace(0, float("nan"))).where(daily["day_index"] >= 6)
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

    roster_s = median_time(lambda: metrics.roster(con), args.repeat)
    minimal_s = median_time(lambda: con.execute(MINIMAL_56_DAY_QUERY, {"as_of": AS_OF}).df(), args.repeat)
    sql_s = median_time(lambda: con.execute("select * from load_metrics").to_arrow_table(), max(1, args.repeat // 2))
    pandas_s = median_time(lambda: pandas_load_metrics(con), 1)

    print(f"(a) roster view                  {roster_s * 1000:8.0f} ms   target <= 300 ms")
    print(f"    minimal 56-day window query  {minimal_s * 1000:8.0f} ms   roster / minimal = {roster_s / minimal_s:.2f} (target <= 1.5)")
    print(f"(b) load_metrics, all history    {sql_s * 1000:8.0f} ms")
    print(f"(c) pandas rolling / ewm         {pandas_s * 1000:8.0f} ms   pandas / SQL = {pandas_s / sql_s:.1f} (target >= 20)")


if __name__ == "__main__":
    main()
