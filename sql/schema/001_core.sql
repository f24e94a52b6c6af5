-- legday core schema. Ranges follow docs/design.md "The check-in record".
-- Foreign keys are declared only where rows are few (trainers, clients); check_ins
-- and quarantine are checked by the ingest pipeline so bulk loads stay fast.

create table trainers (
    trainer_id text primary key,
    name text not null,
    password_hash text not null,
    is_owner boolean not null default false,
    active boolean not null default true,
    created_at timestamp not null default current_timestamp
);

create table clients (
    client_id text primary key check (length(trim(client_id)) between 1 and 64),
    name text not null check (length(name) between 1 and 200),
    trainer_id text not null references trainers (trainer_id),
    since date,
    active boolean not null default true,
    created_at timestamp not null default current_timestamp
);

create table client_tokens (
    token_hash text primary key,
    client_id text not null,
    created_by text,
    created_at timestamp not null default current_timestamp,
    expires_at timestamp not null,
    revoked_at timestamp,
    last_used_at timestamp
);

create sequence ingest_run_seq start 1;

create table ingest_runs (
    run_id bigint primary key default nextval('ingest_run_seq'),
    file_sha256 text not null,
    file_name text,
    source text not null check (source in ('csv', 'jsonl', 'form', 'web', 'retry', 'demo')),
    mapping text,
    encoding text,
    imported_by text,
    started_at timestamp not null default current_timestamp,
    finished_at timestamp,
    rows_total integer not null default 0,
    accepted integer not null default 0,
    updated integer not null default 0,
    unchanged integer not null default 0,
    quarantined integer not null default 0,
    warnings text[]
);

create table check_ins (
    client_id text not null,
    checkin_date date not null,
    soreness_quads integer not null check (soreness_quads between 0 and 10),
    soreness_hamstrings integer not null check (soreness_hamstrings between 0 and 10),
    soreness_glutes integer not null check (soreness_glutes between 0 and 10),
    soreness_calves integer not null check (soreness_calves between 0 and 10),
    sleep_hours double not null check (sleep_hours between 0 and 24),
    sleep_quality integer not null check (sleep_quality between 1 and 5),
    energy integer not null check (energy between 1 and 5),
    stress integer not null check (stress between 1 and 5),
    mood integer not null check (mood between 1 and 5),
    water_liters double check (water_liters between 0 and 15),
    ate_recovery_meal boolean,
    session_type text not null default 'none' check (
        session_type in ('none', 'legs', 'upper', 'full_body', 'cardio', 'active_recovery', 'mobility')
    ),
    session_minutes integer not null default 0 check (session_minutes between 0 and 600),
    session_rpe integer check (session_rpe between 0 and 10),
    pain boolean not null default false,
    notes text check (length(notes) <= 2000),
    run_id bigint,
    recorded_at timestamp not null default current_timestamp,
    check (session_type <> 'none' or (session_minutes = 0 and coalesce(session_rpe, 0) = 0)),
    primary key (client_id, checkin_date)
);

create table check_in_history (
    client_id text not null,
    checkin_date date not null,
    soreness_quads integer,
    soreness_hamstrings integer,
    soreness_glutes integer,
    soreness_calves integer,
    sleep_hours double,
    sleep_quality integer,
    energy integer,
    stress integer,
    mood integer,
    water_liters double,
    ate_recovery_meal boolean,
    session_type text,
    session_minutes integer,
    session_rpe integer,
    pain boolean,
    notes text,
    run_id bigint,
    recorded_at timestamp,
    replaced_at timestamp not null default current_timestamp,
    replaced_by_run bigint
);

create sequence quarantine_seq start 1;

create table quarantine (
    quarantine_id bigint primary key default nextval('quarantine_seq'),
    run_id bigint not null,
    file_sha256 text not null,
    line_number integer not null,
    client_id text,
    raw_row json not null,
    field text,
    rule text not null,
    reason text not null,
    created_at timestamp not null default current_timestamp,
    resolved_at timestamp,
    resolved_by_run bigint
);

create table thresholds (
    name text primary key,
    value double not null,
    default_value double not null,
    description text not null
);

