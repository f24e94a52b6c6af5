-- load_metrics: training-load ratios per client per calendar day (see daily_load for
-- the calendar and the chain). Definitions: docs/design.md "Metrics". The rolling
-- loads are stored per day in client_day_load (sql/derived/client_day_load.sql); both
-- ratios are NULL until day_index 27 (28 days of calendar) and when the denominator is
-- 0; monotony (Foster 1998: mean / population SD of the 7 daily loads, rest days as 0)
-- is NULL until day_index 6 and when the SD is 0, and so is strain.
create or replace macro load_metrics_rows(latest_only) as table
with daily as (
    select * from daily_load_rows(latest_only)
),

final as (
    select
        *,
        if(day_index >= 27, acute_load / nullif(chronic_load, 0), null) as acwr,
        if(day_index >= 27, ewma_acute / nullif(ewma_chronic, 0), null) as acwr_ewma,
        if(day_index >= 6, acute_load / nullif(weekly_load_sd, 0), null) as monotony,
        weekly_load * monotony as strain
    from daily
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
