-- Rows of checked_rows (done sessions) that repeat an activity of an earlier line: the
-- same client and external id. The first is kept; each later one gets this problem, after
-- its others. Only the rows with an id take part, so the window sorts three columns, not
-- every checked row (pipelines/ingest/sessions.py check_sessions).
with identified as (
    select line_number, client_id, external_id
    from checked_rows
    where external_id is not null
),

numbered as (
    select
        *,
        min(line_number) over (partition by client_id, external_id) as first_line
    from identified
),

final as (
    select
        line_number,
        ingest_problem(
            'external_id', 'duplicate',
            'the same activity (' || external_id || ') as line ' || first_line || ', which is kept'
        ) as problem
    from numbered
    where first_line < line_number
)

select * from final
