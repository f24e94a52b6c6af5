-- load_metrics: training-load ratios per client per calendar day (see daily_load for
-- the calendar and load_metrics_rows for the chain). Definitions: shared/DESIGN.md
-- "Metrics". Rolling means take the window's days that exist (a client's first days);
-- both ratios are NULL until day_index 27 (28 days of calendar) and when the
-- denominator is 0; monotony (Foster 1998: mean / population SD of the 7 daily loads,
-- rest days as 0) is NULL until day_index 6 and when the SD is 0, and so is strain.
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
        stddev_pop(load) over last_7_days as weekly_load_sd
    from daily
    window
        last_7_days as (partition by client_id order by day rows 6 preceding),
        last_28_days as (partition by client_id order by day rows 27 preceding)
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
