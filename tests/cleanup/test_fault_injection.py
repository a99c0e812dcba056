"""Every AWS call the cleanup makes, failed every way it can fail: the part it stops gets one ERROR line,
the other parts still run, the summary counts it and the run fails loudly.

Each fault replaces one method of the cleanup's own clients before the run (its paginators take the
method from the client when they are made, so they meet the fault too); a botocore hook would not
do, since moto applies the request anyway (shared README).
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from handlers.aws_budget import OutOfTime
from handlers.cleanup.clients import CLEANUP_OPERATIONS, cleanup_clients
from handlers.cleanup.errors import CleanupIncomplete
from handlers.telemetry import events as ev
from tests.cleanup.cleanup_deployment import BUCKETS, CleanupDeployment
from tests.conftest import LogLines
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, UPLOAD_BUCKET

ENDPOINT = "https://s3.eu-west-1.amazonaws.com/"
LONG_AGO = datetime(2001, 1, 1, tzinfo=UTC)

Fault = Callable[..., Any]


def client_error(code: str, status: int) -> Fault:
    def fail(**_: Any) -> Any:
        error = {"Error": {"Code": code, "Message": f"injected {code}"}, "ResponseMetadata": {"HTTPStatusCode": status}}
        raise ClientError(error, "Call")

    return fail


def raising(exc: Exception) -> Fault:
    def fail(**_: Any) -> Any:
        raise exc

    return fail


FAULTS: dict[str, tuple[Fault, str]] = {
    "throttled": (client_error("SlowDown", 503), "ClientError"),
    "server-error": (client_error("InternalError", 500), "ClientError"),
    "access-denied": (client_error("AccessDenied", 403), "ClientError"),
    "stalled": (raising(ReadTimeoutError(endpoint_url=ENDPOINT)), "ReadTimeoutError"),
    "unreachable": (raising(EndpointConnectionError(endpoint_url=ENDPOINT)), "EndpointConnectionError"),
    "out-of-time": (raising(OutOfTime("injected: no time left")), "OutOfTime"),
}
# Answers no AWS service gives, of the shape each call's reader would choke on.
GARBAGE: dict[str, object] = {
    "list_object_versions": {"Versions": "not a list", "IsTruncated": False},
    "delete_objects": {"Errors": "not a list"},
    "scan": {"Items": [{"uploaded_at": "not an attribute value"}]},
    "batch_write_item": {"UnprocessedItems": "not a map"},
}
# Every call the cleanup makes, and the parts (bucket or table) a failing one stops.
CALLS: dict[tuple[str, str], tuple[str, ...]] = {
    ("s3", "list_object_versions"): (UPLOAD_BUCKET, PROCESSED_BUCKET),
    ("s3", "delete_objects"): (UPLOAD_BUCKET, PROCESSED_BUCKET),
    ("dynamodb", "scan"): (TABLE,),
    ("dynamodb", "batch_write_item"): (TABLE,),
}


def cases() -> list[Any]:
    params = []
    for (service, method), stopped in CALLS.items():
        faults = {**FAULTS, "garbage": ((lambda response: lambda **_: response)(GARBAGE[method]), "")}
        for name, (fault, error_type) in faults.items():
            params.append(pytest.param(service, method, fault, error_type, stopped, id=f"{method}-{name}"))
    return params


def test_the_fault_cases_cover_every_operation_the_cleanup_makes(aws: CleanupDeployment) -> None:
    clients = cleanup_clients()
    injected = {(s, getattr(clients, s).meta.method_to_api_mapping[m]) for s, m in CALLS}
    assert injected == {(op.service, op.operation) for op in CLEANUP_OPERATIONS}


@pytest.mark.parametrize(("service", "method", "fault", "error_type", "stopped"), cases())
def test_a_failed_call_stops_only_its_part_which_is_logged_and_fails_the_run(
    aws: CleanupDeployment,
    monkeypatch: pytest.MonkeyPatch,
    log_lines: LogLines,
    service: str,
    method: str,
    fault: Fault,
    error_type: str,
    stopped: tuple[str, ...],
) -> None:
    # GIVEN old versions in both buckets and an old item, and one of the cleanup's calls failing
    kept = {bucket: {aws.put(bucket, "uploads/user-42/a.jpg")} for bucket in BUCKETS}
    aws.put_item("a", uploaded_at=LONG_AGO)
    monkeypatch.setattr(getattr(cleanup_clients(), service), method, fault)
    # WHEN the cleanup runs THEN it fails, counting one error per part the call stopped
    with pytest.raises(CleanupIncomplete, match=rf"^{len(stopped)} error\(s\)"):
        aws.run_days_later()
    # AND each stopped part has its ERROR line, naming it and the cause
    lines = log_lines()
    failed = [line for line in lines if line[ev.FIELD_EVENT] == ev.LogEvent.CLEANUP_FAILED]
    assert [line.get(ev.FIELD_BUCKET) or line.get(ev.FIELD_TABLE) for line in failed] == list(stopped)
    assert all(line[ev.FIELD_LEVEL] == ev.Level.ERROR for line in failed)
    if error_type:
        assert {line[ev.FIELD_ERROR_TYPE] for line in failed} == {error_type}
    # AND the summary, last, counts them; the parts the call did not stop were done
    assert lines[-1][ev.FIELD_EVENT] == ev.LogEvent.CLEANUP_COMPLETED
    assert lines[-1][ev.FIELD_ERRORS] == len(stopped)
    for bucket in BUCKETS:
        assert aws.versions(bucket) == (kept[bucket] if bucket in stopped else set())
    assert aws.item_ids() == ({"a"} if TABLE in stopped else set())
