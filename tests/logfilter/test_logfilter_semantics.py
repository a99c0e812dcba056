"""Behaviour the AWS pages imply but do not illustrate: the model ``logfilter.evaluate`` documents.

Where a test rests on AWS text, the comment quotes it; the rest pin down the stated model so that a
change to it is a deliberate one.
"""

import logfilter


def _matches(pattern: str, event: str) -> bool:
    return logfilter.parse(pattern).matches(event)


# --- What counts as a JSON log event ----------------------------------------------------------------


def test_plain_text_line_never_matches_a_json_pattern() -> None:
    # GIVEN a line that is not JSON, WHEN tested for an absent field, THEN it still does not match
    assert not _matches("{ $.eventType NOT EXISTS }", "eventType=UpdateTrail")


def test_json_after_a_text_prefix_does_not_match() -> None:
    assert not _matches('{ $.level = "ERROR" }', '2024-01-01T00:00:00Z {"level": "ERROR"}')


def test_json_array_line_does_not_match_a_json_pattern() -> None:
    assert not _matches("{ $.id NOT EXISTS }", "[1, 2, 3]")


def test_nan_is_not_json_so_the_line_does_not_match() -> None:
    assert not _matches("{ $.a NOT EXISTS }", '{"b": NaN}')


def test_json_object_spread_over_lines_matches() -> None:
    assert _matches('{ $.level = "ERROR" }', '{\n  "level": "ERROR"\n}\n')


# --- Comparisons with things that are not value nodes -----------------------------------------------


def test_not_equal_on_a_missing_field_does_not_match() -> None:
    # Observed on AWS's "Test pattern" (DataBiosphere/azul#5884): a missing field satisfies no
    # comparison, != included.
    assert not _matches('{ $.userIdentity.invokedBy != "cloudfront.amazonaws.com" }', '{"userIdentity": {}}')


def test_not_equal_on_an_object_does_not_match() -> None:
    assert not _matches('{ $.user != "x" }', '{"user": {"id": 1}}')


def test_comparison_with_null_does_not_match() -> None:
    assert not _matches('{ $.SomeObject != "x" }', '{"SomeObject": null}')


def test_star_does_not_match_null() -> None:
    # "Value nodes can be strings or numbers"; null is tested with IS NULL.
    assert not _matches("{ $.SomeObject = * }", '{"SomeObject": null}')


def test_star_does_not_match_an_object() -> None:
    assert not _matches('{ $.user = "*" }', '{"user": {"id": 1}}')


def test_equality_with_the_word_true_does_not_match_a_boolean() -> None:
    assert not _matches("{ $.flag = true }", '{"flag": true}')


def test_is_false_matches_boolean_false() -> None:
    assert _matches("{ $.flag IS FALSE }", '{"flag": false}')


def test_is_true_does_not_match_the_string_true() -> None:
    assert not _matches("{ $.flag IS TRUE }", '{"flag": "true"}')


def test_is_true_does_not_match_a_missing_field() -> None:
    assert not _matches("{ $.flag IS TRUE }", "{}")


def test_not_exists_is_true_when_the_path_runs_through_a_string() -> None:
    assert _matches("{ $.eventType.name NOT EXISTS }", '{"eventType": "UpdateTrail"}')


def test_not_exists_is_false_for_a_field_set_to_null() -> None:
    assert not _matches("{ $.SomeObject NOT EXISTS }", '{"SomeObject": null}')


def test_array_index_into_an_object_does_not_exist() -> None:
    assert _matches("{ $.user[0] NOT EXISTS }", '{"user": {"id": 1}}')


def test_array_index_past_the_end_does_not_exist() -> None:
    assert _matches("{ $.arrayKey[2] NOT EXISTS }", '{"arrayKey": ["value", "another value"]}')


# --- Numbers against strings and strings against numbers -------------------------------------------


def test_number_value_matches_a_string_holding_that_number() -> None:
    assert _matches("{ $.status = 404 }", '{"status": "404"}')


def test_ordering_compares_a_numeric_string_by_value() -> None:
    assert _matches("{ $.status >= 400 }", '{"status": "500"}')


def test_number_value_does_not_match_a_string_in_scientific_notation() -> None:
    # "Strings don't support scientific notation."
    assert not _matches("{ $.size = 1000 }", '{"size": "1e3"}')


def test_number_value_not_equal_does_not_match_a_non_numeric_string() -> None:
    assert not _matches("{ $.status != 404 }", '{"status": "missing"}')


def test_quoted_digits_match_a_number_by_its_text() -> None:
    assert _matches('{ $.status = "404" }', '{"status": 404}')


def test_quoted_digits_compare_with_the_number_as_written_in_the_line() -> None:
    assert not _matches('{ $.ratio = "1.5" }', '{"ratio": 1.50}')


def test_number_value_compares_numerically_whatever_the_spelling() -> None:
    assert _matches("{ $.ratio = 1.5 }", '{"ratio": 1.50}')


def test_integer_value_equals_the_same_number_written_in_scientific_notation() -> None:
    assert _matches("{ $.size = 1000 }", '{"size": 1e3}')


def test_integer_value_equals_the_same_number_written_as_a_float() -> None:
    assert _matches("{ $.size = 1000 }", '{"size": 1000.0}')


def test_negative_threshold_compares_numerically() -> None:
    assert _matches("{ $.delta < -5 }", '{"delta": -6}')


def test_number_value_does_not_match_a_different_number() -> None:
    assert not _matches("{ $.objectList[1].id = 2 }", '{"objectList": [{"id": 1}, {"id": 3}]}')


# --- Strings ---------------------------------------------------------------------------------------


def test_string_comparison_is_case_sensitive() -> None:
    assert not _matches('{ $.eventType = "updatetrail" }', '{"eventType": "UpdateTrail"}')


def test_leading_and_trailing_wildcards_match_text_inside() -> None:
    assert _matches('{ $.errorCode = "*Unauthorized*" }', '{"errorCode": "Client.UnauthorizedOperation"}')


def test_not_equal_with_wildcard_is_false_when_the_prefix_matches() -> None:
    assert not _matches("{ $.sourceIPAddress != 111.111.* }", '{"sourceIPAddress": "111.111.111.111"}')


def test_quoted_value_may_hold_any_character() -> None:
    assert _matches('{ $.key = "uploads/u-1/summer holiday@2x.jpg" }', '{"key": "uploads/u-1/summer holiday@2x.jpg"}')


def test_hyphenated_property_name_is_a_valid_selector() -> None:
    # "Property selectors are alphanumeric strings that support hyphen ("-") and underscore ("_")."
    assert _matches('{ $.x-request_id = "abc" }', '{"x-request_id": "abc"}')


# --- Whitespace --------------------------------------------------------------------------------


def test_pattern_without_any_whitespace_parses_and_matches() -> None:
    assert _matches('{($.a=1)&&($.b!="x")}', '{"a": 1, "b": "y"}')


def test_tabs_and_newlines_between_tokens_are_whitespace() -> None:
    assert _matches("\t{\n  $.a = 1\n  &&\t$.b IS  NULL\n}\n", '{"a": 1, "b": null}')