insert into thresholds (name, value, default_value, description) values
    ('acwr_spike', 1.5, 1.5, 'LOAD_SPIKE (high) when acwr_ewma is at or above this'),
    ('acwr_rising', 1.3, 1.3, 'LOAD_RISING (warn) when acwr_ewma is above this and below acwr_spike'),
    ('monotony_high', 2.0, 2.0, 'HIGH_MONOTONY (warn) when the 7-day monotony is above this'),
    ('wellness_z_warn', -1, -1, 'WELLNESS_DROP (warn) when wellness_z is at or below this'),
    ('wellness_z_high', -2, -2, 'WELLNESS_DROP (high) when wellness_z is at or below this'),
    ('persistent_soreness', 6, 6, 'PERSISTENT_SORENESS when max_soreness is at or above this ...'),
    ('persistent_days_after_legs', 3, 3, '... and days_since_legs is at or above this (past the 24-72 h DOMS peak)'),
    ('legs_too_soon_days', 2, 2, 'LEGS_TOO_SOON when another legs/full_body session was within this many days before'),
    ('short_sleep_hours', 6, 6, 'SHORT_SLEEP when sleep_hours is below this that day and the day before'),
    ('min_water_liters', 1.5, 1.5, 'UNDER_FUELED when water_liters is below this on a legs/full_body day'),
    ('missed_checkin_days', 3, 3, 'MISSED_CHECKINS when the last check-in is this many days old or more'),
    ('rest_soreness', 7, 7, 'status rest when max_soreness is at or above this'),
    ('caution_soreness', 4, 4, 'status caution when max_soreness is at or above this'),
    ('caution_days_since_legs', 2, 2, 'status caution when days_since_legs is below this');

create sequence override_seq start 1;

create table status_overrides (
    override_id bigint primary key default nextval('override_seq'),
    client_id text not null,
    status text not null check (status in ('ready', 'caution', 'rest')),
    reason text not null check (length(trim(reason)) between 1 and 500),
    created_by text not null,
    created_at timestamp not null default current_timestamp,
    cleared_at timestamp
);

create table plan_actions (
    action_id text primary key,
    title text not null,
    detail text not null,
    timing text not null,
    statuses text[] not null,
    sort_order integer not null
);

insert into plan_actions values
    ('refuel', 'Refuel: protein + carbs', 'A meal or shake with protein and carbohydrates', 'within 1-2 h after training', ['ready', 'caution', 'rest'], 10),
    ('hydrate', 'Water through the day', 'Sip water steadily; pale urine is the goal', 'all day', ['ready', 'caution', 'rest'], 20),
    ('sleep', 'Sleep 7-9 h', 'Regular bedtime, dark cool room, no screens the last 30 min', 'tonight', ['ready', 'caution', 'rest'], 30),
    ('walk', 'Gentle walk', '20-30 min at an easy, conversational pace', 'today', ['caution', 'rest'], 40),
    ('stretch', 'Static stretching', 'Quads, hamstrings, glutes and calves, 30 s each side, twice', 'evening', ['ready', 'caution', 'rest'], 50),
    ('cold_heat', 'Cold or heat', 'Cold pack for sharp soreness, warmth for tightness, 10-15 min', 'as needed', ['caution', 'rest'], 60),
    ('low_impact_cardio', 'Low-impact cardio', 'Bike or swim 20-30 min at easy effort', 'day 1-2 after legs', ['ready', 'caution'], 70),
    ('foam_mobility', 'Foam rolling + mobility', 'Foam roll legs; hip, knee and ankle mobility drills, 10 min', 'daily', ['ready', 'caution', 'rest'], 80),
    ('yoga', 'Gentle yoga', '10 minutes of gentle yoga', 'evening', ['caution', 'rest'], 90),
    ('no_hiit', 'No high-intensity work', 'Skip intervals, jumps and heavy lifts', 'next 24-48 h', ['caution', 'rest'], 100),
    ('no_legs', 'No legs until soreness < 4', 'Train upper body or rest until leg soreness is below 4/10', 'until soreness < 4', ['caution', 'rest'], 110);

create sequence plan_seq start 1;

create table plans (
    plan_id bigint primary key default nextval('plan_seq'),
    client_id text not null,
    revision integer not null,
    status_at_save text,
    next_intensity text not null check (next_intensity in ('rest', 'active recovery', 'light', 'normal')),
    next_focus text check (length(next_focus) <= 300),
    notes text check (length(notes) <= 4000),
    created_by text not null,
    created_at timestamp not null default current_timestamp,
    restored_from integer,
    unique (client_id, revision)
);

create table plan_items (
    plan_id bigint not null,
    position integer not null,
    action_id text,
    title text not null check (length(title) between 1 and 300),
    timing text check (length(timing) <= 100),
    done boolean not null default false,
    primary key (plan_id, position)
);

create table audit_log (
    logged_at timestamp not null default current_timestamp,
    actor text,
    action text not null,
    subject text
);

create table login_attempts (
    trainer_id text not null,
    logged_at timestamp not null default current_timestamp,
    ok boolean not null
);

-- Per-client daily load with its EWMAs, from the first to the last check-in day.
-- Derived from check_ins; rebuilt for the touched clients inside every write
-- transaction (pipelines/load_state.py), because the EWMA depends on all history.
create table client_day_load (
    client_id text not null,
    day date not null,
    load double not null,
    ewma_acute double not null,
    ewma_chronic double not null
);
