-- Parsing rules every ingest format shares (docs/ingestion.md "The canonical record and
-- leniency"); answers are read by the interpreter in answers.sql. Whitespace is
-- ingest_whitespace() (sql/macros/checkin_rules.sql), the set header names are trimmed of
-- too. Each parser tries a cheap exact form first: a value equal to its own
-- cast printed back is already in the canonical form the pattern accepts. CASE
-- evaluates later branches only for the rows that reach them, so the patterns run
-- only on unusual values, which keeps million-row files fast.
create or replace temp macro ingest_blank(value) as
    value is null or trim(value, ingest_whitespace()) = '';

-- A first and last character between ! and U+009F are not whitespace (every character of
-- ingest_whitespace() is below ! or from U+00A0 on): nothing to trim. ascii() is cheap.
create or replace temp macro ingest_text(value) as
    case
        when ascii(value) between 33 and 159 and ascii(value[-1]) between 33 and 159 then value
        else nullif(trim(value, ingest_whitespace()), '')
    end;

-- YYYY-MM-DD, or an ISO timestamp whose date part is taken as written.
create or replace temp macro ingest_day(value) as
    case
        when strlen(value) = 10 and try_cast(value as date)::varchar = value then try_cast(value as date)
        when regexp_full_match(
            trim(value, ingest_whitespace()),
            '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?'
        ) then try_cast(left(trim(value, ingest_whitespace()), 10) as date)
    end;

create or replace temp macro ingest_problem(field, rule, reason) as
    {'field': field, 'rule': rule, 'reason': reason};

-- The order a numeric date shows by itself: day_first when only its first number can be a
-- day (23/11/2026), month_first when only its second can (11/23/2026), else NULL. A
-- mapping without `dates` reads a whole file in the one order its dates show this way.
create or replace temp macro ingest_date_evidence(value) as
    list_transform(
        [regexp_extract(ingest_text(value), '^([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})', ['first', 'second'])],
        lambda d: case
            when d.first = '' then null
            when d.first::integer > 12 and d.second::integer <= 12 then 'day_first'
            when d.second::integer > 12 and d.first::integer <= 12 then 'month_first'
        end
    )[1];

-- A numeric date (3/4/2026, 03.04.2026, 3-4-2026, a time may follow) with its day and
-- month put in order, as YYYY-MM-DD (and the time, when keep_time): `date_order`
-- (day_first, month_first) says which comes first; without it a date is read only when
-- the order cannot matter (13/4/2026, 4/4/2026) and is `ambiguous` otherwise (value NULL).
-- Any other value comes back as it is.
create or replace temp macro ingest_ordered_date(value, date_order, keep_time) as
    list_transform(
        [regexp_extract(
            ingest_text(value), '^([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})(.*)$',
            ['first', 'second', 'year', 'rest']
        )],
        lambda d: list_transform(
            [case
                when d.year = '' then null
                when date_order is not null then date_order
                when d.first::integer > 12 or d.first::integer = d.second::integer then 'day_first'
                when d.second::integer > 12 then 'month_first'
            end],
            lambda o: {
                'value': case
                    when d.year = '' then value
                    when o is null then null
                    else d.year || '-' || lpad(if(o = 'day_first', d.second, d.first), 2, '0') || '-'
                        || lpad(if(o = 'day_first', d.first, d.second), 2, '0') || if(keep_time, d.rest, '')
                end,
                'ambiguous': d.year <> '' and o is null
            }
        )[1]
    )[1];

-- The day a form submission is for (docs/ingestion.md "The day a check-in is for"): the
-- timestamp read with `formats`, converted from the zone its label names (Google Forms
-- writes GMT+1), or else the mapping's `source_zone`, to the practice's zone
-- (LEGDAY_TIMEZONE; none: as written), and moved back by the day boundary (a check-in
-- sent at 00:20 is about the day before). NULL when no format fits.
create or replace temp macro ingest_submission_day(value, formats, practice_zone, boundary_minutes, source_zone) as
    list_transform(
        [{
            'local': try_strptime(regexp_replace(ingest_text(value), '\s*(GMT|UTC).*$', ''), formats),
            'zone': regexp_extract(
                ingest_text(value), '(GMT|UTC)\s*(([+-])([0-9]{1,2})(:?([0-9]{2}))?)?\s*$',
                ['label', 'offset', 'sign', 'hours', 'colon', 'minutes']
            )
        }],
        lambda t: (
            case
                when practice_zone is null then t.local
                when t.zone.label = '' and source_zone is null then t.local
                when t.zone.label = '' then timezone(practice_zone, timezone(source_zone, t.local))
                else timezone(
                    practice_zone,
                    (t.local - to_minutes(
                        if(t.zone.sign = '-', -1, 1)
                        * (coalesce(try_cast(t.zone.hours as integer), 0) * 60
                            + coalesce(try_cast(t.zone.minutes as integer), 0))
                    )) at time zone 'UTC'
                )
            end - to_minutes(boundary_minutes)
        )::date
    )[1];

-- The rules of a row's client and check-in date, which only the database can check:
-- checked_rows.sql applies them to every file row, and a web submission, whose answers
-- the form has read already, to its one row (pipelines/checkin_form.py). client_known,
-- client_active and client_since come from the client looked up; allowed_clients is
-- the importing trainer's clients (NULL = any).
create or replace temp macro ingest_client_problem(client_id, allowed_clients, client_known, client_active) as
    case
        when client_id is null then ingest_problem('client_id', 'required', 'client_id is empty')
        when allowed_clients is not null and not list_contains(allowed_clients, client_id)
            then ingest_problem(
                'client_id', 'not_your_client', 'client_id ''' || client_id || ''' is not one of your clients'
            )
        when not client_known then ingest_problem(
            'client_id', 'unknown_client', 'client_id ''' || client_id || ''' is not a known client'
        )
        when not client_active then ingest_problem('client_id', 'inactive_client', 'client ' || client_id || ' is inactive')
    end;

create or replace temp macro ingest_checkin_date_problem(checkin_date, checkin_date_text, today, client_since) as
    case
        when checkin_date > today then ingest_problem(
            'checkin_date', 'future_date', 'checkin_date ' || checkin_date || ' is after today (' || today || ')'
        )
        when checkin_date < client_since then ingest_problem(
            'checkin_date', 'before_since',
            'checkin_date ' || checkin_date || ' is before the client''s start date ' || client_since
        )
        when checkin_date is not null then null
        when ingest_blank(checkin_date_text) then ingest_problem('checkin_date', 'required', 'checkin_date is empty')
        else ingest_problem(
            'checkin_date', 'invalid_date',
            'checkin_date ''' || ingest_text(checkin_date_text) || ''' is not a valid YYYY-MM-DD date'
        )
    end;

-- The problem a mapping found with a field's answer (mappings.py: not listed in a strict
-- `values`, outside a `scale`, an ambiguous date, another value than the file's own);
-- it comes before what the interpreter would say of the (then empty) answer.
create or replace temp macro ingest_mapping_problem(mapping_problems, field) as
    case
        when len(mapping_problems) > 0
            then list_filter(mapping_problems, lambda problem: problem.field = field)[1]
    end;
