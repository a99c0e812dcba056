"""What the formatter knows of each alarm beyond CloudWatch's message: its words, its window, its log lines.

The monitoring component builds these from the catalogue (components/monitoring/alert_guides.py) and
hands them to the function as one environment variable, ``ALERT_GUIDES``; this module is the one
codec of that JSON, used on both sides. Lambda allows 4 KB of environment in all
(https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), so the JSON is compact:
the log group is written once and each filter pattern once, however many alarms share it.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final


@dataclass(frozen=True)
class LogSource:
    """The log lines that feed an alarm: a metric filter's pattern and the same predicate for Logs Insights."""

    log_group: str
    filter_pattern: str
    insights_filter: str


@dataclass(frozen=True)
class AlarmGuide:
    """One paging alarm, as the email needs it."""

    title: str
    """What broke, in words: `image function errors`."""
    alarm_id: str
    """The catalogue's id, which is also the alarm's section of the runbook."""
    tier: str
    window_s: int
    """Period x evaluation periods: what CloudWatch evaluated when it changed state."""
    unit: str = ""
    """Written after the figure in the subject: `%`, ` ms`; empty for counts."""
    threshold: float | None = None
    logs: LogSource | None = None


@dataclass(frozen=True)
class AlarmGuides:
    by_alarm: Mapping[str, AlarmGuide]

    def get(self, alarm_name: str) -> AlarmGuide | None:
        return self.by_alarm.get(alarm_name)


# Short keys: the whole map must fit Lambda's 4 KB of environment.
_GROUPS: Final = "g"
_PATTERNS: Final = "p"
_ALARMS: Final = "a"


def guides_to_json(guides: Mapping[str, AlarmGuide]) -> str:
    groups: list[str] = []
    patterns: list[list[str]] = []
    alarms: dict[str, list[Any]] = {}
    for name, guide in sorted(guides.items()):
        entry: list[Any] = [guide.title, guide.alarm_id, guide.tier, guide.window_s, guide.unit, guide.threshold]
        if guide.logs is not None:
            if guide.logs.log_group not in groups:
                groups.append(guide.logs.log_group)
            pair = [guide.logs.filter_pattern, guide.logs.insights_filter]
            if pair not in patterns:
                patterns.append(pair)
            entry += [groups.index(guide.logs.log_group), patterns.index(pair)]
        alarms[name] = entry
    return json.dumps({_GROUPS: groups, _PATTERNS: patterns, _ALARMS: alarms}, separators=(",", ":"))


def guides_from_json(text: str) -> AlarmGuides:
    """Raises ValueError (json's, or a KeyError/IndexError turned into one) when the text is not such a map."""
    try:
        document = json.loads(text)
        groups, patterns = document[_GROUPS], document[_PATTERNS]
        by_alarm: dict[str, AlarmGuide] = {}
        for name, entry in document[_ALARMS].items():
            title, alarm_id, tier, window_s, unit, threshold = entry[:6]
            logs = None
            if len(entry) == 8:
                filter_pattern, insights = patterns[entry[7]]
                logs = LogSource(groups[entry[6]], filter_pattern, insights)
            by_alarm[str(name)] = AlarmGuide(
                str(title), str(alarm_id), str(tier), int(window_s), str(unit), threshold, logs
            )
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a map of alarm guides: {exc!r}") from None
    return AlarmGuides(by_alarm)


def runbook_section(runbook_url: str, alarm_id: str) -> str:
    """The alarm's own section of the runbook (docs/alerts.md has one heading per alarm id)."""
    return f"{runbook_url}#{alarm_id}"
