"""Deleting the metadata items of uploads older than the cutoff.

An item's age is its ``uploaded_at``: the S3 eventTime of the upload version the item describes,
that is, the moment S3 stored the original. The sweep judges the original by the same moment (its
LastModified), so an item and its upload go in the same run; ``updated_at`` (when the processor last
wrote the item: a retry, a late duplicate) would keep an item after its upload is gone. Every item
the processor writes has ``uploaded_at`` (the user index's range key); an item without a readable,
timezone-aware one is kept and counted, never deleted on a guess. A deleted image's tombstone
(handlers/tombstone.py) has no upload time and is no upload's item: it is left alone, uncounted, for
DynamoDB's TTL to remove.

The scan reads only the key and ``uploaded_at``. Deletes go in BatchWriteItem calls of at most 25;
what DynamoDB leaves unprocessed is retried with exponential backoff and jitter a bounded number of
times, and what is still left then is logged as ERROR lines and counted.
"""

import logging
import random
from collections.abc import Iterator, Mapping
from datetime import datetime
from time import sleep
from typing import Any, Final

from handlers.aws_budget import require_time
from handlers.cleanup.batching import settled_batches
from handlers.cleanup.clients import DynamoDbApi
from handlers.cleanup.report import TableTally
from handlers.contract import TABLE_HASH_KEY, USER_INDEX_RANGE_KEY
from handlers.telemetry import events as ev
from handlers.telemetry.logger import log_event
from handlers.tombstone import ATTR_DELETED_BY, is_tombstone

# BatchWriteItem takes at most this many requests per call.
MAX_ITEMS_PER_BATCH: Final = 25
# One call and up to this many more for what is left unprocessed.
MAX_ATTEMPTS: Final = 6
BACKOFF_BASE_SECONDS: Final = 0.05
BACKOFF_CAP_SECONDS: Final = 2.0
# The attribute an item's age is read from (handlers.edge.metadata writes it as the S3 eventTime).
AGE_ATTRIBUTE: Final = USER_INDEX_RANGE_KEY

_logger = logging.getLogger(__name__)

AttributeValue = dict[str, Any]


def purge_items(dynamodb: DynamoDbApi, table: str, cutoff: datetime, tally: TableTally) -> None:
    """Delete every item of ``table`` uploaded before ``cutoff``."""
    for batch in settled_batches(_old_keys(dynamodb, table, cutoff, tally), MAX_ITEMS_PER_BATCH):
        _delete(dynamodb, table, batch, tally)


def _old_keys(dynamodb: DynamoDbApi, table: str, cutoff: datetime, tally: TableTally) -> Iterator[list[AttributeValue]]:
    """Per scan page, the keys of its items uploaded before ``cutoff``."""
    pages = dynamodb.get_paginator("scan").paginate(
        TableName=table,
        ProjectionExpression="#key, #uploaded, #by",
        ExpressionAttributeNames={"#key": TABLE_HASH_KEY, "#uploaded": AGE_ATTRIBUTE, "#by": ATTR_DELETED_BY},
    )
    for page in pages:
        old: list[AttributeValue] = []
        for item in page.get("Items", []):
            if is_tombstone(item):
                continue
            uploaded = uploaded_at(item)
            if uploaded is None:
                tally.items_undated += 1
            elif uploaded < cutoff:
                old.append({TABLE_HASH_KEY: item[TABLE_HASH_KEY]})
        yield old


def uploaded_at(item: Mapping[str, AttributeValue]) -> datetime | None:
    """The item's upload time; None when it has none, or none that names its time zone."""
    raw = item.get(AGE_ATTRIBUTE, {}).get("S")
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None


def _delete(dynamodb: DynamoDbApi, table: str, keys: list[AttributeValue], tally: TableTally) -> None:
    requests: list[dict[str, Any]] = [{"DeleteRequest": {"Key": key}} for key in keys]
    for attempt in range(MAX_ATTEMPTS):
        if attempt:
            pause = backoff_seconds(attempt)
            require_time(pause, "a pause before retrying unprocessed deletes")  # never sleep past the deadline
            sleep(pause)
        response = dynamodb.batch_write_item(RequestItems={table: requests})
        requests = response.get("UnprocessedItems", {}).get(table, [])
        if not requests:
            break
    tally.items_deleted += len(keys) - len(requests)
    for request in requests:
        tally.errors += 1
        key = request["DeleteRequest"]["Key"][TABLE_HASH_KEY].get("S")
        fields = {
            ev.FIELD_TABLE: table,
            ev.FIELD_IMAGE_ID: key,
            ev.FIELD_DETAIL: f"still unprocessed after {MAX_ATTEMPTS} BatchWriteItem attempts",
        }
        log_event(_logger, ev.Level.ERROR, ev.LogEvent.CLEANUP_ITEM_DELETE_FAILED, fields)


def backoff_seconds(attempt: int) -> float:
    """Before retry ``attempt`` (1, 2, ...): full jitter over an exponential ceiling, as AWS advises."""
    return random.uniform(0, min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt))
