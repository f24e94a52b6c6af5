-- session_schedule: every planned session with its client's name and trainer and the
-- client's current plan's next intensity (docs/sessions.md). Callers pick the days and
-- the trainer and show it in time order: day, start time (sessions without one last),
-- client name, session id (pipelines/sessions.py SCHEDULE_ORDER).
create or replace view session_schedule as
with final as (
    select
        sessions.session_id,
        sessions.session_date,
        sessions.start_time,
        sessions.client_id,
        clients.name,
        clients.trainer_id,
        sessions.session_type,
        sessions.planned_minutes,
        sessions.planned_rpe,
        sessions.notes,
        sessions.done,
        sessions.actual_minutes,
        sessions.actual_rpe,
        current_plans.next_intensity
    from sessions
    inner join clients on clients.client_id = sessions.client_id
    left join current_plans on current_plans.client_id = sessions.client_id
)

select * from final;
