"""The JSON examples of AWS's CloudWatch Logs documentation, with the outcomes the pages state.

Sources, by page title:
- "Using filter patterns to match terms in JSON log events" (current), also the JSON section of
  "Filter pattern syntax for metric filters, subscription filters, filter log events, and Live Tail".
- "Filter and Pattern Syntax" (the page's earlier edition, awsdocs/amazon-cloudwatch-logs-user-guide),
  for the examples the current page dropped: ThisFlag, objectList[1].id, wildcards, arrays as values.
- "Filter pattern syntax for metric filters" (dimensions example).

Every test reads: GIVEN the page's event (or one built around the page's threshold), WHEN it is
matched against the page's pattern, THEN the outcome is the one the page states.
"""

import logfilter

# "Using filter patterns to match terms in JSON log events": sample JSON log event, on one line
# as the page says it must be entered for testing.
SAMPLE_EVENT = (
    '{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", '
    '"arrayKey": ["value", "another value"], '
    '"objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}], '
    '"SomeObject": null, "cluster.name": "c"}'
)

# "Filter and Pattern Syntax" (earlier edition): the same event with "ThisFlag": true.
SAMPLE_EVENT_WITH_FLAG = (
    '{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", '
    '"arrayKey": ["value", "another value"], '
    '"objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}], '
    '"SomeObject": null, "ThisFlag": true}'
)

# "Using filter patterns to match terms in JSON log events": sample event for compound expressions.
COMPOUND_EVENT = (
    '{"user": {"id": 1, "email": "John.Stiles@example.com"}, '
    '"users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}], '
    '"actions": ["GET", "PUT", "DELETE"], '
    '"coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]]}'
)


def _matches(pattern: str, event: str) -> bool:
    return logfilter.parse(pattern).matches(event)


# --- "Using filter patterns to match terms in JSON log events": sample event -------------------


def test_string_equality_matches_event_type() -> None:
    assert _matches('{ $.eventType = "UpdateTrail" }', SAMPLE_EVENT)


def test_not_equal_with_trailing_wildcard_matches_ip_outside_prefix() -> None:
    # GIVEN 111.111.111.111, WHEN excluding the 123.123.* range, THEN the event matches
    assert _matches("{ $.sourceIPAddress != 123.123.* }", SAMPLE_EVENT)


def test_array_element_selector_matches_first_element() -> None:
    assert _matches('{ $.arrayKey[0] = "value" }', SAMPLE_EVENT)


def test_bracket_notation_selects_key_containing_a_period() -> None:
    assert _matches("{ $.['cluster.name'] = \"c\" }", SAMPLE_EVENT)


def test_is_null_matches_field_set_to_null() -> None:
    assert _matches("{ $.SomeObject IS NULL }", SAMPLE_EVENT)


def test_not_exists_matches_absent_field() -> None:
    assert _matches("{ $.SomeOtherObject NOT EXISTS }", SAMPLE_EVENT)


# --- "Filter and Pattern Syntax" (earlier edition): sample event and its statements -------------


def test_object_in_array_selector_matches_id_of_second_entry() -> None:
    assert _matches("{ $.objectList[1].id = 2 }", SAMPLE_EVENT_WITH_FLAG)


def test_is_true_matches_boolean_true_field() -> None:
    assert _matches("{ $.ThisFlag IS TRUE }", SAMPLE_EVENT_WITH_FLAG)


def test_array_index_on_a_non_array_is_false() -> None:
    # "If arrayKey is not an array this will be false."
    assert not _matches('{ $.arrayKey[0] = "value" }', '{"arrayKey": "value"}')


def test_object_list_entry_without_id_is_false() -> None:
    # "If the items in objectList are not objects or do not have an id property, this will be false."
    assert not _matches("{ $.objectList[1].id = 2 }", '{"objectList": [{"id": 1}, {"name": "b"}]}')


def test_is_null_is_false_when_field_is_absent() -> None:
    # "This will only be true is the specified object is set to null."
    assert not _matches("{ $.SomeObject IS NULL }", '{"eventType": "UpdateTrail"}')


def test_not_exists_is_false_when_field_is_present() -> None:
    # "This will only be true if specified object does not exist in log data."
    assert not _matches("{ $.eventType NOT EXISTS }", SAMPLE_EVENT)


def test_equality_against_an_array_fails_to_match() -> None:
    # "both {$.users = 1} and {$.users != 1} will fail to match a log event where users is an array"
    assert not _matches("{$.users = 1}", '{"users": [1, 2, 3]}')


def test_inequality_against_an_array_fails_to_match() -> None:
    assert not _matches("{$.users != 1}", '{"users": [1, 2, 3]}')


def test_leading_wildcard_matches_any_text_before() -> None:
    # "*Event will match PutEvent and GetEvent."
    assert _matches("{ $.name = *Event }", '{"name": "PutEvent"}')


def test_trailing_wildcard_matches_any_text_after() -> None:
    # "Event* will match EventId and EventName."
    assert _matches("{ $.name = Event* }", '{"name": "EventName"}')


def test_infix_asterisk_matches_only_the_literal_string() -> None:
    # "Ev*ent will only match the actual string Ev*ent."
    assert _matches('{ $.name = "Ev*ent" }', '{"name": "Ev*ent"}')


