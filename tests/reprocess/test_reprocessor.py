"""The reprocessing function answers S3 Batch Operations as AWS documents, one result per task.

Succeeded when the image is rendered again or already current (one read, no writes); PermanentFailure
with the reason when the original is gone or not an image we accept; TemporaryFailure when AWS
throttles or the invocation is short of time. Renditions no longer configured are removed after the
new set is stored and the item written; a failure never changes the item.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest

from emulated_aws.lambda_context import FrozenLambdaContext
from handlers.batch.invocation import MalformedInvocation
from handlers.batch.results import MAX_RESULT_STRING, short
from handlers.contract import ENV_MAX_PIXELS, ENV_RENDITIONS, RENDITION_PREFIX, ImageStatus
from handlers.image_processor import aws_clients
from handlers.imaging.fingerprint import rendering_fingerprint
from handlers.imaging.renditions import DEFAULT_RENDITIONS, renditions_from_json
from handlers.reprocessor import handler
from handlers.telemetry.events import (
    FIELD_EVENT,
    FIELD_JOB_ID,
    FIELD_OUTCOME,
    FIELD_RESULT_CODE,
    FIELD_TASK_ID,
    LogEvent,
)
from tests.conftest import LogLines
from tests.handler import images
from tests.handler.deployment import PROCESSED_BUCKET, TABLE, UPLOAD_BUCKET, USER, Deployment, Upload
from tests.handler.failures import fail_call
from tests.reprocess.batch import JOB_ID, TASK_ID, invoke, result, task

# The defaults without `small`, plus a small square WebP.
CHANGED = [
    {"name": "thumbnail", "width": 150, "height": 150, "formats": ["jpeg", "webp"], "alpha_formats": ["png"]},
    {"name": "preview", "width": 800, "height": 600, "formats": ["jpeg", "webp"], "alpha_formats": ["png"]},
    {"name": "avatar", "width": 64, "height": 64, "formats": ["webp"]},
]
CHANGED_FINGERPRINT = rendering_fingerprint(renditions_from_json(json.dumps(CHANGED)))


@pytest.fixture
def rendered(aws: Deployment) -> Upload:
    """An 800x400 JPEG processed with the default renditions."""
    upload = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    aws.invoke(upload.event())
    return upload


@pytest.fixture
def changed(rendered: Upload, monkeypatch: pytest.MonkeyPatch) -> Upload:
    """``rendered``, then the stack's renditions changed to CHANGED (the functions' RENDITIONS after a deploy)."""
    monkeypatch.setenv(ENV_RENDITIONS, json.dumps(CHANGED))
    return rendered


@pytest.fixture
def calls(aws: Deployment) -> Iterator[list[tuple[str, str]]]:
    """(service, operation) of every request the functions' clients make from here on."""
    made: list[tuple[str, str]] = []
    clients = aws_clients()

    def record(model: Any, **_: Any) -> None:
        made.append((model.service_model.endpoint_prefix, model.name))

    for client in (clients.s3, clients.dynamodb):
        client.meta.events.register("provide-client-params.*.*", record, unique_id="reprocess-calls")
    yield made
    for client in (clients.s3, clients.dynamodb):
        client.meta.events.unregister("provide-client-params.*.*", unique_id="reprocess-calls")


def keys(image_id: str, version: str, names: tuple[str, ...], exts: tuple[str, ...] = ("jpg", "webp")) -> set[str]:
    return {f"{RENDITION_PREFIX}{USER}/{image_id}/{version}/{n}.{e}" for n in names for e in exts}


def test_the_answer_has_the_shape_batch_operations_reads(aws: Deployment, rendered: Upload) -> None:
    event = {
        "invocationSchemaVersion": "2.0",
        "invocationId": "YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo",
        "job": {"id": JOB_ID, "userArguments": {"fingerprint": "f"}},
        "tasks": [task(rendered)],
    }
    assert handler(event, FrozenLambdaContext()) == {
        "invocationSchemaVersion": "2.0",
        "treatMissingKeysAs": "PermanentFailure",
        "invocationId": "YXNkbGZqYWRmaiBhc2RmdW9hZHNmZGpmaGFzbGtkaGZza2RmaAo",
        "results": [{"taskId": TASK_ID, "resultCode": "Succeeded", "resultString": "already_current"}],
    }


