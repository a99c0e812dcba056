"""Filter patterns built from conditions render as CloudWatch Logs parses them, and as Logs Insights filters."""

import pytest

import logfilter
from components.monitoring.filter_patterns import all_of, any_of, equals

ERROR = equals("level", "ERROR")
RUNTIME_ERROR = equals("log_level", "ERROR")
REPORT = equals("type", "platform.report")
TIMED_OUT = equals("record.status", "timeout")


def test_one_condition_renders_as_a_json_pattern() -> None:
    assert ERROR.render() == '{ $.level = "ERROR" }'


def test_a_dotted_field_renders_as_a_nested_selector() -> None:
    assert TIMED_OUT.render() == '{ $.record.status = "timeout" }'


def test_all_of_joins_with_and() -> None:
    assert all_of(REPORT, TIMED_OUT).render() == '{ $.type = "platform.report" && $.record.status = "timeout" }'


def test_any_of_joins_with_or() -> None:
    assert any_of(ERROR, RUNTIME_ERROR).render() == '{ $.level = "ERROR" || $.log_level = "ERROR" }'


def test_nested_same_joins_flatten() -> None:
    assert any_of(any_of(ERROR, RUNTIME_ERROR), REPORT).render() == any_of(ERROR, RUNTIME_ERROR, REPORT).render()


def test_a_compound_inside_another_is_parenthesised() -> None:
    pattern = any_of(ERROR, all_of(REPORT, TIMED_OUT))
    assert pattern.render() == '{ $.level = "ERROR" || ($.type = "platform.report" && $.record.status = "timeout") }'


def test_an_or_group_inside_and_keeps_its_meaning_when_parsed() -> None:
    # GIVEN type = report AND (status = timeout OR level = ERROR), rendered and parsed back
    parsed = logfilter.parse(all_of(REPORT, any_of(TIMED_OUT, ERROR)).render())
    # THEN a line satisfying only the second half does not match: the parentheses hold
    assert parsed.matches('{"type": "platform.report", "record": {"status": "timeout"}}')
    assert not parsed.matches('{"level": "ERROR"}')


def test_insights_renders_the_same_predicate_with_and_or_and_single_quotes() -> None:
    pattern = any_of(ERROR, all_of(REPORT, TIMED_OUT))
    assert pattern.insights() == "level = 'ERROR' or (type = 'platform.report' and record.status = 'timeout')"


def test_insights_refuses_a_value_it_cannot_quote() -> None:
    with pytest.raises(ValueError, match="single quotes"):
        equals("key", "o'brien.jpg").insights()


def test_a_compound_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one pattern"):
        any_of()
