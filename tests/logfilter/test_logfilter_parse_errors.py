"""Patterns CloudWatch Logs rejects, or this evaluator does not model, raise FilterPatternError
with the reason and the 0-based position of the offending character."""

import pytest

import logfilter
from logfilter import FilterPatternError


def _error(pattern: str) -> FilterPatternError:
    with pytest.raises(FilterPatternError) as caught:
        logfilter.parse(pattern)
    return caught.value


def test_error_message_names_the_column_and_the_pattern() -> None:
    # GIVEN a condition with no value, WHEN parsed, THEN the message points at the closing brace
    error = _error("{ $.a = }")
    assert str(error) == "expected a value after '=', found '}' at column 9 of '{ $.a = }'"


def test_error_carries_the_zero_based_position() -> None:
    assert _error("{ $.a = }").position == 8


def test_double_equals_is_rejected_at_the_operator() -> None:
    error = _error("{ $.a == 1 }")
    assert (error.reason, error.position) == ("'==' is not an operator (use '=' or '!=')", 6)


def test_missing_closing_brace_is_reported_at_the_end() -> None:
    error = _error("{ $.a = 1")
    assert (error.reason, error.position) == ("expected '&&', '||' or '}', found end of pattern", 9)


def test_text_after_the_closing_brace_is_rejected() -> None:
    assert _error("{ $.a = 1 } trailing").position == 12


def test_selector_must_start_with_dollar_dot() -> None:
    error = _error("{ a = 1 }")
    assert (error.reason, error.position) == ("expected a selector starting with '$.' or '(', found 'a'", 2)


def test_bare_dollar_is_not_a_selector() -> None:
    assert _error("{ $ = 1 }").reason == "expected '.' and a property name after '$'"


def test_array_index_must_be_digits() -> None:
    assert _error("{ $.a[x] = 1 }").reason == "expected an array index (digits) after '['"


def test_array_index_must_follow_a_property() -> None:
    assert _error("{ $[0] = 1 }").reason == "an array index must follow a property, as in $.items[0]"


def test_bracket_key_must_be_single_quoted() -> None:
    assert _error('{ $.["cluster.name"] = "c" }').reason == ("expected a single-quoted key, as in $.['cluster.name']")


def test_unterminated_string_is_reported_at_its_opening_quote() -> None:
    error = _error('{ $.a = "abc }')
    assert (error.reason, error.position) == ("unterminated string", 8)


def test_exists_is_rejected_because_aws_does_not_support_it() -> None:
    # "The variables IS NOT and EXISTS currently aren't supported."
    assert _error("{ $.a EXISTS }").reason.startswith("EXISTS is not supported by CloudWatch Logs")


def test_is_not_is_rejected_because_aws_does_not_support_it() -> None:
    assert _error("{ $.a IS NOT NULL }").reason == "IS NOT is not supported by CloudWatch Logs"


def test_unknown_is_target_is_rejected() -> None:
    assert _error("{ $.a IS MAYBE }").reason == "expected NULL, TRUE or FALSE after IS"


def test_lower_case_keyword_is_rejected() -> None:
    assert _error("{ $.a is null }").reason.startswith("unknown keyword 'is'")


def test_not_without_exists_is_rejected() -> None:
    assert _error("{ $.a NOT NULL }").reason == "expected EXISTS after NOT"


def test_keyword_glued_to_selector_is_rejected() -> None:
    assert _error("{ $.a[0]IS NULL }").reason == "expected whitespace between the selector and the keyword"


def test_ordering_operator_needs_a_number() -> None:
    error = _error("{ $.latency > high }")
    assert (error.reason, error.position) == ("operator '>' compares numbers; found high", 14)


def test_unquoted_value_with_special_characters_must_be_quoted() -> None:
    error = _error("{ $.email = John@example.com }")
    assert error.reason.startswith("unquoted value 'John@example.com' may hold only letters")


def test_regex_value_is_not_supported() -> None:
    assert _error("{ $.eventType = %Trail% }").reason == (
        "regular expression values (%...%) are not supported by this evaluator"
    )


def test_regex_pattern_is_not_supported() -> None:
    assert _error("%AUTHORIZED%").reason == "regular expression patterns (%...%) are not supported by this evaluator"


def test_space_delimited_pattern_is_not_supported() -> None:
    assert _error("[w1=ERROR, w2]").reason == "space-delimited patterns ([...]) are not supported by this evaluator"


def test_wildcard_property_selector_is_not_supported() -> None:
    assert _error("{ $.* = 1 }").reason == "wildcard selectors ($.*) are not supported by this evaluator"


def test_wildcard_array_selector_is_not_supported() -> None:
    assert _error('{ $.arrayKey[*] = "value" }').reason == (
        "wildcard selectors ([*]) are not supported by this evaluator"
    )


def test_empty_braces_are_rejected() -> None:
    assert _error("{ }").reason == "expected a selector starting with '$.' or '(', found '}'"


def test_unbalanced_parenthesis_is_rejected() -> None:
    assert _error("{ ($.a = 1 }").reason == "expected ')', '&&' or '||', found '}'"


def test_dangling_and_is_rejected() -> None:
    assert _error("{ $.a = 1 && }").reason == "expected a selector starting with '$.' or '(', found '}'"


def test_single_ampersand_is_rejected() -> None:
    assert _error("{ $.a = 1 & $.b = 2 }").position == 10


def test_pattern_longer_than_aws_limit_is_rejected() -> None:
    # PutMetricFilter: filterPattern "Maximum length of 1024."
    pattern = '{ $.a = "' + "x" * 1020 + '" }'
    assert _error(pattern).reason == "filter pattern is longer than 1024 characters"


def test_unquoted_term_with_punctuation_must_be_quoted() -> None:
    # "Metric filter terms that include characters other than alphanumeric or underscore must be
    # placed inside double quotes."
    assert _error("ERROR:").reason == (
        "terms holding characters other than letters, digits and '_' must be in double quotes"
    )


def test_unterminated_quoted_phrase_is_rejected() -> None:
    error = _error('ERROR "INTERNAL SERVER')
    assert (error.reason, error.position) == ("unterminated quoted phrase", 6)
