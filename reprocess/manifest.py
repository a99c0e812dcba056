"""The job's manifest: a CSV of bucket, key and version id, one line per original, keys URL-encoded.

S3 User Guide, "Specifying a manifest" (batch-ops-create-job): "Each row in the file must include the
bucket name, object key, and optionally, the object version. Object keys must be URL-encoded ... The
manifest must either include version IDs for all objects or omit version IDs for all objects", with
``object%20key%20with%20spaces`` as its example; the job's spec says ``S3BatchOperations_CSV_20180820``
with fields Bucket, Key, VersionId (API reference, JobManifestSpec). Keys are percent-encoded with
``/`` kept: a space is ``%20``, a plus ``%2B``, a comma ``%2C``, a newline ``%0A``, so no key can break
a line or a column, and both ``unquote`` and ``unquote_plus`` read it back (the function decodes with
the latter, handlers/batch/invocation.py).

The manifest's key is derived from its content: writing the same selection twice writes the same
object, and the job's client token (job.py) follows from it.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from reprocess.selection import Original

MANIFEST_FORMAT: Final = "S3BatchOperations_CSV_20180820"
MANIFEST_FIELDS: Final = ("Bucket", "Key", "VersionId")


def encode_key(key: str) -> str:
    return quote(key, safe="/")


def manifest_csv(originals: Iterable[Original]) -> str:
    return "".join(f"{o.bucket},{encode_key(o.key)},{o.version_id}\n" for o in originals)


@dataclass(frozen=True)
class Manifest:
    body: str
    lines: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()

    def key(self, prefix: str, stack: str, fingerprint: str) -> str:
        """``{prefix}{stack}/{fingerprint}/{content digest}.csv``: one object per distinct manifest."""
        return f"{prefix}{stack}/{fingerprint}/{self.digest[:16]}.csv"


def build_manifest(originals: Iterable[Original]) -> Manifest:
    listed = list(originals)
    return Manifest(manifest_csv(listed), len(listed))
