"""The function's environment, read into a frozen ``Settings`` with errors that name the variable."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from handlers import contract
from handlers.environment import SettingsError, SettingsReader, positive, required
from handlers.imaging.fingerprint import rendering_fingerprint
from handlers.imaging.renditions import (
    DEFAULT_RENDITIONS,
    RenditionSpec,
    RenditionSpecError,
    renditions_from_json,
)
from handlers.imaging.types import Limits

# Every variable load_settings reads (processor_settings hands it no other).
PROCESSOR_ENVIRONMENT: Final = (
    contract.ENV_PROCESSED_BUCKET,
    contract.ENV_METADATA_TABLE,
    contract.ENV_RENDITIONS,
    contract.ENV_MAX_OBJECT_BYTES,
    contract.ENV_MAX_PIXELS,
    contract.ENV_MIN_REMAINING_MS,
)


@dataclass(frozen=True)
class Settings:
    processed_bucket: str
    metadata_table: str
    renditions: tuple[RenditionSpec, ...]
    limits: Limits
    min_remaining_ms: int
    # What these renditions and this image core make: stored on every completed item.
    fingerprint: str


def load_settings(environ: Mapping[str, str]) -> Settings:
    raw_renditions = environ.get(contract.ENV_RENDITIONS, "").strip()
    try:
        renditions = renditions_from_json(raw_renditions) if raw_renditions else DEFAULT_RENDITIONS
    except RenditionSpecError as exc:
        raise SettingsError(f"{contract.ENV_RENDITIONS} is invalid: {exc}") from None
    return Settings(
        processed_bucket=required(environ, contract.ENV_PROCESSED_BUCKET, "the bucket renditions are written to"),
        metadata_table=required(environ, contract.ENV_METADATA_TABLE, "the DynamoDB table of image metadata"),
        renditions=renditions,
        limits=Limits(
            max_bytes=positive(environ, contract.ENV_MAX_OBJECT_BYTES, contract.DEFAULT_MAX_OBJECT_BYTES),
            max_pixels=positive(environ, contract.ENV_MAX_PIXELS, contract.DEFAULT_MAX_PIXELS),
        ),
        min_remaining_ms=positive(environ, contract.ENV_MIN_REMAINING_MS, contract.DEFAULT_MIN_REMAINING_MS),
        fingerprint=rendering_fingerprint(renditions),
    )


# What an invocation reads: parsed (renditions JSON included) once per container, again only if the
# environment changes.
processor_settings: Final = SettingsReader(PROCESSOR_ENVIRONMENT, load_settings)
