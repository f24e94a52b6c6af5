-- Valid rows of checked_rows whose key appears again on a later valid line: the later
-- line wins (a corrected submission), so these go to quarantine naming it.
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

final as (
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
)

select * from final
