"""S3 reads of uploads, writes of renditions, and deletes of renditions no longer made."""

from typing import Any, Final, Protocol
from urllib.parse import urlencode

from botocore.exceptions import ClientError

from handlers.contract import RENDITION_TAG_KEY
from handlers.edge.errors import SourceMissing
from handlers.imaging.errors import Rejected, RejectReason
from handlers.imaging.types import Rendition

# Rendition keys name one version of one upload, so their content never changes.
CACHE_CONTROL: Final = "public, max-age=31536000, immutable"
_MISSING_CODES: Final = frozenset({"NoSuchKey", "NoSuchVersion", "404"})


class S3Api(Protocol):
    """The part of boto3's S3 client the handler uses."""

    def get_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def put_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def delete_object(self, **kwargs: Any) -> dict[str, Any]: ...


class Storage:
    def __init__(self, s3: S3Api) -> None:
        self._s3 = s3

    def read_upload(self, bucket: str, key: str, version_id: str | None, max_bytes: int) -> bytes:
        """The bytes of exactly this version; too large is refused before the body is read."""
        request: dict[str, str] = {"Bucket": bucket, "Key": key}
        if version_id is not None:
            request["VersionId"] = version_id
        try:
            response = self._s3.get_object(**request)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING_CODES:
                raise SourceMissing(f"s3://{bucket}/{key} version {version_id} no longer exists") from exc
            raise
        body = response["Body"]
        try:
            length = int(response["ContentLength"])
            if length > max_bytes:
                raise Rejected(RejectReason.TOO_LARGE, f"{length} bytes is over the limit of {max_bytes}")
            data: bytes = body.read()
        finally:
            body.close()
        return data

    def put_rendition(self, bucket: str, key: str, rendition: Rendition) -> None:
        self._s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=rendition.data,
            ContentType=rendition.content_type,
            CacheControl=CACHE_CONTROL,
            # Lifecycle rules match this tag (thumbnails expire).
            Tagging=urlencode({RENDITION_TAG_KEY: rendition.name}),
        )

    def delete_rendition(self, bucket: str, key: str) -> None:
        """Remove a rendition from view: the bucket is versioned, so S3 adds a delete marker and the
        bytes go with the noncurrent-version expiry (SecureBucket's lifecycle)."""
        self._s3.delete_object(Bucket=bucket, Key=key)
