-- Issue 10: check-ins stored as the client meant them.
-- An unreadable optional answer is stored empty (session type and minutes may now be
-- empty too) with a note in answer_notes naming the field, the row and the answer.
-- source_run/source_line say which submission a stored check-in came from (the run
-- and line it was first read from, kept through retries): a retried row replaces a
-- stored one only when it was submitted later.
-- ingest_runs.noted counts the rows stored with at least one such note.
-- A held-back row keeps its check-in day and whether it reported pain, so a pain
-- report is shown even while its check-in waits in quarantine.
alter table check_ins alter column session_type drop not null;
alter table check_ins alter column session_minutes drop not null;
alter table check_ins add column source_run bigint;
alter table check_ins add column source_line integer;
alter table check_in_history add column source_run bigint;
alter table check_in_history add column source_line integer;
alter table ingest_runs add column noted integer default 0;
alter table quarantine add column checkin_date date;
alter table quarantine add column pain boolean;

create sequence answer_note_seq start 1;

create table answer_notes (
    note_id bigint primary key default nextval('answer_note_seq'),
    run_id bigint not null,
    line_number integer not null,
    client_id text,
    checkin_date date,
    field text not null,
    rule text not null,
    reason text not null,
    created_at timestamp not null default current_timestamp
);
