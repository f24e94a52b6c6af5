-- counted_sessions: every done session not removed (done_sessions), with whether it
-- counts towards its day's load. The rule that keeps one session from counting twice
-- when it was logged in two places (docs/done-sessions.md "Counted once"):
-- 1. a session reported in the day's check-in always counts;
-- 2. a planned session marked done does not count when the client's check-in of that
--    day reports a session (any type: the client reported the session the trainer ran);
-- 3. an imported session does not count when a counted check-in, manual or planned
--    session of the same client, day and type exists (the same training, logged twice);
-- 4. a session added by hand (manual) always counts.
-- matched_by names the source that counts instead (NULL when the session counts).
-- live is read four times; not materialized, so a filter on client_id (the load-state
-- refresh of one client) reaches done_sessions instead of every client's rows.
create or replace view counted_sessions as
with live as not materialized (
    select * from done_sessions
    where removed_at is null
),

checkin_days as (
    select client_id, session_date, list(session_type) as session_types
    from live
    where source = 'check-in'
    group by client_id, session_date
),

planned_days as (
    select client_id, session_date, list(session_type) as session_types
    from live
    where source = 'planned'
    group by client_id, session_date
),

manual_days as (
    select client_id, session_date, list(session_type) as session_types
    from live
    where source = 'manual'
    group by client_id, session_date
),

matched as (
    select
        live.*,
        case
            when live.source = 'planned' and checkin_days.client_id is not null then 'check-in'
            when live.source = 'import' and list_contains(checkin_days.session_types, live.session_type) then 'check-in'
            when live.source = 'import' and list_contains(manual_days.session_types, live.session_type) then 'manual'
            when live.source = 'import' and checkin_days.client_id is null
                and list_contains(planned_days.session_types, live.session_type) then 'planned'
        end as matched_by
    from live
    left join checkin_days
        on checkin_days.client_id = live.client_id and checkin_days.session_date = live.session_date
    left join planned_days
        on planned_days.client_id = live.client_id and planned_days.session_date = live.session_date
    left join manual_days
        on manual_days.client_id = live.client_id and manual_days.session_date = live.session_date
),

final as (
    select *, matched_by is null as counted
    from matched
)

select * from final;