def test_infix_asterisk_is_not_a_wildcard() -> None:
    assert not _matches('{ $.name = "Ev*ent" }', '{"name": "EvXent"}')


def test_or_pattern_matches_first_value_only() -> None:
    # "OR Pattern Matching": {$.foo = bar} matches {"foo": "bar"} and not {"foo": "baz"}
    assert _matches("{$.foo = bar}", '{"foo": "bar"}')
    assert not _matches("{$.foo = bar}", '{"foo": "baz"}')


def test_or_pattern_matches_either_value() -> None:
    # {$.foo = bar || $.foo = baz } matches patterns 1 and 2
    pattern = logfilter.parse("{$.foo = bar || $.foo = baz }")
    assert pattern.matches('{"foo": "bar"}')
    assert pattern.matches('{"foo": "baz"}')


# --- Compound expressions ("() > && > ||") -------------------------------------------------------


def test_and_of_parenthesised_conditions_matches() -> None:
    assert _matches('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', COMPOUND_EVENT)


def test_or_binds_looser_than_and_so_the_first_alternative_matches() -> None:
    pattern = (
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }'
    )
    assert _matches(pattern, COMPOUND_EVENT)


def test_parentheses_override_precedence_so_the_and_fails() -> None:
    pattern = (
        '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") '
        '&& $.actions[2] = "nonmatch" }'
    )
    assert not _matches(pattern, COMPOUND_EVENT)


def test_or_of_failing_conditions_does_not_match() -> None:
    pattern = '{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }'
    assert not _matches(pattern, COMPOUND_EVENT)


def test_unquoted_values_in_compound_expression_match_as_documented() -> None:
    # Earlier edition of the same example, with unquoted nonmatch/nomatch.
    pattern = '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }'
    assert _matches(pattern, COMPOUND_EVENT)


def test_nested_array_index_selects_inner_element() -> None:
    # Not an example on the page; its coordinates sample shows arrays of arrays are addressable.
    assert _matches("{ $.coordinates[1][2] = 6 }", COMPOUND_EVENT)


# --- Numeric comparisons: the page's patterns, on events built around their thresholds ----------


def test_greater_than_matches_above_threshold() -> None:
    assert _matches("{ $.bandwidth > 75 }", '{"bandwidth": 76}')


def test_greater_than_does_not_match_at_threshold() -> None:
    assert not _matches("{ $.bandwidth > 75 }", '{"bandwidth": 75}')


def test_less_than_matches_below_threshold() -> None:
    assert _matches("{ $.latency < 50 }", '{"latency": 49.9}')


def test_greater_or_equal_matches_at_threshold() -> None:
    assert _matches("{ $.refreshRate >= 60 }", '{"refreshRate": 60}')


def test_less_or_equal_matches_at_threshold() -> None:
    assert _matches("{ $.responseTime <= 5 }", '{"responseTime": 5}')


def test_equal_without_space_before_brace_matches_number() -> None:
    assert _matches("{ $.errorCode = 400}", '{"errorCode": 400}')


def test_not_equal_number_does_not_match_that_number() -> None:
    assert not _matches("{ $.errorCode != 500 }", '{"errorCode": 500}')


def test_scientific_notation_with_plus_exponent_equals_integer() -> None:
    assert _matches("{ $.number[0] = 1e+3 }", '{"number": [1000]}')


def test_scientific_notation_with_minus_exponent_is_not_equal_to_integer() -> None:
    assert _matches("{ $.number[0] != 1e-3 }", '{"number": [1000]}')


def test_scientific_notation_with_minus_exponent_compares_as_small_number() -> None:
    assert _matches("{ $.numbers[0] < 10e-3 }", '{"numbers": [0.009]}')


def test_scientific_notation_without_exponent_sign_compares_as_large_number() -> None:
    assert _matches("{ $.numbers[0] < 10e3 }", '{"numbers": [9999]}')


def test_decimal_threshold_compares_numerically() -> None:
    assert _matches(
        "{ $.processes[4].averageRuntime <= 55.5 }", '{"processes": [0, 0, 0, 0, {"averageRuntime": 55.5}]}'
    )


def test_explicitly_signed_number_compares_numerically() -> None:
    assert _matches("{ $.latency > +1000 }", '{"latency": 1001}')


def test_asterisk_matches_numbers_by_their_digits() -> None:
    # "Use the asterisk ("*") as a wild card to match numbers."
    assert _matches("{ $.errorCode = 4* }", '{"errorCode": 404}')


# --- "Filter pattern syntax for metric filters" ---------------------------------------------------


def test_dimensions_example_matches_event_with_both_properties() -> None:
    # "The metric filter increments the metric whenever a JSON log event contain the properties
    # eventType and "sourceIPAddress"."
    event = (
        '{"eventType": "UpdateTrail", "sourceIPAddress": "111.111.111.111", '
        '"arrayKey": ["value", "another value"], '
        '"objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}]}'
    )
    assert _matches('{ $.eventType = "*" && $.sourceIPAddress != 123.123.* }', event)


def test_star_value_matches_any_latency() -> None:
    # "Using values in log events to increment a metric's value": { $.latency = * }
    assert _matches("{ $.latency = * }", '{"latency": 50, "requestType": "GET"}')
