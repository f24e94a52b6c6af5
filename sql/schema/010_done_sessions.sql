-- Issue 11: done training sessions as records of their own (docs/done-sessions.md).
-- Any number per client and day; a day's load is the sum of its counted sessions
-- (sql/staging/day_sessions.sql says which count). load is rpe x minutes (Foster 2001)
-- or, for load-only records, the load given in AU. rpe_estimated: the RPE is the
-- default of the session type (the record had none), not the client's.
-- source: 'check-in' (the session a check-in reports, kept in step with check_ins by
-- pipelines/load_state.py), 'planned' (a planned session marked done, planned_session_id),
-- 'import' (a file, run_id/line_number, external_id when the source has one),
-- 'manual' (added on the dashboard or the CLI).
-- A removed session keeps its row with removed_at set, so a check-in's session that a
-- trainer removed is not brought back; a corrected one has corrected_at set, so it is
-- not overwritten from the check-in until the client stores that check-in again; every
-- correction and removal leaves the earlier version with its reason in
-- done_session_history.
create sequence done_session_seq start 1;

create table done_sessions (
    done_session_id bigint primary key default nextval('done_session_seq'),
    client_id text not null,
    session_date date not null,
    start_time time,
    session_type text not null check (
        session_type in ('legs', 'upper', 'full_body', 'cardio', 'active_recovery', 'mobility', 'other')
    ),
    original_type text check (length(original_type) <= 200),
    minutes integer check (minutes between 0 and 1440),
    rpe integer check (rpe between 0 and 10),
    rpe_estimated boolean not null default false,
    load double check (load >= 0),
    source text not null check (source in ('check-in', 'planned', 'import', 'manual')),
    external_id text check (length(external_id) <= 200),
    planned_session_id bigint,
    checkin_recorded_at timestamp,
    run_id bigint,
    line_number integer,
    notes text check (length(notes) <= 2000),
    created_by text,
    created_at timestamp not null default current_timestamp,
    corrected_at timestamp,
    removed_at timestamp,
    check (not rpe_estimated or rpe is not null)
);

create table done_session_history (
    done_session_id bigint not null,
    client_id text not null,
    session_date date,
    start_time time,
    session_type text,
    original_type text,
    minutes integer,
    rpe integer,
    rpe_estimated boolean,
    load double,
    source text,
    external_id text,
    notes text,
    change text not null,
    reason text,
    changed_by text,
    changed_at timestamp not null default current_timestamp
);

insert into done_sessions (
    client_id, session_date, session_type, minutes, rpe, load, source, checkin_recorded_at, run_id, created_by,
    created_at
)
select
    client_id, checkin_date, session_type, session_minutes, session_rpe, session_rpe * session_minutes, 'check-in',
    recorded_at, run_id, 'check-in', recorded_at
from check_ins
where session_type is not null and session_type <> 'none'
order by client_id, checkin_date;

insert into done_sessions (
    client_id, session_date, start_time, session_type, minutes, rpe, load, source, planned_session_id, notes,
    created_by, created_at
)
select
    client_id, session_date, start_time, session_type, actual_minutes, actual_rpe, actual_rpe * actual_minutes,
    'planned', session_id, notes, created_by, done_at
from sessions
where done
order by client_id, session_date, session_id;

-- client_day_load / client_recent_load: how many sessions count that day, and whether
-- the load leans on an estimated RPE (derived data, rebuilt by pipelines/load_state.py).
alter table client_day_load add column sessions integer;
alter table client_day_load add column load_estimated boolean;
alter table client_recent_load add column sessions integer;
alter table client_recent_load add column load_estimated boolean;
