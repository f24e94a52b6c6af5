-- wellness: the daily wellness score per client per calendar day (McLean 2010 shape,
-- 5-25, higher is better) and how far it is from the client's own 28-day baseline.
-- soreness_item = 5 - floor(max_soreness x 0.4 + 0.5) turns 0-10 soreness into 5-1.
-- wellness_z = (wellness - baseline_mean) / baseline_sd over the check-ins of days
-- t-28..t-1 (population SD); NULL with fewer than 7 such check-ins or an SD of 0.
-- Every value is NULL on a day without a check-in. Chain step after load_metrics: it
-- joins the day's check-in fields (has_checkin and the rest, NULL without one) onto
-- the calendar for the steps after it, and the previous day's sleep_hours for SHORT_SLEEP.
create or replace macro wellness_rows(latest_only) as table
with checked_in as (
    select
        daily.*,
        check_ins.client_id is not null as has_checkin,
        check_ins.* exclude (client_id, checkin_date, notes, run_id, recorded_at)
    from load_metrics_rows(latest_only) as daily
    left join check_ins on check_ins.client_id = daily.client_id and check_ins.checkin_date = daily.day
),

days as (
    select
        *,
        greatest(soreness_quads, soreness_hamstrings, soreness_glutes, soreness_calves) as max_soreness,
        5 - floor(max_soreness * 0.4 + 0.5)::integer as soreness_item,
        sleep_quality + energy + stress + mood + soreness_item as wellness
    from checked_in
),

baselines as (
    select
        *,
        avg(wellness) over previous_28_days as baseline_mean,
        stddev_pop(wellness) over previous_28_days as baseline_sd,
        count(wellness) over previous_28_days as baseline_checkins,
        lag(sleep_hours) over previous_28_days as previous_sleep_hours
    from days
    window previous_28_days as (
        partition by client_id order by day rows between 28 preceding and 1 preceding
    )
),

final as (
    select
        *,
        if(baseline_checkins >= 7, (wellness - baseline_mean) / nullif(baseline_sd, 0), null) as wellness_z
    from baselines
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
