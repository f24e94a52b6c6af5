-- The check-in record's rules, said once (docs/design.md "The check-in record"): per
-- field, in the record's order, what kind of answer it takes, its range (low..high; for
-- notes, the most characters), whether it must be a whole number, whether it is required,
-- and the words an error uses for it. The ingest validation (sql/ingest/checked_rows.sql)
-- reads it through checkin_rule(); pipelines/ingest/fields.py reads it for Python (the
-- web form's model and widgets); tests/test_checkin_rules.py keeps the CHECK constraints
-- of check_ins (sql/schema/001_core.sql) equal to it.
create or replace macro checkin_rules() as {
    'client_id': {'kind': 'text', 'low': null, 'high': null, 'whole': null, 'required': true, 'what': 'a client code'},
    'checkin_date': {'kind': 'date', 'low': null, 'high': null, 'whole': null, 'required': true, 'what': 'a YYYY-MM-DD date'},
    'soreness_quads': {'kind': 'score', 'low': 0, 'high': 10, 'whole': true, 'required': true, 'what': 'a soreness score'},
    'soreness_hamstrings': {'kind': 'score', 'low': 0, 'high': 10, 'whole': true, 'required': true, 'what': 'a soreness score'},
    'soreness_glutes': {'kind': 'score', 'low': 0, 'high': 10, 'whole': true, 'required': true, 'what': 'a soreness score'},
    'soreness_calves': {'kind': 'score', 'low': 0, 'high': 10, 'whole': true, 'required': true, 'what': 'a soreness score'},
    'sleep_hours': {'kind': 'hours', 'low': 0, 'high': 24, 'whole': false, 'required': true, 'what': 'hours'},
    'sleep_quality': {'kind': 'score', 'low': 1, 'high': 5, 'whole': true, 'required': true, 'what': 'a 1-5 score'},
    'energy': {'kind': 'score', 'low': 1, 'high': 5, 'whole': true, 'required': true, 'what': 'a 1-5 score'},
    'stress': {'kind': 'score', 'low': 1, 'high': 5, 'whole': true, 'required': true, 'what': 'a 1-5 score'},
    'mood': {'kind': 'score', 'low': 1, 'high': 5, 'whole': true, 'required': true, 'what': 'a 1-5 score'},
    'water_liters': {'kind': 'litres', 'low': 0, 'high': 15, 'whole': false, 'required': false, 'what': 'litres'},
    'ate_recovery_meal': {'kind': 'yes_no', 'low': null, 'high': null, 'whole': null, 'required': false, 'what': 'yes or no'},
    'session_type': {'kind': 'session', 'low': null, 'high': null, 'whole': null, 'required': false, 'what': 'a session type'},
    'session_minutes': {'kind': 'minutes', 'low': 0, 'high': 600, 'whole': true, 'required': false, 'what': 'minutes'},
    'session_rpe': {'kind': 'score', 'low': 0, 'high': 10, 'whole': true, 'required': false, 'what': 'a 0-10 score'},
    'pain': {'kind': 'pain', 'low': null, 'high': null, 'whole': null, 'required': false, 'what': 'pain'},
    'notes': {'kind': 'text', 'low': null, 'high': 2000, 'whole': null, 'required': false, 'what': 'notes'}
};

create or replace macro checkin_rule(field) as struct_extract(checkin_rules(), field);

-- The characters trimmed from every answer and header (and read as a space inside an
-- answer): space, tab, CR, LF and the no-break space spreadsheets and phones insert.
create or replace macro ingest_whitespace() as e' \t\r\n' || chr(160);
