"""The handler's environment, derived from the stack config with the names in handlers.contract.

A pure function so the ImagePipeline (via Output.apply) and the local demo build exactly the
same environment.
"""

from components.config import ProcessingConfig
from handlers import contract
from handlers.imaging.renditions import renditions_to_json


def handler_environment(processed_bucket: str, metadata_table: str, processing: ProcessingConfig) -> dict[str, str]:
    return {
        contract.ENV_PROCESSED_BUCKET: processed_bucket,
        contract.ENV_METADATA_TABLE: metadata_table,
        contract.ENV_RENDITIONS: renditions_to_json(processing.renditions),
        contract.ENV_MAX_OBJECT_BYTES: str(processing.max_object_bytes),
        contract.ENV_MAX_PIXELS: str(processing.max_pixels),
        contract.ENV_MIN_REMAINING_MS: str(processing.min_remaining_ms),
    }
