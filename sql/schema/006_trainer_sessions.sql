-- Dashboard logins that survive a reload (pipelines/trainer_sessions.py).
-- The browser keeps a 256-bit random session id in a cookie; only its SHA-256 is
-- stored here, so a copy of the database cannot be turned back into a login.
-- A session ends when it is revoked (log out, or the trainer is deactivated) or
-- after LEGDAY_SESSION_TIMEOUT_MINUTES without activity (last_active_at).
create table trainer_sessions (
    session_hash text primary key,
    trainer_id text not null,
    created_at timestamp not null,
    last_active_at timestamp not null,
    revoked_at timestamp
);
