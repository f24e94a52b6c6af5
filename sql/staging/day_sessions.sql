-- day_sessions: the one session that counts for a client's day, so a session is never
-- counted twice (docs/sessions.md). A check-in that reports a session (session_type
-- other than none) is the day's session. Otherwise the day's done planned sessions
-- are: their actual loads add up (RPE x minutes each, Foster 2001), their minutes add
-- up, session_rpe is the minutes-weighted mean RPE rounded, and session_type is the
-- most leg-heavy one (the first in leg_heavy_order(), sql/macros/vocabulary.sql), so a
-- leg session is never hidden. Planned sessions not marked done never count.
-- checkin_sessions is read twice; not materialized, so a filter on client_id (the
-- load-state refresh of one client) reaches check_ins instead of every client's
-- sessions being collected first.
create or replace view day_sessions as
with checkin_sessions as not materialized (
    select
        client_id,
        checkin_date as day,
        session_type,
        session_minutes,
        session_rpe,
        coalesce(session_rpe * session_minutes, 0) as load,
        'check-in' as source,
        1 as sessions
    from check_ins
    where session_type <> 'none'
),

done_sessions as (
    select
        client_id,
        session_date as day,
        session_type,
        actual_minutes,
        actual_rpe,
        list_position(leg_heavy_order(), session_type) as leg_rank
    from sessions
    where done
),

planned_days as (
    select
        client_id,
        day,
        arg_min(session_type, leg_rank) as session_type,
        sum(actual_minutes) as session_minutes,
        sum(actual_rpe * actual_minutes) as load,
        max(actual_rpe) as highest_rpe,
        count(*) as sessions
    from done_sessions
    group by client_id, day
),

planned_counted as (
    select planned_days.*
    from planned_days
    anti join checkin_sessions
        on checkin_sessions.client_id = planned_days.client_id and checkin_sessions.day = planned_days.day
),

final as (
    select client_id, day, session_type, session_minutes, session_rpe, load, source, sessions
    from checkin_sessions
    union all
    select
        client_id,
        day,
        session_type,
        session_minutes,
        coalesce(round(load / nullif(session_minutes, 0)), highest_rpe)::integer as session_rpe,
        load,
        'planned' as source,
        sessions
    from planned_counted
)

select * from final;
