"""The handler's environment, with the names in handlers.contract.

A pure function, so the ImagePipeline (via Output.apply) and the local demo build exactly the
same environment (both through ``components.image_pipeline.function_environment``).
"""

from collections.abc import Sequence

from handlers import contract
from handlers.imaging.renditions import RenditionSpec, renditions_to_json


def handler_environment(
    processed_bucket: str,
    metadata_table: str,
    *,
    renditions: Sequence[RenditionSpec],
    max_object_bytes: int,
    max_pixels: int,
    min_remaining_ms: int,
) -> dict[str, str]:
    return {
        contract.ENV_PROCESSED_BUCKET: processed_bucket,
        contract.ENV_METADATA_TABLE: metadata_table,
        contract.ENV_RENDITIONS: renditions_to_json(tuple(renditions)),
        contract.ENV_MAX_OBJECT_BYTES: str(max_object_bytes),
        contract.ENV_MAX_PIXELS: str(max_pixels),
        contract.ENV_MIN_REMAINING_MS: str(min_remaining_ms),
    }
