-- wellness: the daily wellness score per client per calendar day (McLean 2010 shape,
-- 5-25, higher is better) and how far it is from the client's own 28-day baseline.
-- soreness_item = 5 - floor(max_soreness x 0.4 + 0.5) turns 0-10 soreness into 5-1;
-- wellness = sleep_quality + energy + stress + mood + soreness_item (wellness_score,
-- stored per day in client_day_load at ingest).
-- wellness_z = (wellness - baseline_mean) / baseline_sd over the check-ins of days
-- t-28..t-1 (population SD); NULL with fewer than 7 such check-ins or an SD of 0.
-- Every value is NULL on a day without a check-in. Chain step after load_metrics; the
-- day's check-in fields, the baseline and the previous day's sleep_hours (SHORT_SLEEP)
-- are stored per day in client_day_load.
create or replace macro soreness_item(max_soreness) as 5 - floor(max_soreness * 0.4 + 0.5)::integer;

create or replace macro wellness_score(sleep_quality, energy, stress, mood, max_soreness) as
    sleep_quality + energy + stress + mood + soreness_item(max_soreness);

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
