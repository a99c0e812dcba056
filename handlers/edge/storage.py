"""S3 reads of uploads, writes of renditions, deletes of renditions no longer made, and the removal of
what an upload of a deleted image left behind."""

from typing import Any, Final, Protocol
from urllib.parse import urlencode

from botocore.exceptions import ClientError

from handlers.contract import RENDITION_TAG_KEY
from handlers.edge.errors import SourceMissing
from handlers.imaging.errors import Rejected, RejectReason
from handlers.imaging.types import Rendition
from handlers.object_versions import ObjectVersion, delete_every_version, delete_versions

# S3's version id of an object stored while the bucket was not versioned (and of every object of one never versioned).
_NULL_VERSION: Final = "null"
# Rendition keys name one version of one upload, so their content never changes.
CACHE_CONTROL: Final = "public, max-age=31536000, immutable"
_MISSING_CODES: Final = frozenset({"NoSuchKey", "NoSuchVersion", "404"})


class S3Api(Protocol):
    """The part of boto3's S3 client the handler uses."""

    def get_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def put_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def delete_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def head_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def list_object_versions(self, **kwargs: Any) -> dict[str, Any]: ...

    def delete_objects(self, **kwargs: Any) -> dict[str, Any]: ...


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

    def put_rendition(self, bucket: str, key: str, rendition: Rendition) -> str:
        """Store one rendition; return the version S3 gave it (``null`` in a bucket without versioning)."""
        response = self._s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=rendition.data,
            ContentType=rendition.content_type,
            CacheControl=CACHE_CONTROL,
            # Lifecycle rules match this tag (thumbnails expire).
            Tagging=urlencode({RENDITION_TAG_KEY: rendition.name}),
        )
        return str(response.get("VersionId") or _NULL_VERSION)

    def delete_rendition(self, bucket: str, key: str) -> None:
        """Remove a rendition from view: the bucket is versioned, so S3 adds a delete marker and the
        bytes go with the noncurrent-version expiry (SecureBucket's lifecycle)."""
        self._s3.delete_object(Bucket=bucket, Key=key)

    def remove_upload(self, bucket: str, key: str, version_id: str | None) -> bool:
        """Delete this version of an upload for good; False when it is already gone (nothing is written then).

        The event of an unversioned bucket names no version: the object there is the current one, whose
        version id HEAD reports (``null`` in a bucket that never had versioning).
        """
        request: dict[str, str] = {"Bucket": bucket, "Key": key}
        if version_id is not None:
            request["VersionId"] = version_id
        try:
            head = self._s3.head_object(**request)
        except ClientError as exc:
            # HEAD has no body: S3 answers a missing key or version with a bare 404 (ListBucket is granted,
            # so never 403 for one).
            if exc.response.get("Error", {}).get("Code") in _MISSING_CODES:
                return False
            raise
        found = version_id or head.get("VersionId") or _NULL_VERSION
        delete_versions(self._s3, bucket, [{"Key": key, "VersionId": found}])
        return True

    def remove_versions(self, bucket: str, versions: list[ObjectVersion]) -> None:
        """Delete exactly these object versions for good."""
        delete_versions(self._s3, bucket, versions)

    def remove_every_version(self, bucket: str, prefix: str) -> int:
        """Delete every version and delete marker under ``prefix`` for good; return how many there were."""
        return delete_every_version(self._s3, bucket, prefix)
