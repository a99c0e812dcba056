"""The AWS requests one image causes, counted from the code's real calls (pinned by tests/costs).

An upload is one POST to the upload bucket (the client's, billed to the bucket owner as a PUT) and one
invocation: the handler takes each record of an event on its own, and the model counts one upload per
event, as S3 sends them (an assumption; a batched event would only lower the request line). The
processor then reads the item (consistent), reads the original once, writes each rendition once and
writes the item once (handlers/edge/pipeline.py ``_process``). Reprocessing by S3 Batch Operations invokes the function
synchronously once per manifest entry (docs.aws.amazon.com/lambda/latest/dg/services-s3-batch.html)
and, for an image not yet current, makes the same calls without the upload; an image already current
costs the item read alone. Renditions no longer configured are deleted: S3 DELETE requests are free.
"""

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Calls:
    """Requests per image besides the rendition writes, which depend on the renditions made."""

    s3_get: int
    s3_put_besides_renditions: int
    dynamodb_get_item: int  # consistent reads
    dynamodb_put_item: int
    writes_renditions: bool


# A processed upload: GetItem, GetObject, PutObject per rendition, PutItem; plus the upload itself.
UPLOAD: Final = Calls(
    s3_get=1, s3_put_besides_renditions=1, dynamodb_get_item=1, dynamodb_put_item=1, writes_renditions=True
)
# The handler's own requests for a processed image (what tests/costs records under moto).
PROCESSOR: Final = Calls(
    s3_get=1, s3_put_besides_renditions=0, dynamodb_get_item=1, dynamodb_put_item=1, writes_renditions=True
)
# A rejected upload (not an image we accept): the item read, the original read, a small item written.
REJECTED: Final = Calls(
    s3_get=1, s3_put_besides_renditions=0, dynamodb_get_item=1, dynamodb_put_item=1, writes_renditions=False
)
# Reprocessing an image whose renditions are not current: the processor's requests, no upload.
REPROCESS: Final = PROCESSOR
# Reprocessing an image already current: one read, no writes (issue 16, point 2).
ALREADY_CURRENT: Final = Calls(
    s3_get=0, s3_put_besides_renditions=0, dynamodb_get_item=1, dynamodb_put_item=0, writes_renditions=False
)
