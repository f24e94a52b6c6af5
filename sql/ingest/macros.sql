-- Parsing rules every ingest format shares (docs/ingestion.md "The canonical record and leniency").
-- pipelines/checkin_form.py applies the same rules to single form submissions;
-- tests/test_ingest_agreement.py proves the two agree. Whitespace means space, tab,
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

-- Whole numbers accept 7 and 7.0 (a decimal comma too) but not 7.5.
create or replace temp macro ingest_whole(value) as
    case
        when strlen(value) = 1 and value between '0' and '9' then ascii(value) - 48
        when try_cast(value as integer)::varchar = value then try_cast(value as integer)
        when regexp_full_match(value, '[ \t\r\n]*[+-]?[0-9]+([.,]0+)?[ \t\r\n]*')
            then coalesce(try_cast(value as double), try_cast(replace(value, ',', '.') as double))
    end;

-- The exact form excludes inf, nan and exponents, which print back as themselves.
create or replace temp macro ingest_number(value) as
    case
        when isfinite(try_cast(value as double)) and not contains(value, 'e')
            and try_cast(value as double)::varchar = value then try_cast(value as double)
        when regexp_full_match(value, '[ \t\r\n]*[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)[ \t\r\n]*')
            then coalesce(try_cast(value as double), try_cast(replace(value, ',', '.') as double))
    end;

create or replace temp macro ingest_boolean(value) as
    case
        when value in ('true', 'yes', 'y', '1') then true
        when value in ('false', 'no', 'n', '0') then false
        when regexp_full_match(value, '(?i)[ \t\r\n]*(true|yes|y|1)[ \t\r\n]*') then true
        when regexp_full_match(value, '(?i)[ \t\r\n]*(false|no|n|0)[ \t\r\n]*') then false
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

create or replace temp macro ingest_choice(value) as
    case
        when list_contains(checkin_session_types(), value) then value
        when ingest_blank(value) then 'none'
        else regexp_replace(lower(trim(value, e' \t\r\n')), '[ -]+', '_', 'g')
    end;

create or replace temp macro ingest_problem(field, rule, reason) as
    {'field': field, 'rule': rule, 'reason': reason};

-- The problem (or NULL) of a numeric field: empty when required, unparsable, out of range.
create or replace temp macro ingest_range_problem(field, value, parsed, low, high, required, kind) as
    case
        when parsed between low and high then null
        when parsed is not null then ingest_problem(
            field, 'out_of_range',
            field || ' must be between ' || low || ' and ' || high || ', got ' || ingest_text(value)
        )
        when ingest_blank(value) then
            case when required then ingest_problem(field, 'required', field || ' is empty') end
        else ingest_problem(
            field, 'not_a_' || replace(kind, ' ', '_'),
            field || ' ''' || ingest_text(value) || ''' is not a ' || kind
        )
    end;

-- A yes/no field's problem (or NULL).
create or replace temp macro ingest_boolean_problem(field, value, parsed) as
    case
        when parsed is null and not ingest_blank(value) then ingest_problem(
            field, 'not_a_boolean', field || ' ''' || ingest_text(value) || ''' is not yes/no'
        )
    end;
