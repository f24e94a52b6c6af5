-- day_sessions: a client's day of training, one row per client and day with at least
-- one counted session (counted_sessions: a session logged twice counts once). The
-- day's load is the sum of its sessions' loads (RPE x minutes, Foster 2001, or the load
-- given in AU), its minutes the sum of the minutes known; session_rpe is the
-- minutes-weighted mean RPE of the sessions with both (rounded; the RPE itself when the
-- minutes are 0); session_type is the most leg-heavy type of the day (the first in
-- leg_heavy_order(), sql/macros/vocabulary.sql), so a leg session is never hidden;
-- source is the sessions' source, or 'mixed'; load_estimated says a default RPE
-- (docs/done-sessions.md) went into the load.
create or replace view day_sessions as
with counted as not materialized (
    select * from counted_sessions
    where counted
),

days as (
    select
        client_id,
        session_date as day,
        arg_min(session_type, list_position(leg_heavy_order(), session_type)) as session_type,
        sum(minutes) as session_minutes,
        coalesce(
            round(
                sum(rpe * minutes) / nullif(sum(minutes) filter (where rpe is not null), 0)
            ),
            max(rpe)
        )::integer as session_rpe,
        sum(coalesce(load, 0)) as load,
        if(count(distinct source) = 1, any_value(source), 'mixed') as source,
        count(*) as sessions,
        bool_or(rpe_estimated) as load_estimated
    from counted
    group by client_id, session_date
),

final as (
    select * from days
)

select * from final;
