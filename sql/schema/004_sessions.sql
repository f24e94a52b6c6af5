-- Planned training sessions (issue 6). A session counts as load only once done, with
-- its actual minutes and RPE; how it combines with check-ins is the day_sessions view.
create sequence session_seq start 1;

create table sessions (
    session_id bigint primary key default nextval('session_seq'),
    client_id text not null,
    session_date date not null,
    start_time time,
    session_type text not null check (
        session_type in ('legs', 'upper', 'full_body', 'cardio', 'active_recovery', 'mobility')
    ),
    planned_minutes integer not null check (planned_minutes between 0 and 600),
    planned_rpe integer not null check (planned_rpe between 0 and 10),
    notes text check (length(notes) <= 2000),
    created_by text not null,
    created_at timestamp not null default current_timestamp,
    done boolean not null default false,
    actual_minutes integer check (actual_minutes between 0 and 600),
    actual_rpe integer check (actual_rpe between 0 and 10),
    done_at timestamp,
    check (not done or (actual_minutes is not null and actual_rpe is not null and done_at is not null))
);
