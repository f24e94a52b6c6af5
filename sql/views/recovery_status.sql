-- recovery_status: per client per calendar day, the status a trainer acts on
-- (docs/design.md "Recovery status"):
--   rest    PAIN_REPORTED or any high flag, or max_soreness >= rest_soreness;
--   caution otherwise any warn flag, max_soreness >= caution_soreness or
--           days_since_legs < caution_days_since_legs;
--   ready   otherwise. Info flags never change the status.
-- reasons: the one-line reasons that produced it, most severe first (flag reasons, plus
-- soreness and a recent leg day when they count without a flag); flags: every raised
-- code, most severe first; readiness 0-100 = round((wellness - 5) / 20 x 100).
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
        max_soreness >= threshold('caution_soreness') as caution_soreness,
        days_since_legs < threshold('caution_days_since_legs') as legs_recent,
        if(soreness_flagged, null, format('{} {}/10 sore', sorest_muscles_title, max_soreness)) as soreness_reason,
        case days_since_legs
            when 0 then 'Leg day today'
            when 1 then 'Leg day yesterday'
            else format('Leg day {} days ago', days_since_legs)
        end as legs_reason
    from days
),

final as (
    select
        *,
        case
            when len(high_flags) > 0 or rest_soreness then 'rest'
            when len(warn_flags) > 0 or caution_soreness or legs_recent then 'caution'
            else 'ready'
        end as status,
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
        round((wellness - 5) / 20 * 100)::integer as readiness
    from rules
)

select * from final;

create or replace view recovery_status as
select
    client_id,
    day,
    status,
    reasons,
    list_transform(flags, lambda flag: flag.code) as flags,
    readiness
from recovery_status_rows(false);