def test_an_image_rendered_with_other_renditions_is_rendered_again_and_loses_the_dropped_ones(
    aws: Deployment, changed: Upload
) -> None:
    rendered = changed
    # WHEN the job's task for it runs after the renditions changed
    code, text = result(invoke(task(rendered)))
    # THEN it succeeded, saying what it did
    assert (code, text) == (
        "Succeeded",
        f"rendered 5 renditions (fingerprint {CHANGED_FINGERPRINT}), removed 2 no longer made",
    )
    # AND the item lists the new set, in the same version's folder, with the new fingerprint
    item = aws.item(rendered.key)
    assert item is not None and item["status"] == ImageStatus.COMPLETED
    new = keys(rendered.image_id, rendered.version_id, ("thumbnail", "preview")) | keys(
        rendered.image_id, rendered.version_id, ("avatar",), ("webp",)
    )
    assert {r["key"] for r in item["renditions"]} == new
    assert item["fingerprint"] == CHANGED_FINGERPRINT
    # AND the processed bucket holds exactly that set: `small` is gone
    assert aws.rendition_keys() == new
    avatar = aws.rendition_image(f"{RENDITION_PREFIX}{USER}/{rendered.image_id}/{rendered.version_id}/avatar.webp")
    assert avatar.size == (64, 32)


def test_an_image_already_current_costs_one_read_and_no_write(
    aws: Deployment, rendered: Upload, calls: list[tuple[str, str]]
) -> None:
    before = aws.item(rendered.key)
    calls.clear()
    assert result(invoke(task(rendered))) == ("Succeeded", "already_current")
    assert calls == [("dynamodb", "GetItem")]
    assert aws.item(rendered.key) == before


def test_a_version_the_table_no_longer_records_is_left_to_the_upload_path(
    aws: Deployment, changed: Upload, calls: list[tuple[str, str]]
) -> None:
    rendered = changed
    # GIVEN a newer version of the upload recorded since the manifest was made
    newer = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    aws.invoke(newer.event())
    calls.clear()
    # WHEN the manifest's (older) version is reprocessed
    code, text = result(invoke(task(rendered)))
    # THEN nothing is read or written beyond the item, and the task succeeded: there is nothing to do
    assert (code, text) == ("Succeeded", f"superseded: the table records version {newer.version_id} of this key")
    assert calls == [("dynamodb", "GetItem")]


def test_an_original_deleted_since_the_manifest_was_made_fails_permanently(aws: Deployment, changed: Upload) -> None:
    rendered = changed
    aws.s3.delete_object(Bucket=UPLOAD_BUCKET, Key=rendered.key, VersionId=rendered.version_id)
    before, renditions = aws.item(rendered.key), aws.rendition_keys()
    code, text = result(invoke(task(rendered)))
    assert code == "PermanentFailure"
    assert text == f"source_missing: s3://{UPLOAD_BUCKET}/{rendered.key} version {rendered.version_id} no longer exists"
    assert (aws.item(rendered.key), aws.rendition_keys()) == (before, renditions)


def test_an_upload_with_no_item_fails_permanently(aws: Deployment) -> None:
    never_processed = aws.upload("landscape.jpg", images.jpeg((800, 400)))
    assert result(invoke(task(never_processed))) == (
        "PermanentFailure",
        "not_recorded: no metadata item names this key",
    )
    assert aws.items() == []


