"""The pipeline's AWS resources inside moto, and the calls a test makes against them."""

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from PIL import Image

from emulated_aws.environment import REGION
from emulated_aws.lambda_context import FrozenLambdaContext
from emulated_aws.provisioning import create_metadata_table, create_versioned_bucket
from emulated_aws.s3_events import S3Event, Sequencers, object_created_record, s3_event
from handlers import contract
from handlers.image_item import decode_item
from handlers.image_processor import handler
from handlers.key_layout import image_id_for

UPLOAD_BUCKET = "imagepipe-test-uploads"
PROCESSED_BUCKET = "imagepipe-test-processed"
TABLE = "imagepipe-test-images"
USER = "user-42"


@dataclass(frozen=True)
class Upload:
    """An object in the upload bucket, as S3 describes it in the event it sends."""

    key: str
    version_id: str
    size: int
    sequencer: str
    event_time: datetime

    @property
    def image_id(self) -> str:
        return image_id_for(self.key)

    def record(self, keep_slashes: bool = True) -> dict[str, Any]:
        return object_created_record(
            UPLOAD_BUCKET,
            self.key,
            size=self.size,
            version_id=self.version_id,
            sequencer=self.sequencer,
            event_time=self.event_time,
            region=REGION,
            keep_slashes=keep_slashes,
        )

    def event(self, keep_slashes: bool = True) -> S3Event:
        return s3_event(self.record(keep_slashes))


@dataclass
class Deployment:
    s3: Any
    dynamodb: Any
    sequencers: Sequencers = field(default_factory=Sequencers)

    @classmethod
    def create(cls, s3: Any, dynamodb: Any) -> "Deployment":
        for bucket in (UPLOAD_BUCKET, PROCESSED_BUCKET):
            create_versioned_bucket(s3, bucket, REGION)
        create_metadata_table(dynamodb, TABLE)
        return cls(s3, dynamodb)

    # --- the upload side ---

    def upload(
        self, name: str, data: bytes, user: str = USER, sequencer: str | None = None, key: str | None = None
    ) -> Upload:
        key = key or f"{contract.UPLOAD_PREFIX}{user}/{name}"
        response = self.s3.put_object(Bucket=UPLOAD_BUCKET, Key=key, Body=data)
        return Upload(
            key=key,
            version_id=response["VersionId"],
            size=len(data),
            sequencer=sequencer or self.sequencers.next(),
            event_time=datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=UTC),
        )

    def invoke(self, event: object, context: FrozenLambdaContext | None = None) -> None:
        handler(event, context or FrozenLambdaContext())

    # --- what the handler left behind ---

    def item(self, upload_key: str) -> dict[str, Any] | None:
        response = self.dynamodb.get_item(
            TableName=TABLE, Key={contract.TABLE_HASH_KEY: {"S": image_id_for(upload_key)}}, ConsistentRead=True
        )
        return decode_item(response["Item"]) if "Item" in response else None

    def items(self) -> list[dict[str, Any]]:
        return [decode_item(i) for i in self.dynamodb.scan(TableName=TABLE, ConsistentRead=True)["Items"]]

    def rendition_keys(self) -> set[str]:
        response = self.s3.list_objects_v2(Bucket=PROCESSED_BUCKET)
        return {o["Key"] for o in response.get("Contents", [])}

    def rendition_versions(self) -> int:
        return len(self.s3.list_object_versions(Bucket=PROCESSED_BUCKET).get("Versions", []))

    def rendition_image(self, key: str) -> Image.Image:
        body = self.s3.get_object(Bucket=PROCESSED_BUCKET, Key=key)["Body"].read()
        image = Image.open(io.BytesIO(body))
        image.load()
        return image


def handler_environment(renditions: Iterable[dict[str, Any]] | None = None) -> dict[str, str]:
    env = {contract.ENV_PROCESSED_BUCKET: PROCESSED_BUCKET, contract.ENV_METADATA_TABLE: TABLE}
    if renditions is not None:
        env[contract.ENV_RENDITIONS] = json.dumps(list(renditions))
    return env
