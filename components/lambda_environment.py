"""Every function's environment, with the names in handlers.contract: one builder per function.

Pure functions of resolved values, so the components (inside Output.apply) and the local demo build
exactly the same environment.
"""

import json
from collections.abc import Sequence

from handlers import contract
from handlers.imaging.renditions import RenditionSpec, renditions_to_json


def processor_environment(
    processed_bucket: str,
    metadata_table: str,
    *,
    renditions: Sequence[RenditionSpec],
    max_object_bytes: int,
    max_pixels: int,
    min_remaining_ms: int,
) -> dict[str, str]:
    """The image processor's."""
    return {
        contract.ENV_PROCESSED_BUCKET: processed_bucket,
        contract.ENV_METADATA_TABLE: metadata_table,
        contract.ENV_RENDITIONS: renditions_to_json(tuple(renditions)),
        contract.ENV_MAX_OBJECT_BYTES: str(max_object_bytes),
        contract.ENV_MAX_PIXELS: str(max_pixels),
        contract.ENV_MIN_REMAINING_MS: str(min_remaining_ms),
    }


def api_environment(
    upload_bucket: str,
    processed_bucket: str,
    metadata_table: str,
    *,
    max_object_bytes: int,
    url_ttl_seconds: int,
    cors_origins: Sequence[str],
    anonymous_user: str | None,
) -> dict[str, str]:
    """The image API's; ``anonymous_user`` only where the API runs without an authorizer."""
    environment = {
        contract.ENV_UPLOAD_BUCKET: upload_bucket,
        contract.ENV_PROCESSED_BUCKET: processed_bucket,
        contract.ENV_METADATA_TABLE: metadata_table,
        contract.ENV_MAX_OBJECT_BYTES: str(max_object_bytes),
        contract.ENV_URL_TTL_SECONDS: str(url_ttl_seconds),
        contract.ENV_CORS_ORIGINS: json.dumps(list(cors_origins)),
    }
    if anonymous_user is not None:
        environment[contract.ENV_ANONYMOUS_USER] = anonymous_user
    return environment


def cleanup_environment(
    upload_bucket: str, processed_bucket: str, metadata_table: str, *, max_age_days: int
) -> dict[str, str]:
    """The dev cleanup's."""
    return {
        contract.ENV_UPLOAD_BUCKET: upload_bucket,
        contract.ENV_PROCESSED_BUCKET: processed_bucket,
        contract.ENV_METADATA_TABLE: metadata_table,
        contract.ENV_CLEANUP_MAX_AGE_DAYS: str(max_age_days),
    }