def test_an_upload_that_is_not_an_image_we_accept_fails_permanently_with_its_reason(
    aws: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = aws.upload("broken.jpg", images.truncated_jpeg())
    aws.invoke(broken.event())
    monkeypatch.setenv(ENV_RENDITIONS, json.dumps(CHANGED))
    code, text = result(invoke(task(broken)))
    assert code == "PermanentFailure"
    assert text.startswith("corrupt: JPEG data unreadable: image file is truncated")
    item = aws.item(broken.key)
    assert item is not None and item["status"] == ImageStatus.REJECTED and item["reason"] == "corrupt"


def test_a_completed_image_the_function_now_refuses_keeps_its_renditions(
    aws: Deployment, changed: Upload, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = changed
    # GIVEN the pixel limit lowered below the image's size since it was rendered
    before, renditions = aws.item(rendered.key), aws.rendition_keys()
    monkeypatch.setenv(ENV_MAX_PIXELS, "1000")
    # WHEN it is reprocessed
    code, text = result(invoke(task(rendered)))
    # THEN the task failed with the reason, and neither the item nor a rendition changed
    assert (code, text) == ("PermanentFailure", "too_many_pixels: 800x400 is 320000 pixels, the limit is 1000")
    assert (aws.item(rendered.key), aws.rendition_keys()) == (before, renditions)


@pytest.mark.parametrize(
    ("client", "method", "code", "status"),
    [
        ("dynamodb", "get_item", "ProvisionedThroughputExceededException", 400),
        ("s3", "get_object", "SlowDown", 503),
        ("s3", "put_object", "InternalError", 500),
        ("dynamodb", "put_item", "ThrottlingException", 400),
    ],
)
def test_throttling_and_server_errors_are_temporary_and_change_nothing(
    aws: Deployment, changed: Upload, monkeypatch: pytest.MonkeyPatch, client: str, method: str, code: str, status: int
) -> None:
    rendered = changed
    before, renditions = aws.item(rendered.key), aws.rendition_keys()
    fail_call(monkeypatch, getattr(aws_clients(), client), method, code, http_status=status)
    assert result(invoke(task(rendered))) == (
        "TemporaryFailure",
        f"{code}: An error occurred ({code}) when calling the {method} operation: injected {code}",
    )
    assert aws.item(rendered.key) == before
    if method != "put_item":  # a put_object failure may leave some renditions rewritten, none removed
        assert aws.rendition_keys() == renditions


def test_too_little_time_left_is_temporary_and_reads_nothing(
    aws: Deployment, rendered: Upload, calls: list[tuple[str, str]]
) -> None:
    calls.clear()
    code, text = result(invoke(task(rendered), context=FrozenLambdaContext(remaining_ms=5_000)))
    assert (code, text) == ("TemporaryFailure", "RemainingTimeTooShort: 5000 ms left, 10000 ms needed to start")
    assert calls == []


def test_access_denied_is_permanent(aws: Deployment, changed: Upload, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = changed
    fail_call(monkeypatch, aws_clients().s3, "get_object", "AccessDenied", http_status=403)
    code, text = result(invoke(task(rendered)))
    assert code == "PermanentFailure" and text.startswith("AccessDenied: ")


def test_keys_are_decoded_as_the_manifest_encodes_them(aws: Deployment, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN an upload whose name holds spaces, a plus, a percent sign and non-ASCII letters, rendered, and
    # the renditions changed since
    upload = aws.upload("Sommer am Meer + Café ☀ 100%.jpg", images.jpeg((800, 400)))
    aws.invoke(upload.event())
    monkeypatch.setenv(ENV_RENDITIONS, json.dumps(CHANGED))
    line = task(upload)
    assert line["s3Key"] == "uploads/user-42/Sommer%20am%20Meer%20%2B%20Caf%C3%A9%20%E2%98%80%20100%25.jpg"
    # WHEN its task runs, THEN that very object was rendered again
    code, text = result(invoke(line))
    assert code == "Succeeded" and text.startswith("rendered 5 renditions")
    item = aws.item(upload.key)
    assert item is not None and item["fingerprint"] == CHANGED_FINGERPRINT


def test_a_new_version_recorded_while_the_task_runs_wins(
    aws: Deployment, changed: Upload, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = changed
    # GIVEN a new version's event handled between the task's read of the item and its write
    dynamodb = aws_clients().dynamodb
    real_put = dynamodb.put_item
    newer = aws.upload("landscape.jpg", images.jpeg((800, 400)))

    def put_after_the_newer_version(**request: Any) -> Any:
        monkeypatch.setattr(dynamodb, "put_item", real_put)
        aws.invoke(newer.event())
        return real_put(**request)

    monkeypatch.setattr(dynamodb, "put_item", put_after_the_newer_version)
    # WHEN the task writes
    code, text = result(invoke(task(rendered)))
    # THEN the newer version's item stands and none of its renditions was removed
    assert code == "Succeeded" and text.startswith("superseded")
    item = aws.item(rendered.key)
    assert item is not None and item["source_version_id"] == newer.version_id
    assert {r["key"] for r in item["renditions"]} <= aws.rendition_keys()


def test_an_image_deleted_while_its_task_runs_leaves_no_rendition_behind(
    aws: Deployment, changed: Upload, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the image deleted (DELETE /images/{id}: its renditions, then its item) after the task read the
    # original and before it wrote the item
    rendered = changed
    dynamodb = aws_clients().dynamodb
    real_put = dynamodb.put_item

    def put_after_the_delete(**request: Any) -> Any:
        for key in aws.rendition_keys():
            aws.s3.delete_object(Bucket=PROCESSED_BUCKET, Key=key)
        aws.dynamodb.delete_item(TableName=TABLE, Key={"image_id": {"S": rendered.image_id}})
        return real_put(**request)

    monkeypatch.setattr(dynamodb, "put_item", put_after_the_delete)
    # WHEN the task writes
    code, text = result(invoke(task(rendered)))
    # THEN it failed for good, and the renditions it had stored are gone again
    assert code == "PermanentFailure" and text.startswith("not_recorded: the metadata item")
    assert aws.rendition_keys() == set()
    assert aws.items() == []


def test_a_job_created_with_schema_1_is_refused_task_by_task(aws: Deployment, rendered: Upload) -> None:
    event = {
        "invocationSchemaVersion": "1.0",
        "invocationId": "abc",
        "job": {"id": JOB_ID},
        "tasks": [
            {
                "taskId": TASK_ID,
                "s3Key": rendered.key,
                "s3VersionId": rendered.version_id,
                "s3BucketArn": "arn:aws:s3:::b",
            }
        ],
    }
    answer = handler(event, FrozenLambdaContext())
    assert answer["invocationSchemaVersion"] == "1.0"
    assert result(answer) == (
        "PermanentFailure",
        "invocation schema '1.0': the job must be created with InvocationSchemaVersion 2.0",
    )


@pytest.mark.parametrize("event", [{}, [], {"invocationId": "abc", "tasks": "none"}])
def test_an_event_that_is_not_an_invocation_fails_the_invocation(aws: Deployment, event: object) -> None:
    with pytest.raises(MalformedInvocation):
        handler(event, FrozenLambdaContext())


def test_a_malformed_task_fails_alone(aws: Deployment, changed: Upload) -> None:
    rendered = changed
    good = task(rendered, task_id="good")
    bad = {"taskId": "bad", "s3Bucket": UPLOAD_BUCKET, "s3VersionId": None}
    answer = invoke(bad, good)
    assert [(r["taskId"], r["resultCode"]) for r in answer["results"]] == [
        ("bad", "PermanentFailure"),
        ("good", "Succeeded"),
    ]
    assert answer["results"][0]["resultString"] == "tasks[0].s3Key must be a string"


def test_each_task_is_one_reprocess_task_line(aws: Deployment, rendered: Upload, log_lines: LogLines) -> None:
    log_lines()
    invoke(task(rendered))
    (line,) = [entry for entry in log_lines() if entry[FIELD_EVENT] == LogEvent.REPROCESS_TASK]
    assert (line[FIELD_JOB_ID], line[FIELD_TASK_ID], line[FIELD_RESULT_CODE], line[FIELD_OUTCOME]) == (
        JOB_ID,
        TASK_ID,
        "Succeeded",
        "already_current",
    )


def test_a_long_result_string_is_one_line_cut_to_the_limit() -> None:
    text = short("corrupt: " + "x" * 300 + "\nsecond line")
    assert len(text) == MAX_RESULT_STRING and text.endswith("...") and "\n" not in text
    assert short("rendered\n 6   renditions") == "rendered 6 renditions"


def test_the_defaults_fingerprint_is_what_the_pipeline_stores(aws: Deployment, rendered: Upload) -> None:
    item = aws.item(rendered.key)
    assert item is not None and item["fingerprint"] == rendering_fingerprint(DEFAULT_RENDITIONS)
