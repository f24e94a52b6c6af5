-- Failed check-in link look-ups, for the guessing limit in pipelines/tokens.py.
-- Only failures are kept, and only for the limit's window: rows older than it are
-- deleted as new ones arrive. `source` is the browser's address as the dashboard
-- sees it ('unknown' when it cannot tell); it is never shown to anyone.
create table token_attempts (
    source text not null,
    attempted_at timestamp not null
);
