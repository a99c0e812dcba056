"""The plain-text examples of AWS's CloudWatch Logs documentation, with the outcomes the pages state.

Sources, by page title:
- "Using filter patterns to match terms in unstructured log events" (section of "Filter pattern
  syntax for metric filters, subscription filters, filter log events, and Live Tail").
- "Filter and Pattern Syntax" (earlier edition): "Matching Terms in Log Events", "OR Pattern Matching".

Every test reads: GIVEN the page's log messages, WHEN matched against the page's pattern, THEN the
messages the page lists as matching match and the others do not.
"""

import logfilter

BAD_REQUEST = "[ERROR 400] BAD REQUEST"
UNAUTHORIZED = "[ERROR 401] UNAUTHORIZED REQUEST"
MISSING_ARGUMENTS = "[ERROR 419] MISSING ARGUMENTS"
INVALID_ARGUMENTS = "[ERROR 420] INVALID ARGUMENTS"
ERROR_MESSAGES = (BAD_REQUEST, UNAUTHORIZED, MISSING_ARGUMENTS, INVALID_ARGUMENTS)

# "OR Pattern Matching": the three numbered example events.
ERROR_AND_WARN = "ERROR WARN message"
ERROR_ONLY = "ERROR message"
WARN_ONLY = "WARN message"
OR_EVENTS = (ERROR_AND_WARN, ERROR_ONLY, WARN_ONLY)


def _matching(pattern: str, events: tuple[str, ...]) -> list[str]:
    compiled = logfilter.parse(pattern)
    return [event for event in events if compiled.matches(event)]


def test_single_term_matches_every_message_containing_it() -> None:
    assert _matching("ERROR", ERROR_MESSAGES) == list(ERROR_MESSAGES)


def test_single_term_matches_inside_a_longer_word() -> None:
    # Earlier edition: ERROR matches "Exiting with ERRORCODE: -1".
    assert logfilter.parse("ERROR").matches("Exiting with ERRORCODE: -1")


def test_multiple_terms_must_all_appear() -> None:
    assert _matching("ERROR ARGUMENTS", ERROR_MESSAGES) == [MISSING_ARGUMENTS, INVALID_ARGUMENTS]


def test_multiple_terms_match_as_substrings() -> None:
    # Earlier edition: "ERROR Exception" matches "[ERROR] Caught IllegalArgumentException".
    assert logfilter.parse("ERROR Exception").matches("[ERROR] Caught IllegalArgumentException")


def test_question_mark_terms_match_when_any_appears() -> None:
    assert _matching("?ERROR ?ARGUMENTS", ERROR_MESSAGES) == list(ERROR_MESSAGES)


def test_question_mark_terms_are_ignored_next_to_a_plain_term() -> None:
    # "If you combine "?" with other filter patterns, all question mark terms will be ignored."
    events = (
        "[INFO] REQUEST FAILED",
        "[WARN] UNAUTHORIZED REQUEST",
        "[ERROR] 400 BAD REQUEST",
        MISSING_ARGUMENTS,
    )
    assert _matching("?ERROR ?ARGUMENTS REQUEST", events) == list(events[:3])


def test_question_mark_terms_are_ignored_next_to_an_excluded_term() -> None:
    # The same note: "such as include and exclude terms". ?WARN is ignored, leaving -ARGUMENTS.
    assert _matching("?WARN -ARGUMENTS", ERROR_MESSAGES) == [BAD_REQUEST, UNAUTHORIZED]


def test_quoted_phrase_matches_the_exact_phrase() -> None:
    assert logfilter.parse('"INTERNAL SERVER ERROR"').matches("[ERROR 500] INTERNAL SERVER ERROR")


def test_quoted_phrase_does_not_match_its_words_in_another_order() -> None:
    assert not logfilter.parse('"INTERNAL SERVER ERROR"').matches("[ERROR 500] SERVER INTERNAL ERROR")


def test_minus_term_excludes_messages_containing_it() -> None:
    assert _matching("ERROR -ARGUMENTS", ERROR_MESSAGES) == [BAD_REQUEST, UNAUTHORIZED]


def test_quoted_space_matches_everything() -> None:
    assert _matching('" "', (*ERROR_MESSAGES, "no-spaces-here")) == [*ERROR_MESSAGES, "no-spaces-here"]


def test_empty_pattern_matches_everything() -> None:
    # Earlier edition: 'The filter pattern "" matches all log events.'
    assert _matching("", OR_EVENTS) == list(OR_EVENTS)


def test_or_section_plain_term_matches_events_one_and_two() -> None:
    assert _matching("ERROR", OR_EVENTS) == [ERROR_AND_WARN, ERROR_ONLY]


def test_or_section_question_marks_match_all_three_events() -> None:
    assert _matching("?ERROR ?WARN", OR_EVENTS) == list(OR_EVENTS)


def test_or_section_two_plain_terms_match_only_event_one() -> None:
    assert _matching("ERROR WARN", OR_EVENTS) == [ERROR_AND_WARN]


def test_or_section_exclusion_matches_only_event_two() -> None:
    assert _matching("ERROR -WARN", OR_EVENTS) == [ERROR_ONLY]


def test_terms_are_case_sensitive() -> None:
    # "Filter patterns are case sensitive."
    assert not logfilter.parse("ERROR").matches("[error 400] bad request")
