"""The evidence behind an alarm: the log lines that fed it, or the datapoints of its metrics, in the evaluated window.

Log lines: ``logs:FilterLogEvents`` on the alarm's log group with its own filter pattern over the
window, every page followed (a page may be partial or empty while ``nextToken`` says more follow;
events come oldest first: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
Each returned line is checked against the pattern again with ``logfilter`` (the same evaluator the
tests prove the metric filters with): CloudWatch has already filtered them, but an emulator may not
(moto returns every event for a JSON pattern), and a line the pattern does not match never reaches an
email. Counting stops at ``count_cap`` matching lines or ``max_pages`` pages; the email then says
"at least". The newest ``limit`` lines are kept, newest first.

Datapoints: ``cloudwatch:GetMetricData`` with the alarm's own metric queries from its Trigger.
"""

import heapq
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Protocol

from handlers.alerts.notification import MetricQuery
from handlers.alerts.redaction import EvidenceLine, reduce_line
from logfilter import FilterPatternError, parse

DEFAULT_COUNT_CAP: Final = 1000
DEFAULT_MAX_PAGES: Final = 20


class LogsApi(Protocol):
    """The part of boto3's CloudWatch Logs client the formatter uses."""

    def filter_log_events(self, **kwargs: Any) -> dict[str, Any]: ...


class CloudWatchApi(Protocol):
    """The part of boto3's CloudWatch client the formatter uses."""

    def get_metric_data(self, **kwargs: Any) -> dict[str, Any]: ...


@dataclass(frozen=True)
class LineEvidence:
    lines: tuple[EvidenceLine, ...]
    """The newest matching lines, newest first."""
    count: int
    """Matching lines counted in the window."""
    complete: bool
    """False when counting stopped at the cap: there are at least ``count``."""


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[datetime, float], ...]
    """Oldest first."""


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def matching_lines(
    logs: LogsApi,
    log_group: str,
    filter_pattern: str,
    start: datetime,
    end: datetime,
    limit: int,
    count_cap: int = DEFAULT_COUNT_CAP,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> LineEvidence:
    try:
        pattern = parse(filter_pattern)
    except FilterPatternError as exc:
        raise ValueError(f"the alarm's filter pattern cannot be read: {exc}") from None
    newest: list[tuple[int, int, str]] = []  # a min-heap of (time, arrival, message): the newest `limit`
    count = 0
    token: str | None = None
    for _page in range(max_pages):
        request: dict[str, Any] = {
            "logGroupName": log_group,
            "startTime": _millis(start),
            "endTime": _millis(end),
            "filterPattern": filter_pattern,
        }
        if token:
            request["nextToken"] = token
        response = logs.filter_log_events(**request)
        for event in response.get("events", []):
            message = str(event.get("message", ""))
            time_ms = int(event.get("timestamp", 0))
            if not _millis(start) <= time_ms <= _millis(end) or not pattern.matches(message):
                continue
            count += 1
            item = (time_ms, count, message)
            if len(newest) < limit:
                heapq.heappush(newest, item)
            elif limit > 0:
                heapq.heappushpop(newest, item)
            if count >= count_cap:
                return _evidence(newest, count, complete=False)
        token = response.get("nextToken")
        if not token:
            return _evidence(newest, count, complete=True)
    return _evidence(newest, count, complete=False)


def _evidence(newest: list[tuple[int, int, str]], count: int, complete: bool) -> LineEvidence:
    ordered = sorted(newest, reverse=True)
    return LineEvidence(tuple(reduce_line(message, t) for t, _, message in ordered), count, complete)


def datapoints(
    cloudwatch: CloudWatchApi, queries: tuple[MetricQuery, ...], start: datetime, end: datetime
) -> list[Series]:
    """Every returned series of the alarm's queries over the window, oldest point first."""
    response = cloudwatch.get_metric_data(
        MetricDataQueries=[q.request() for q in queries], StartTime=start, EndTime=end, ScanBy="TimestampAscending"
    )
    found = []
    labels = {q.id: q.label or q.metric_name or q.id for q in queries}
    for result in response.get("MetricDataResults", []):
        points = sorted(zip(result.get("Timestamps", []), result.get("Values", []), strict=False))
        label = labels.get(result.get("Id", ""), result.get("Label") or "")
        found.append(Series(str(label), tuple((t, float(v)) for t, v in points)))
    return found
