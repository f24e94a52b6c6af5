-- recovery_status: per client per calendar day, the status a trainer acts on
-- (docs/design.md "Recovery status", with the changes of docs/metrics.md):
--   rest    PAIN_REPORTED or any high flag, or max_soreness >= rest_soreness;
--   caution otherwise any warn flag, max_soreness >= caution_soreness outside the
--           normal DOMS window (1..doms_window_days days after leg day), or
--           days_since_legs < caution_days_since_legs (default 1: leg day today);
--   ready   otherwise. Info flags never change the status.
-- rule: the code of the rule that decided (the first of the status's rules that holds:
-- a flag code, REST_SORENESS, SORENESS or LEG_DAY; NULL for ready); reasons: the
-- one-line reasons that produced it, the deciding one first, worded like the flags';
-- flags: every raised code, most severe first; wellness_pct = round((wellness - 5) / 20
-- x 100); readiness: wellness_pct placed in the status's band (status_readiness).
create or replace macro status_readiness(status, wellness) as (
    case status
        when 'rest' then round((wellness - 5) / 20 * 33)
        when 'caution' then 34 + round((wellness - 5) / 20 * 32)
        when 'ready' then 67 + round((wellness - 5) / 20 * 33)
    end
)::integer;

create or replace macro recovery_status_rows(latest_only) as table
with days as (
    select
        *,
        list_filter(flags, lambda flag: flag.severity = 'high') as high_flags,
        list_filter(flags, lambda flag: flag.severity = 'warn') as warn_flags,
        list_contains(list_transform(flags, lambda flag: flag.code), 'PERSISTENT_SORENESS') as soreness_flagged,
        upper(sorest_muscles[1]) || sorest_muscles[2:] as sorest_muscles_title
    from risk_flags_rows(latest_only)
),

rules as (
    select
        *,
        max_soreness >= threshold('rest_soreness') as rest_soreness,
        max_soreness >= threshold('caution_soreness')
            and not coalesce(days_since_legs between 1 and threshold('doms_window_days'), false) as caution_soreness,
        days_since_legs < threshold('caution_days_since_legs') as legs_recent,
        if(soreness_flagged, null, format('{} {}/10 sore {}', sorest_muscles_title, max_soreness, day_words(day, words_day))) as soreness_reason,
        'Leg day ' || day_words(last_legs_day, words_day) as legs_reason
    from days
),

decided as (
    select
        *,
        case
            when len(high_flags) > 0 or rest_soreness then 'rest'
            when len(warn_flags) > 0 or caution_soreness or legs_recent then 'caution'
            else 'ready'
        end as status,
        case
            when len(high_flags) > 0 then high_flags[1].code
            when rest_soreness then 'REST_SORENESS'
            when len(warn_flags) > 0 then warn_flags[1].code
            when caution_soreness then 'SORENESS'
            when legs_recent then 'LEG_DAY'
        end as rule
    from rules
),

final as (
    select
        *,
        list_filter(
            list_concat(
                list_transform(high_flags, lambda flag: flag.reason),
                [if(rest_soreness, soreness_reason, null)],
                list_transform(warn_flags, lambda flag: flag.reason),
                [if(caution_soreness and not rest_soreness, soreness_reason, null)],
                [if(legs_recent, legs_reason, null)]
            ),
            lambda reason: reason is not null
        ) as reasons,
        round((wellness - 5) / 20 * 100)::integer as wellness_pct,
        status_readiness(status, wellness) as readiness
    from decided
)

select * from final;

create or replace view recovery_status as
select
    client_id,
    day,
    status,
    rule,
    reasons,
    list_transform(flags, lambda flag: flag.code) as flags,
    readiness
from recovery_status_rows(false);
