-- load_metrics: training-load ratios per client per calendar day (see daily_load for
-- the calendar and load_metrics_rows for the chain). Definitions: shared/DESIGN.md
-- "Metrics". Rolling means take the window's days that exist (a client's first days);
-- both ratios are NULL until day_index 27 (28 days of calendar) and when the
-- denominator is 0; monotony (Foster 1998: mean / population SD of the 7 daily loads,
-- rest days as 0) is NULL until day_index 6 and when the SD is 0, and so is strain.
-- This is the chain's one window pass, so every window shares one sort: it also
-- computes what the later steps read (wellness: the baseline over the check-ins of days
-- t-28..t-1 and the previous day's sleep_hours; soreness: the last leg day up to today
-- and before today). The load_metrics view does not select those, and DuckDB drops them.
create or replace macro load_metrics_rows(latest_only) as table
with daily as (
    select * from daily_load_rows(latest_only)
),

windowed as (
    select
        *,
        avg(load) over last_7_days as acute_load,
        avg(load) over last_28_days as chronic_load,
        sum(load) over last_7_days as weekly_load,
        stddev_pop(load) over last_7_days as weekly_load_sd,
        avg(wellness) over previous_28_days as baseline_mean,
        stddev_pop(wellness) over previous_28_days as baseline_sd,
        count(wellness) over previous_28_days as baseline_checkins,
        lag(sleep_hours) over previous_28_days as previous_sleep_hours,
        session_type in ('legs', 'full_body') as trained_legs,
        coalesce(max(if(trained_legs, day, null)) over through_today, legs_before_calendar) as last_legs_day,
        coalesce(max(if(trained_legs, day, null)) over before_today, legs_before_calendar) as previous_legs_day
    from daily
    window
        last_7_days as (partition by client_id order by day rows 6 preceding),
        last_28_days as (partition by client_id order by day rows 27 preceding),
        previous_28_days as (partition by client_id order by day rows between 28 preceding and 1 preceding),
        through_today as (partition by client_id order by day rows unbounded preceding),
        before_today as (partition by client_id order by day rows between unbounded preceding and 1 preceding)
),

final as (
    select
        * exclude (weekly_load_sd),
        if(day_index >= 27, acute_load / nullif(chronic_load, 0), null) as acwr,
        if(day_index >= 27, ewma_acute / nullif(ewma_chronic, 0), null) as acwr_ewma,
        if(day_index >= 6, acute_load / nullif(weekly_load_sd, 0), null) as monotony,
        weekly_load * monotony as strain
    from windowed
)

select * from final;

create or replace view load_metrics as
select
    client_id,
    day,
    load,
    acute_load,
    chronic_load,
    acwr,
    ewma_acute,
    ewma_chronic,
    acwr_ewma,
    weekly_load,
    monotony,
    strain
from load_metrics_rows(false);
