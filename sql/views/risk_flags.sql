-- risk_flags: one row per raised flag per client per day (docs/design.md "Flags"):
-- client_id, day, code, severity (high|warn|info), reason (one line with its numbers).
-- Thresholds are read by name from the thresholds table. A NULL never raises a flag.
-- MISSED_CHECKINS is raised by the roster only. risk_flags_rows keeps the chain's
-- columns and adds `flags`, the day's list of {code, severity, reason}, most severe
-- first; the view unnests it.
create or replace macro threshold(threshold_name) as (
    select value from thresholds where name = threshold_name
);

create or replace macro risk_flags_rows(latest_only) as table
with days as (
    select * from soreness_rows(latest_only)
),

final as (
    select
        *,
        list_filter([
            if(pain, {
                'code': 'PAIN_REPORTED', 'severity': 'high',
                'reason': format('Pain reported on {}', strftime(day, '%Y-%m-%d'))
            }, null),
            if(acwr_ewma >= threshold('acwr_spike'), {
                'code': 'LOAD_SPIKE', 'severity': 'high',
                'reason': format('Load spike: ACWR {:.2f} (7-day vs 28-day weighted load)', acwr_ewma)
            }, null),
            if(wellness_z <= threshold('wellness_z_high'), {
                'code': 'WELLNESS_DROP', 'severity': 'high',
                'reason': format('Wellness {}/25, {:.1f} SD below their 28-day average ({:.1f})', wellness, -wellness_z, baseline_mean)
            }, null),
            if(max_soreness >= threshold('persistent_soreness') and days_since_legs >= threshold('persistent_days_after_legs'), {
                'code': 'PERSISTENT_SORENESS', 'severity': 'warn',
                'reason': format('Sore {}/10 in {} {} days after leg day', max_soreness, sorest_muscles, days_since_legs)
            }, null),
            if(trained_legs and day - previous_legs_day <= threshold('legs_too_soon_days'), {
                'code': 'LEGS_TOO_SOON', 'severity': 'warn',
                'reason': format('Legs trained again {} day{} after the last leg day ({})', day - previous_legs_day, if(day - previous_legs_day = 1, '', 's'), strftime(previous_legs_day, '%Y-%m-%d'))
            }, null),
            if(acwr_ewma > threshold('acwr_rising') and acwr_ewma < threshold('acwr_spike'), {
                'code': 'LOAD_RISING', 'severity': 'warn',
                'reason': format('Load rising: ACWR {:.2f} (7-day vs 28-day weighted load)', acwr_ewma)
            }, null),
            if(wellness_z <= threshold('wellness_z_warn') and wellness_z > threshold('wellness_z_high'), {
                'code': 'WELLNESS_DROP', 'severity': 'warn',
                'reason': format('Wellness {}/25, {:.1f} SD below their 28-day average ({:.1f})', wellness, -wellness_z, baseline_mean)
            }, null),
            if(monotony > threshold('monotony_high'), {
                'code': 'HIGH_MONOTONY', 'severity': 'warn',
                'reason': format('Same load day after day: monotony {:.2f} over 7 days (strain {:.0f})', monotony, strain)
            }, null),
            if(sleep_hours < threshold('short_sleep_hours') and previous_sleep_hours < threshold('short_sleep_hours'), {
                'code': 'SHORT_SLEEP', 'severity': 'warn',
                'reason': format('Slept under {:g} h two nights running ({:.1f} h, {:.1f} h)', threshold('short_sleep_hours'), previous_sleep_hours, sleep_hours)
            }, null),
            if(trained_legs and (not ate_recovery_meal or water_liters < threshold('min_water_liters')), {
                'code': 'UNDER_FUELED', 'severity': 'info',
                'reason': 'Under-fueled after leg day: ' || concat_ws(
                    ' and ',
                    if(not ate_recovery_meal, 'no recovery meal', null),
                    if(water_liters < threshold('min_water_liters'), format('only {:.1f} l of water', water_liters), null)
                )
            }, null)
        ], lambda flag: flag is not null) as flags
    from days
)

select * from final;

create or replace view risk_flags as
with unnested as (
    select client_id, day, unnest(flags) as flag
    from risk_flags_rows(false)
)

select client_id, day, flag.code, flag.severity, flag.reason
from unnested;
