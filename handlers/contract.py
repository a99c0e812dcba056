"""The contract between the Lambda runtime and the infrastructure that configures it.

Every environment variable, key prefix, tag and table attribute that both the handler and
``components/`` need is named here once.
"""

from enum import StrEnum
from typing import Final

# Environment variables the function reads.
ENV_PROCESSED_BUCKET: Final = "PROCESSED_BUCKET"
ENV_METADATA_TABLE: Final = "METADATA_TABLE"
ENV_RENDITIONS: Final = "RENDITIONS"
ENV_MAX_OBJECT_BYTES: Final = "MAX_OBJECT_BYTES"
ENV_MAX_PIXELS: Final = "MAX_PIXELS"
# Below this much remaining time a record is not started; it is retried instead.
ENV_MIN_REMAINING_MS: Final = "MIN_REMAINING_MS"

# Object layout. Uploads arrive as uploads/{user_id}/{file name}.
UPLOAD_PREFIX: Final = "uploads/"
RENDITION_PREFIX: Final = "renditions/"

# Every rendition carries this tag; its value is the rendition's name. Lifecycle rules
# expire objects whose tag says thumbnail.
RENDITION_TAG_KEY: Final = "Type"
THUMBNAIL_TAG_VALUE: Final = "thumbnail"

# Metadata table schema.
TABLE_HASH_KEY: Final = "image_id"
USER_INDEX_NAME: Final = "user-uploads"
USER_INDEX_HASH_KEY: Final = "user_id"
USER_INDEX_RANGE_KEY: Final = "uploaded_at"

# Defaults when the environment does not say otherwise.
DEFAULT_MAX_OBJECT_BYTES: Final = 50 * 1024 * 1024
DEFAULT_MAX_PIXELS: Final = 50_000_000
DEFAULT_MIN_REMAINING_MS: Final = 10_000


class ImageStatus(StrEnum):
    """The ``status`` attribute of a metadata item: the outcome of the upload's latest version."""

    COMPLETED = "completed"  # every rendition is stored
    REJECTED = "rejected"  # the upload can never become renditions; ``reason`` says why
    FAILED = "failed"  # a transient error; Lambda retries the event, ``error_code`` says what
