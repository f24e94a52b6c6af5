-- risk_flags: one row per raised flag per client per day (docs/design.md "Flags"):
-- client_id, day, code, severity (high|warn|info), reason (one line: plain words first,
-- the numbers after, docs/glossary.md explains them).
-- Reasons are true on the day they are read: a day is named relative to the words day
-- (the variable legday_words_day, else the as-of date): "today", "yesterday", "tomorrow"
-- or dated, "on Mon 28 Nov, 3 days ago"; a reason about a state (load, sleep) of another
-- day ends with that day in brackets (day_words, sql/macros/day_words.sql). Thresholds
-- are read by name from the thresholds table (threshold, sql/macros/threshold.sql). A
-- NULL never raises a flag. MISSED_CHECKINS is raised by the roster only.
-- risk_flags_rows keeps the chain's columns and adds `words_day` and `flags`, the day's
-- list of {code, severity, reason}, most severe first; the view unnests it.
create or replace macro risk_flags_rows(latest_only) as table
with days as (
    select
        *,
        coalesce(getvariable('legday_words_day'), as_of_day) as words_day
    from soreness_rows(latest_only)
),

final as (
    select
        *,
        list_filter([
            if(pain, {
                'code': 'PAIN_REPORTED', 'severity': 'high',
                'reason': 'Pain reported ' || day_words(day, words_day)
            }, null),
            if(acwr_ewma >= threshold('acwr_spike'), {
                'code': 'LOAD_SPIKE', 'severity': 'high',
                'reason': format('Training jumped: this week''s load is {:.1f}× their usual, ACWR {:.2f}', acwr_ewma, acwr_ewma) || day_suffix(day, words_day)
            }, null),
            if(wellness_z <= threshold('wellness_z_high'), {
                'code': 'WELLNESS_DROP', 'severity': 'high',
                'reason': format('Feeling much worse than usual {}: wellness {}/25 against their usual {:.1f}, {:.1f} SD below', day_words(day, words_day), wellness, baseline_mean, -wellness_z)
            }, null),
            if(max_soreness >= threshold('persistent_soreness') and days_since_legs >= threshold('persistent_days_after_legs'), {
                'code': 'PERSISTENT_SORENESS', 'severity': 'warn',
                'reason': format('Still sore {} days after leg day: {} {}/10 {}', days_since_legs, sorest_muscles, max_soreness, day_words(day, words_day))
            }, null),
            if(trained_legs and day - previous_legs_day <= threshold('legs_too_soon_days'), {
                'code': 'LEGS_TOO_SOON', 'severity': 'warn',
                'reason': format('Legs trained again {}, only {} day{} after the previous leg day ({})', day_words(day, words_day), day - previous_legs_day, if(day - previous_legs_day = 1, '', 's'), short_day(previous_legs_day))
            }, null),
            if(acwr_ewma > threshold('acwr_rising') and acwr_ewma < threshold('acwr_spike'), {
                'code': 'LOAD_RISING', 'severity': 'warn',
                'reason': format('Training rising: this week''s load is {:.1f}× their usual, ACWR {:.2f}', acwr_ewma, acwr_ewma) || day_suffix(day, words_day)
            }, null),
            if(wellness_z <= threshold('wellness_z_warn') and wellness_z > threshold('wellness_z_high'), {
                'code': 'WELLNESS_DROP', 'severity': 'warn',
                'reason': format('Feeling worse than usual {}: wellness {}/25 against their usual {:.1f}, {:.1f} SD below', day_words(day, words_day), wellness, baseline_mean, -wellness_z)
            }, null),
            if(monotony > threshold('monotony_high'), {
                'code': 'HIGH_MONOTONY', 'severity': 'warn',
                'reason': format('Same load day after day, no easy days: monotony {:.2f} over 7 days, strain {:.0f}', monotony, strain) || day_suffix(day, words_day)
            }, null),
            if(sleep_hours < threshold('short_sleep_hours') and previous_sleep_hours < threshold('short_sleep_hours'), {
                'code': 'SHORT_SLEEP', 'severity': 'warn',
                'reason': format('Short sleep two nights running: {:.1f} h and {:.1f} h, under {:g} h', previous_sleep_hours, sleep_hours, threshold('short_sleep_hours')) || day_suffix(day, words_day)
            }, null),
            if(trained_legs and (not ate_recovery_meal or water_liters < threshold('min_water_liters')), {
                'code': 'UNDER_FUELED', 'severity': 'info',
                'reason': 'Under-fueled after leg day: ' || concat_ws(
                    ' and ',
                    if(not ate_recovery_meal, 'no recovery meal', null),
                    if(water_liters < threshold('min_water_liters'), format('only {:.1f} l of water', water_liters), null)
                ) || day_suffix(day, words_day)
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
