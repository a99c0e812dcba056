"""Alarms notify on ALARM and OK, or are conditions of a composite alarm that does."""

from policy.imagepipe_policies.alarms import ALARMS_NOTIFY
from tests.policy.engine import judge_stack
from tests.policy.handmade import ACCOUNT, UNKNOWN, composite_alarm, metric_alarm

SILENT = (
    "alarm {} notifies no one: give it alarmActions and okActions, or make it a condition of a composite alarm "
    "that has them"
)


def test_an_alarm_with_alarm_and_ok_actions_passes() -> None:
    assert judge_stack(ALARMS_NOTIFY, [metric_alarm("function-errors-critical")]).messages == []


def test_an_alarm_missing_either_action_or_with_actions_disabled_is_refused() -> None:
    alarms = [
        metric_alarm("no-ok", okActions=[]),
        metric_alarm("no-alarm", alarmActions=None),
        metric_alarm("disabled", actionsEnabled=False),
    ]
    assert judge_stack(ALARMS_NOTIFY, alarms).messages == [SILENT.format(n) for n in ("no-ok", "no-alarm", "disabled")]


def test_conditions_of_a_composite_that_notifies_need_no_actions_of_their_own() -> None:
    # GIVEN the prod shape: two silent conditions, named by the composite that pages (one by ARN here)
    rule = (
        'ALARM("no-invocations-critical") AND '
        f'ALARM("arn:aws:cloudwatch:eu-west-1:{ACCOUNT}:alarm:no-invocations-uploads-arriving")'
    )
    alarms = [
        metric_alarm("no-invocations-critical", actions=False),
        metric_alarm("no-invocations-uploads-arriving", actions=False),
        composite_alarm("no-invocations-while-uploading-critical", rule),
    ]
    assert judge_stack(ALARMS_NOTIFY, alarms).messages == []


def test_conditions_of_a_silent_composite_are_refused_with_it() -> None:
    alarms = [
        metric_alarm("no-invocations-critical", actions=False),
        composite_alarm("while-uploading", 'ALARM("no-invocations-critical")', actions=False),
    ]
    assert judge_stack(ALARMS_NOTIFY, alarms).messages == [
        SILENT.format("no-invocations-critical"),
        SILENT.format("while-uploading"),
    ]


def test_a_condition_is_followed_through_composites_of_composites() -> None:
    alarms = [
        metric_alarm("errors", actions=False),
        composite_alarm("inner", "ALARM(errors)", actions=False),
        composite_alarm("outer", 'ALARM("inner") OR OK("other")'),
    ]
    assert judge_stack(ALARMS_NOTIFY, alarms).messages == []


def test_an_alarm_named_by_no_rule_is_refused_even_beside_a_composite() -> None:
    alarms = [metric_alarm("orphan", actions=False), composite_alarm("pager", 'ALARM("someone-else")')]
    assert judge_stack(ALARMS_NOTIFY, alarms).messages == [SILENT.format("orphan")]


def test_in_a_preview_a_rule_not_known_yet_gives_no_verdict_on_silent_alarms() -> None:
    alarms = [metric_alarm("condition", actions=False), composite_alarm("pager", UNKNOWN)]
    verdict = judge_stack(ALARMS_NOTIFY, alarms)
    assert (verdict.messages, verdict.unknown) == ([], "string value at .alarmRule can't be known during preview")
