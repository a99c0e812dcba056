"""What a metric filter publishes: ``metric_value`` per event and ``evaluate_metric`` per period.

Sources, by page title: "Filter pattern syntax for metric filters" ("Configuring metric values for
a metric filter", "Using values in log events to increment a metric's value") and the earlier
"Filter and Pattern Syntax" ("Setting How the Metric Value Changes When Matches Are Found").
"""

import pytest

from logfilter import FilterPatternError, evaluate_metric, metric_value

PROCESSED = '{"event": "image.processed", "processing_time_ms": 120}'
FAILED = '{"event": "image.failed", "error_type": "OSError"}'

# --- metric_value ------------------------------------------------------------------------------


def test_constant_value_is_published_as_is() -> None:
    assert metric_value(PROCESSED, "1") == 1.0


def test_decimal_constant_value_is_published_as_is() -> None:
    assert metric_value(PROCESSED, "1.5") == 1.5


def test_selector_value_publishes_the_field() -> None:
    # "Using values in log events to increment a metric's value": $.latency publishes 50.
    assert metric_value('{"latency": 50, "requestType": "GET"}', "$.latency") == 50.0


def test_selector_value_reads_nested_and_indexed_fields() -> None:
    assert metric_value('{"timings": [{"ms": 7.5}]}', "$.timings[0].ms") == 7.5


def test_missing_field_gives_no_value() -> None:
    assert metric_value(FAILED, "$.processing_time_ms") is None


def test_non_numeric_field_gives_no_value() -> None:
    assert metric_value('{"processing_time_ms": "slow"}', "$.processing_time_ms") is None


def test_boolean_field_gives_no_value() -> None:
    assert metric_value('{"processing_time_ms": true}', "$.processing_time_ms") is None


def test_numeric_string_field_gives_its_number() -> None:
    assert metric_value('{"processing_time_ms": "120"}', "$.processing_time_ms") == 120.0


def test_selector_value_on_a_plain_text_line_gives_no_value() -> None:
    assert metric_value("processing_time_ms=120", "$.processing_time_ms") is None


def test_word_metric_value_is_rejected() -> None:
    with pytest.raises(FilterPatternError, match="a metric value is a number or a selector"):
        metric_value(PROCESSED, "latency")


def test_space_delimited_metric_value_is_rejected() -> None:
    with pytest.raises(FilterPatternError, match="space-delimited field references"):
        metric_value(PROCESSED, "$bytes")


def test_malformed_selector_metric_value_is_rejected() -> None:
    with pytest.raises(FilterPatternError, match="expected ']' after the array index"):
        metric_value(PROCESSED, "$.a[0")


# --- evaluate_metric -------------------------------------------------------------------------------


def test_two_matching_records_with_value_one_sum_to_two() -> None:
    # The pages' example: two records a minute, metric value 1, default 0; both match -> 2.
    # GIVEN two matching records WHEN evaluated THEN the minute's sum is 2 from two samples
    result = evaluate_metric('{ $.event = "image.failed" }', "1", [FAILED, FAILED], default_value=0)
    assert (result.datapoints, result.count, result.sum) == ([1.0, 1.0], 2, 2.0)


def test_no_matching_records_report_the_default_value() -> None:
    # Same example, second minute: neither record matches -> the default, 0.
    result = evaluate_metric('{ $.event = "image.failed" }', "1", [PROCESSED, PROCESSED], default_value=0)
    assert (result.datapoints, result.default_applied) == ([0.0], True)


def test_no_matching_records_without_default_report_nothing() -> None:
    # "If you don't specify a default value, CloudWatch won't report data when your metric filter
    # doesn't find a match."
    result = evaluate_metric('{ $.event = "image.failed" }', "1", [PROCESSED], default_value=None)
    assert (result.datapoints, result.count, result.sum) == ([], 0, 0)


def test_no_ingested_records_report_nothing_even_with_a_default() -> None:
    # "if no log events are ingested during a one-minute period, then no value is reported."
    result = evaluate_metric('{ $.event = "image.failed" }', "1", [], default_value=0)
    assert (result.datapoints, result.default_applied) == ([], False)


def test_only_matching_records_contribute_their_field_values() -> None:
    events = [PROCESSED, FAILED, '{"event": "image.processed", "processing_time_ms": 80}']
    result = evaluate_metric('{ $.event = "image.processed" }', "$.processing_time_ms", events, default_value=0)
    assert (result.datapoints, result.matched_events, result.sum) == ([120.0, 80.0], 2, 200.0)


def test_matching_record_without_the_field_adds_no_datapoint_and_no_default() -> None:
    events = ['{"event": "image.processed"}']
    result = evaluate_metric('{ $.event = "image.processed" }', "$.processing_time_ms", events, default_value=0)
    assert (result.datapoints, result.matched_events, result.default_applied) == ([], 1, False)


def test_star_pattern_with_selector_value_publishes_each_latency() -> None:
    # "{ $.latency = * } metricValue: $.latency"
    events = ['{"latency": 50, "requestType": "GET"}', '{"requestType": "GET"}', '{"latency": 70}']
    result = evaluate_metric("{ $.latency = * }", "$.latency", events, default_value=None)
    assert result.datapoints == [50.0, 70.0]


def test_plain_text_lines_count_under_a_term_pattern() -> None:
    events = ["[ERROR 400] BAD REQUEST", "[INFO] OK", "[ERROR 500] INTERNAL SERVER ERROR"]
    assert evaluate_metric("ERROR", "1", events, default_value=0).sum == 2.0


def test_invalid_pattern_is_rejected() -> None:
    with pytest.raises(FilterPatternError, match="'==' is not an operator"):
        evaluate_metric("{ $.a == 1 }", "1", [PROCESSED], default_value=0)


def test_invalid_value_is_rejected_even_when_no_event_matches() -> None:
    with pytest.raises(FilterPatternError, match="a metric value is a number or a selector"):
        evaluate_metric('{ $.event = "nope" }', "one", [PROCESSED], default_value=0)
