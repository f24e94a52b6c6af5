-- The interpreter of human answers (docs/ingestion.md "How answers are read"): every
-- format, every mapping and the web form's model read answers through these macros
-- (pipelines/ingest/answers.py runs them for single values). Each reader returns the
-- value the answer means, or NULL when it is no answer or cannot be read with
-- confidence; answer_problem says which. Nothing is guessed.
-- Each reader tries the canonical form first (a plain number, true/false, a session
-- code), so the patterns run only for the rows that need them. A value used many
-- times is bound once as a lambda's parameter (list_transform([x], lambda t: ...)[1]),
-- which keeps the expanded macros small.

-- Lowercase, trimmed, curly apostrophes straightened, runs of whitespace one space.
create or replace temp macro answer_text(value) as
    regexp_replace(
        lower(trim(replace(value, chr(8217), ''''), ingest_whitespace())), '[\s' || ingest_whitespace() || ']+', ' ', 'g'
    );

-- The spellings of "no answer" (besides blank), in any field where they are not a value.
create or replace temp macro answer_is_empty(value) as
    ingest_blank(value) or answer_text(value) in (
        'n/a', 'na', 'n.a.', 'n.a', '-', '--', '—', '–', '?', '??', 'none', 'nil', 'null',
        'don''t know', 'dont know', 'do not know', 'not sure', 'unsure', 'idk', 'dunno', 'no idea',
        'not applicable', 'rest day', 'rest', 'didn''t train', 'didnt train', 'did not train',
        'no training', 'no session', 'skip', 'skipped'
    );

-- A plain quantity without its unit, from cleaned text: a number (decimal point or
-- comma; a comma before exactly three digits separates thousands), a fraction (½, ¼,
-- ¾, 1/2, 7 1/2), or a range (7-8, 7 to 8) read as its midpoint. Approximations
-- (about 7, ~2, 6ish) are read as the number. NULL when it is none of these.
-- One pattern with named groups: each regex costs planning time in every ingest.
create or replace temp macro answer_quantity(words) as
    list_transform(
        [regexp_extract(
            regexp_replace(words, '^(about|around|approx\.?|approximately|roughly|circa|ca\.|maybe|~|≈) ?|( ?-?ish|\?)$', '', 'g'),
            '^(?:([0-9]*[.,]?[0-9]+)(?: ?(?:-|–|—|to) ?([0-9]*[.,]?[0-9]+))?|([0-9]+)? ?(½|¼|¾|([0-9]+)/([1-9][0-9]*)))$',
            ['number', 'range_end', 'whole', 'fraction', 'numerator', 'denominator']
        )],
        lambda q: case
            when q.number <> '' and q.range_end <> '' then
                (replace(q.number, ',', '.')::double + replace(q.range_end, ',', '.')::double) / 2
            when regexp_full_match(q.number, '[0-9]{1,3},[0-9]{3}') then replace(q.number, ',', '')::double
            when q.number <> '' then replace(q.number, ',', '.')::double
            when q.fraction <> '' then coalesce(try_cast(q.whole as double), 0) + case q.fraction
                when '½' then 0.5
                when '¼' then 0.25
                when '¾' then 0.75
                else q.numerator::double / q.denominator::double
            end
        end
    )[1];

-- Minutes from a duration: 45, 45 min, 1h, 1 hour, 1.5h, 1h30, 1:30, 90 minutes,
-- 3/4 hour, half an hour. A bare number counts in minutes, or in hours when
-- bare_is_hours (sleep: 7, 7h30, 7:30, 7½, 7 1/2, 7,5).
-- A whole number written plainly (45: its double prints as 45.0) takes the integer branch.
create or replace temp macro answer_minutes(value, bare_is_hours) as
    case
        when ascii(value) between 48 and 57 and try_cast(value as integer)::varchar = value
            then try_cast(value as integer)::double * if(bare_is_hours, 60, 1)
        when isfinite(try_cast(value as double)) and try_cast(value as double)::varchar = value
            then try_cast(value as double) * if(bare_is_hours, 60, 1)
        else list_transform([regexp_extract(
            replace(replace(answer_text(value), 'half an hour', '1/2 h'), 'an hour', '1 h'),
            '^(?:([0-9]+) ?(?:h|hr|hrs|hours?) ?(?:and )?([0-9]{1,2}) ?(?:m|min|mins|minutes?)?'
            || '|([0-9]+):([0-5][0-9])|(.*[0-9½¼¾]) ?(h|hr|hrs|hours?|m|min|mins|minutes?)|(.*))$',
            ['hours', 'minutes', 'clock_hours', 'clock_minutes', 'amount', 'unit', 'bare']
        )], lambda d: case
            when d.hours <> '' then d.hours::double * 60 + d.minutes::double
            when d.clock_hours <> '' then d.clock_hours::double * 60 + d.clock_minutes::double
            else answer_quantity(d.amount || d.bare) * case
                when d.unit like 'h%' then 60
                when d.unit like 'm%' then 1
                else if(bare_is_hours, 60, 1)
            end
        end)[1]
    end;

-- Litres from a volume: 2, 2L, 1.5 litres, 2000ml, 500 ml; glasses or bottles only
-- when the mapping says how big one is (glass_liters, bottle_liters; NULL: not read).
create or replace temp macro answer_liters(value, glass_liters, bottle_liters) as
    case
        when isfinite(try_cast(value as double)) and try_cast(value as double)::varchar = value
            then try_cast(value as double)
        else list_transform([regexp_extract(
            regexp_replace(answer_text(value), ' of water$', ''),
            '^(?:(.*[0-9½¼¾]) ?(ml|millilitres?|milliliters?|l|lt|ltr|ltrs|litres?|liters?|glass|glasses|cups?|bottles?)|(.*))$',
            ['amount', 'unit', 'bare']
        )], lambda v: answer_quantity(v.amount || v.bare) * case
            when v.unit = '' or v.unit like 'l%' then 1
            when v.unit like 'm%' then 0.001
            when v.unit like 'b%' then bottle_liters
            else glass_liters
        end)[1]
    end;

-- A score on a scale: 7, 7/10, 7 out of 10, 3 - ok, about 7, 6-8 (midpoint). When
-- none_is_zero (soreness), none, no, not sore and nothing are 0.
create or replace temp macro answer_score(value, none_is_zero) as
    case
        when strlen(value) = 1 and value between '0' and '9' then ascii(value) - 48
        when try_cast(value as integer)::varchar = value then try_cast(value as integer)
        else list_transform([answer_text(value)], lambda t: case
            when none_is_zero and t in ('none', 'no', 'not sore', 'nothing', 'zero', 'nil', 'no soreness') then 0
            when regexp_full_match(t, '[0-9]+ ?(-|–|:|\() ?[a-z].*') then regexp_extract(t, '^([0-9]+)', 1)::double
            else answer_quantity(regexp_replace(t, ' ?(/ ?(5|10)|out of (5|10)|of (5|10))$', ''))
        end)[1]
    end;

-- Yes or no, with trailing words (yes - left knee, No, all good); NULL otherwise.
create or replace temp macro answer_yes_no(value) as
    case
        when value in ('true', 'yes') then true
        when value in ('false', 'no') then false
        when answer_is_empty(value) then null
        else list_transform([answer_text(value)], lambda t: case
            when regexp_matches(
                t, '^(yes|y|yeah|yep|yup|yea|ya|yah|sure|true|1|definitely|of course|absolutely)($|[ ,.;:!)(/–-])'
            ) then true
            when regexp_matches(t, '^(no|n|nope|nah|false|0|not really|never|negative)($|[ ,.;:!)(/–-])') then false
        end)[1]
    end;

-- Pain: anything but a clear no (or no answer at all) is pain.
create or replace temp macro answer_pain(value) as
    case
        when value = 'false' or value = 'no' or ingest_blank(value) then false
        when answer_yes_no(value) = false or answer_is_empty(value) then false
        when answer_text(value) in ('no pain', 'nothing', 'all good', 'fine', 'all fine', 'none at all') then false
        else true
    end;

-- Pain words worth a note: a pain answer that says more than a plain yes.
create or replace temp macro answer_pain_words(value) as
    case
        when answer_pain(value)
            and answer_text(value) not in ('yes', 'y', 'yeah', 'yep', 'yup', 'yea', 'true', '1')
            then 'Pain: ' || ingest_text(value)
    end;

-- A session type code, from a code or the usual words; blank and the rest-day
-- spellings are none; Google Forms' "Other: ..." is read like any other answer.
create or replace temp macro answer_session(value) as
    case
        when list_contains(checkin_session_types(), value) then value
        when answer_is_empty(value) then 'none'
        else list_transform(
            [regexp_replace(regexp_replace(answer_text(value), '^other: ?', ''), '[ -]+', '_', 'g')],
            lambda code: if(list_contains(checkin_session_types(), code), code, map {
                'nothing': 'none', 'no': 'none', 'off': 'none', 'day_off': 'none', 'nothing_(rest_day)': 'none',
                'leg': 'legs', 'leg_day': 'legs', 'lower_body': 'legs', 'upper_body': 'upper',
                'stretching': 'mobility'
            }[code])
        )[1]
    end;

-- The note on an answer that is not stored as given (NULL when it is fine or absent):
-- read but outside the field's range or between two whole values, or not read at all.
-- `parsed` is the reader's result; pass columns, not expressions (it is read often).
create or replace temp macro answer_problem(field, value, parsed, low, high, whole, kind) as
    case
        when parsed between low and high and (not whole or parsed = floor(parsed)) then null
        when parsed is not null and not (parsed between low and high) then ingest_problem(
            field, 'out_of_range',
            field || ' must be between ' || low || ' and ' || high || ', got ' || ingest_text(value)
        )
        when parsed is not null then ingest_problem(
            field, 'not_whole',
            field || ' ''' || ingest_text(value) || ''' reads as ' || parsed || ', not a whole number'
        )
        when answer_is_empty(value) then null
        else ingest_problem(
            field, 'unreadable', field || ' ''' || ingest_text(value) || ''' could not be read as ' || kind
        )
    end;

-- The problem with a check-in field's answer under its rule (checkin_rules()): a
-- required field's problem holds the row back, an optional field's is a note.
-- The rule's values are constants the planner folds; valid answers leave at the first branch.
create or replace temp macro checkin_problem(field, value, parsed) as
    case
        when parsed between checkin_rule(field).low and checkin_rule(field).high
            and (not checkin_rule(field).whole or parsed = floor(parsed)) then null
        when parsed is null and answer_is_empty(value) then if(
            checkin_rule(field).required,
            ingest_problem(
                field, 'required',
                field || if(ingest_blank(value), ' is empty', ' has no answer (''' || ingest_text(value) || ''')')
            ),
            null
        )
        else answer_problem(
            field, value, parsed, checkin_rule(field).low, checkin_rule(field).high, checkin_rule(field).whole,
            checkin_rule(field).what
        )
    end;
