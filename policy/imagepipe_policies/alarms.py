"""CloudWatch alarms: every alarm tells someone, both when it fires and when it recovers.

The exception is an alarm that is a condition of a composite alarm: components/monitoring/alarms.py
pages on "no invocations" only while uploads arrive, so the two metric alarms carry no actions and the
composite whose rule names them (`ALARM("...-no-invocations-critical") AND ALARM("...-uploads-arriving")`)
does the paging. Such an alarm passes when some composite that itself notifies names it in its rule;
composites of composites are followed the same way.
"""

import re
from typing import Final

from pulumi_policy import EnforcementLevel, PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy

from .properties import UnknownValueError, is_set, value_at
from .resource_types import COMPOSITE_ALARM, METRIC_ALARM
from .stack import identities, of_type

# ALARM("name"), OK(name), INSUFFICIENT_DATA("arn:aws:cloudwatch:...:alarm:name") in an alarm rule.
_RULE_REFERENCE: Final = re.compile(r'\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*"?([^")]+?)"?\s*\)')


def named_in_rule(rule: str) -> set[str]:
    """The alarm names and ARNs an alarm rule refers to (an ARN also by the name it ends with)."""
    names: set[str] = set()
    for reference in _RULE_REFERENCE.findall(rule):
        names.add(reference)
        if ":alarm:" in reference:
            names.add(reference.split(":alarm:", 1)[1])
    return names


def notifies_itself(alarm: PolicyResource) -> bool:
    """Actions enabled, with somewhere to go on ALARM and on OK."""
    if value_at(alarm.props, "actionsEnabled") is False:
        return False
    return is_set(alarm.props, "alarmActions") and is_set(alarm.props, "okActions")


def _alarms_notify(args: StackValidationArgs, report: ReportViolation) -> None:
    alarms = of_type(args.resources, METRIC_ALARM, COMPOSITE_ALARM)
    notifying = {alarm.urn for alarm in alarms if notifies_itself(alarm)}
    unknown_rule: UnknownValueError | None = None
    grew = True
    while grew:
        grew = False
        named: set[str] = set()
        for composite in of_type(alarms, COMPOSITE_ALARM):
            if composite.urn not in notifying:
                continue
            try:
                named |= named_in_rule(str(value_at(composite.props, "alarmRule") or ""))
            except UnknownValueError as unknown:
                unknown_rule = unknown_rule or unknown
        for alarm in alarms:
            if alarm.urn not in notifying and identities(alarm, "name", "alarmName", "arn") & named:
                notifying.add(alarm.urn)
                grew = True
    silent = [alarm for alarm in alarms if alarm.urn not in notifying]
    if silent and unknown_rule is not None:
        raise unknown_rule  # a rule not known yet may name them: no verdict until it is
    for alarm in silent:
        report(
            f"alarm {alarm.name} notifies no one: give it alarmActions and okActions, or make it a condition of a "
            f"composite alarm that has them",
            alarm.urn,
        )


ALARMS_NOTIFY: Final = StackValidationPolicy(
    name="alarms-notify",
    description="Every CloudWatch alarm has alarm and OK actions, or is a condition of a composite alarm that does.",
    validate=_alarms_notify,
    enforcement_level=EnforcementLevel.MANDATORY,
)
