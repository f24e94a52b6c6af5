-- wellness: the daily wellness score per client per calendar day (McLean 2010 shape,
-- 5-25, higher is better) and how far it is from the client's own 28-day baseline.
-- wellness = sleep_quality + energy + stress + mood + soreness_item (the macros in
-- sql/macros/wellness_score.sql; stored per day in client_day_load at ingest).
-- wellness_z = (wellness - baseline_mean) / baseline_sd over the check-ins of days
-- t-28..t-1 (population SD); NULL with fewer than 7 such check-ins or an SD of 0.
-- Every value is NULL on a day without a check-in. Chain step after load_metrics; the
-- day's check-in fields, the baseline and the previous day's sleep_hours (SHORT_SLEEP)
-- are stored per day in client_day_load.
create or replace macro wellness_rows(latest_only) as table
with days as (
    select * from load_metrics_rows(latest_only)
),

final as (
    select
        *,
        greatest(soreness_quads, soreness_hamstrings, soreness_glutes, soreness_calves) as max_soreness,
        soreness_item(max_soreness) as soreness_item,
        if(baseline_checkins >= 7, (wellness - baseline_mean) / nullif(baseline_sd, 0), null) as wellness_z
    from days
)

select * from final;

create or replace view wellness as
select
    client_id,
    day,
    sleep_quality,
    energy,
    stress,
    mood,
    soreness_item,
    wellness,
    baseline_mean,
    baseline_sd,
    baseline_checkins,
    wellness_z
from wellness_rows(false);
