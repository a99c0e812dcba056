"""The model's usage per image is the real handler's: its calls, its log line and its item, under moto.

A change to what the processor calls, logs or stores makes one of these fail until costs/calls.py or
costs/measured.py says the same again (and the README's cost section is regenerated).
"""

import io
import math
from collections import Counter
from collections.abc import Iterator
from contextlib import redirect_stdout
from typing import Any

import pytest

from costs import calls, measured
from costs.calls import Calls
from costs.dynamodb_units import item_size_bytes, write_units
from costs.usage import item_bytes, renditions_made
from handlers.image_processor import aws_clients
from handlers.imaging.renditions import DEFAULT_RENDITIONS
from tests.costs.profiles import profile
from tests.handler import images
from tests.handler.deployment import TABLE, Deployment

# The key shape the image API hands out: uploads/{Cognito sub}/{upload id}/{file name}.
API_KEY = "uploads/3f1c2a9e-7b4d-4e8a-9c21-5d6e7f8a9b0c/9b2e4c6d-1a3f-4b5c-8d7e-0f1a2b3c4d5e/IMG_20250314_092653.jpg"
# The handler runs with DEFAULT_RENDITIONS (no RENDITIONS variable in the test environment): dev's set.
DEFAULTS = profile(renditions=DEFAULT_RENDITIONS)


@pytest.fixture
def recorded(aws: Deployment) -> Iterator[list[str]]:
    """Every request the handler's own clients make, as service:Operation."""
    made: list[str] = []
    clients = aws_clients()

    def record(model: Any, **_: Any) -> None:
        made.append(f"{model.service_model.endpoint_prefix}:{model.name}")

    for client in (clients.s3, clients.dynamodb):
        client.meta.events.register("provide-client-params.*.*", record, unique_id="cost-recorder")
    yield made
    for client in (clients.s3, clients.dynamodb):
        client.meta.events.unregister("provide-client-params.*.*", unique_id="cost-recorder")


def process(aws: Deployment, data: bytes) -> tuple[str, dict[str, Any]]:
    """Upload under the API's key shape, invoke the handler; its stdout and the item it wrote."""
    upload = aws.upload("unused", data, key=API_KEY)
    out = io.StringIO()
    with redirect_stdout(out):
        aws.invoke(upload.event())
    item: dict[str, Any] = aws.dynamodb.get_item(
        TableName=TABLE, Key={"image_id": {"S": upload.image_id}}, ConsistentRead=True
    )["Item"]
    return out.getvalue(), item


def expected(c: Calls, renditions: int) -> Counter[str]:
    return Counter(
        {
            "s3:GetObject": c.s3_get,
            "s3:PutObject": c.s3_put_besides_renditions + (renditions if c.writes_renditions else 0),
            "dynamodb:GetItem": c.dynamodb_get_item,
            "dynamodb:PutItem": c.dynamodb_put_item,
        }
    )


@pytest.mark.parametrize(("source", "has_alpha"), [("jpeg", False), ("png_with_alpha", True)])
def test_a_processed_image_makes_exactly_the_requests_the_model_counts(
    aws: Deployment, recorded: list[str], source: str, has_alpha: bool
) -> None:
    # GIVEN an upload the handler renders (an opaque JPEG: 6 objects; a transparent PNG: 9)
    process(aws, getattr(images, source)())
    # THEN its requests are the model's, one by one
    made = renditions_made(DEFAULTS, has_alpha)
    assert made == (9 if has_alpha else 6)
    assert +Counter(recorded) == +expected(calls.PROCESSOR, made)


def test_a_rejected_upload_makes_the_requests_the_model_counts(aws: Deployment, recorded: list[str]) -> None:
    process(aws, images.truncated_jpeg())
    assert +Counter(recorded) == +expected(calls.REJECTED, 0)


def test_the_processed_log_line_is_the_size_the_model_bills(aws: Deployment) -> None:
    # GIVEN a processed upload's stdout: one JSON line in Lambda's shape
    out, _ = process(aws, images.jpeg())
    [line] = out.splitlines()
    # THEN its size is the model's within 5 % (moto's version ids are 4 characters longer than S3's)
    assert math.isclose(len(line.encode()), measured.PROCESSED_LOG_LINE_BYTES, rel_tol=0.05)


@pytest.mark.parametrize(("source", "renditions"), [("jpeg", 6), ("png_with_alpha", 9)])
def test_the_item_is_the_size_and_write_units_the_model_bills(aws: Deployment, source: str, renditions: int) -> None:
    # GIVEN the item of a processed upload, sized by DynamoDB's rules
    _, item = process(aws, getattr(images, source)())
    assert len(item["renditions"]["L"]) == renditions
    real = item_size_bytes(item)
    # THEN the model's size is within 3 % and costs the same write units
    assert math.isclose(item_bytes(renditions), real, rel_tol=0.03)
    assert write_units(item_bytes(renditions)) == write_units(real)
