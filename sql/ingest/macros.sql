-- Parsing rules every ingest format shares (docs/ingestion.md "The canonical record and
-- leniency"); answers are read by the interpreter in answers.sql. Whitespace means space, tab,
-- CR and LF. Each parser tries a cheap exact form first: a value equal to its own
-- cast printed back is already in the canonical form the pattern accepts. CASE
-- evaluates later branches only for the rows that reach them, so the patterns run
-- only on unusual values, which keeps million-row files fast.
create or replace temp macro ingest_blank(value) as
    value is null or trim(value, e' \t\r\n') = '';

-- ascii() > 32: the first (or last) character is not whitespace, so nothing to trim.
create or replace temp macro ingest_text(value) as
    case
        when ascii(value) > 32 and ascii(value[-1]) > 32 then value
        else nullif(trim(value, e' \t\r\n'), '')
    end;

-- YYYY-MM-DD, or an ISO timestamp whose date part is taken as written.
create or replace temp macro ingest_day(value) as
    case
        when strlen(value) = 10 and try_cast(value as date)::varchar = value then try_cast(value as date)
        when regexp_full_match(
            value,
            '[ \t\r\n]*[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?[ \t\r\n]*'
        ) then try_cast(left(trim(value, e' \t\r\n'), 10) as date)
    end;

create or replace temp macro ingest_problem(field, rule, reason) as
    {'field': field, 'rule': rule, 'reason': reason};
