-- roster: one row per active client as of the as-of date, sorted rest -> caution ->
-- stale -> ready -> no data, then by readiness (lowest first). The status is the worse
-- of the status on the as-of date and on the client's latest check-in day (so a client
-- who was very sore yesterday stays on rest until they check in again; a caution for
-- "leg day today" alone holds on its day only); status_source
-- says which day it came from (the latest check-in day on a tie, for its reasons),
-- 'override': the live override (live_overrides, sql/staging/) wins until the client's
-- next check-in, or 'stale': the latest
-- check-in is stale_checkin_days or more old, too old to act on; the status it gave is
-- kept in last_status and its reasons follow the stale one. status_note says in words
-- where a status not from today's data comes from. MISSED_CHECKINS (info) when the latest
-- check-in is missed_checkin_days or more old. Every reason is worded relative to the
-- as-of date (sql/macros/day_words.sql). Day-dependent columns: max_soreness and wellness_z come
-- from the latest check-in day; days_since_legs, doms_phase and acwr_ewma from the
-- as-of date; readiness is the check-in's wellness in the band of the status shown
-- (status_readiness), NULL when stale. Only each client's latest days are computed
-- (recovery_status_rows(true)).
-- A pain report is never hidden: an unresolved held-back check-in (quarantine) that
-- reports pain, dated on or after the client's latest stored check-in, puts the client
-- on rest with the reason 'Pain reported in a held-back check-in on DATE' (first, after
-- an override, which still wins; before staleness).
create or replace view roster as
with as_of as (
    select coalesce(getvariable('legday_as_of'), current_date) as as_of_day
),

active_clients as (
    select clients.client_id, clients.name, clients.trainer_id, trainers.name as trainer_name
    from clients
    inner join trainers on trainers.trainer_id = clients.trainer_id
    where clients.active
),

latest_days as (
    select status_days.*
    from recovery_status_rows(true) as status_days, as_of
    where status_days.day = as_of.as_of_day or status_days.day = status_days.latest_checkin
),

status_ranks as (
    select unnest(roster_order()) as status, generate_subscripts(roster_order(), 1) as status_rank
),

today as (
    select latest_days.*, status_ranks.status_rank
    from latest_days, as_of, status_ranks
    where latest_days.day = as_of.as_of_day and status_ranks.status = latest_days.status
),

-- a check-in day's status holds until the next check-in, except "leg day today", which
-- is about that day only
checkin_day as (
    select
        latest_days.*,
        status_ranks.status_rank,
        not (latest_days.rule = 'LEG_DAY' and latest_days.day < as_of.as_of_day) as holds
    from latest_days, status_ranks, as_of
    where latest_days.day = latest_days.latest_checkin and status_ranks.status = latest_days.status
),

computed as (
    select
        checkin_day.client_id,
        checkin_day.day as last_checkin,
        if(today.status_rank < checkin_day.status_rank or not checkin_day.holds, today, checkin_day) as used,
        if(
            today.status_rank < checkin_day.status_rank or not checkin_day.holds or today.day = checkin_day.day,
            'today', 'last check-in'
        ) as status_source,
        checkin_day.max_soreness,
        checkin_day.wellness_z,
        checkin_day.wellness,
        today.days_since_legs,
        today.doms_phase,
        today.acwr_ewma
    from checkin_day
    inner join today on today.client_id = checkin_day.client_id
),

overrides as (
    select
        client_id,
        {
            'status': status, 'reason': reason, 'created_by': created_by, 'created_at': created_at
        } as override
    from live_overrides
),

held_back_pain as (
    select quarantine.client_id, max(coalesce(quarantine.checkin_date, quarantine.created_at::date)) as day
    from quarantine, as_of
    where quarantine.resolved_at is null
        and quarantine.pain
        and coalesce(quarantine.checkin_date, quarantine.created_at::date) <= as_of.as_of_day
    group by quarantine.client_id
),

joined as (
    select
        active_clients.*,
        computed.*  exclude (client_id, status_source),
        overrides.override,
        if(
            held_back_pain.day >= computed.last_checkin or computed.last_checkin is null, held_back_pain.day, null
        ) as held_back_pain_day,
        computed.last_checkin is not null
            and as_of.as_of_day - computed.last_checkin >= threshold('missed_checkin_days') as missed_checkins,
        computed.last_checkin is not null
            and as_of.as_of_day - computed.last_checkin >= threshold('stale_checkin_days') as stale,
        as_of.as_of_day - computed.last_checkin as days_since_checkin,
        as_of.as_of_day,
        computed.status_source as computed_source
    from active_clients
    cross join as_of
    left join computed on computed.client_id = active_clients.client_id
    left join overrides on overrides.client_id = active_clients.client_id
    left join held_back_pain on held_back_pain.client_id = active_clients.client_id
),

final as (
    select
        client_id,
        name,
        trainer_id,
        trainer_name,
        last_checkin,
        days_since_checkin,
        case
            when override is not null then override.status
            when held_back_pain_day is not null then 'rest'
            when stale then 'stale'
            else coalesce(used.status, 'no data')
        end as status,
        case
            when override is not null then 'override'
            when stale and held_back_pain_day is null then 'stale'
            else computed_source
        end as status_source,
        case status_source
            when 'override' then format('Set by {} {}; holds until the next check-in', override.created_by, day_words(override.created_at::date, as_of_day))
            when 'stale' then format('Last check-in {}: too old to act on (it said {})', day_words(last_checkin, as_of_day), used.status)
            when 'last check-in' then if(last_checkin < as_of_day, format('From the check-in {}', day_words(last_checkin, as_of_day)), null)
        end as status_note,
        used.status as last_status,
        case
            when override is not null then 'OVERRIDE'
            when held_back_pain_day is not null then 'PAIN_REPORTED'
            when stale then 'STALE'
            when used.status is null then 'NO_CHECKINS'
            else used.rule
        end as rule,
        list_filter(
            list_concat(
                [if(override is not null, format('Override by {}: {}', override.created_by, override.reason), null)],
                [if(
                    held_back_pain_day is not null,
                    format('Pain reported in a held-back check-in on {}', strftime(held_back_pain_day, '%Y-%m-%d')),
                    null
                )],
                [if(missed_checkins and stale, format('No check-in for {} days (last on {})', days_since_checkin, short_day(last_checkin)), null)],
                coalesce(used.reasons, if(held_back_pain_day is null, ['No check-ins yet'], [])),
                [if(missed_checkins and not stale, format('No check-in for {} days (last on {})', days_since_checkin, short_day(last_checkin)), null)],
                list_transform(
                    list_filter(used.flags, lambda flag: flag.severity = 'info'),
                    lambda flag: flag.reason
                )
            ),
            lambda reason: reason is not null
        ) as reasons,
        list_filter(
            list_concat(
                list_transform(used.flags, lambda flag: flag.code),
                [if(missed_checkins, 'MISSED_CHECKINS', null)]
            ),
            lambda code: code is not null
        ) as top_flags,
        coalesce(missed_checkins, false) as missed_checkins,
        max_soreness,
        days_since_legs,
        doms_phase,
        acwr_ewma,
        wellness_z,
        status_readiness(status, wellness) as readiness,
        override.reason as override_reason,
        override.created_by as override_by
    from joined
)

select final.*
from final
inner join status_ranks on status_ranks.status = final.status
order by status_ranks.status_rank, final.readiness nulls last, final.name, final.client_id;
