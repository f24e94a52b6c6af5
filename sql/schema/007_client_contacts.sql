-- How to reach a client outside legday: the email address reminders go to
-- (pipelines/reminders.py). Optional; set from the Reminders page. Part of the
-- client's data: exported and deleted with it (pipelines/privacy.py).
create table client_contacts (
    client_id text primary key,
    email text check (email is null or (length(email) <= 254 and email like '%_@_%')),
    updated_at timestamp not null
);
