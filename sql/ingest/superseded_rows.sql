-- Valid rows of checked_rows that a later submission replaces: the same key on a later
-- valid line (a corrected submission), or a stored check-in submitted later (a retried
-- row never overwrites a newer answer). These go to quarantine naming the later one.
-- A stored check-in with no run (stored before ingest runs were kept, or by a tool
-- outside legday) has no known submission order: it is not later, so the file's row
-- replaces it and it goes to the history. (DuckDB orders a NULL inside a row value
-- after every value, so the comparison must not see one.)
-- $source_run is the run the rows were first read in (a retry's original run).
with valid as (
    select line_number, client_id, checkin_date
    from checked_rows
    where len(problems) = 0
),

repeated_keys as (
    select client_id, checkin_date, max(line_number) as last_line
    from valid
    group by client_id, checkin_date
    having count(*) > 1
),

replaced_in_file as (
    select
        valid.line_number,
        ingest_problem(
            'checkin_date', 'duplicate_key',
            'client ' || valid.client_id || ' on ' || valid.checkin_date
            || ' appears again on line ' || repeated_keys.last_line || ', which replaced this row'
        ) as problem
    from valid
    inner join repeated_keys
        on repeated_keys.client_id = valid.client_id
        and repeated_keys.checkin_date = valid.checkin_date
    where valid.line_number < repeated_keys.last_line
),

stored as (
    select
        client_id,
        checkin_date,
        coalesce(source_run, run_id) as submitted_run,
        coalesce(source_line, 0) as submitted_line
    from check_ins
),

replaced_in_store as (
    select
        valid.line_number,
        ingest_problem(
            'checkin_date', 'duplicate_key',
            'client ' || valid.client_id || ' on ' || valid.checkin_date
            || ' was submitted again later (run ' || stored.submitted_run
            || ' line ' || stored.submitted_line || '), which is kept'
        ) as problem
    from valid
    inner join stored
        on stored.client_id = valid.client_id
        and stored.checkin_date = valid.checkin_date
    where stored.submitted_run is not null
        and (stored.submitted_run, stored.submitted_line) > ($source_run::bigint, valid.line_number)
),

final as (
    select * from replaced_in_file
    union all
    select * from replaced_in_store
    where line_number not in (select line_number from replaced_in_file)
)

select * from final
