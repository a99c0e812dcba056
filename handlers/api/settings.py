"""The API function's environment, read into a frozen ``ApiSettings`` with errors that name the variable.

Its own reader, not ``handlers.edge.settings``: that one parses renditions through the image core,
which imports Pillow.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from handlers import contract
from handlers.api.identity import is_safe_user_id
from handlers.environment import SettingsError, SettingsReader, positive, required

# SigV4 presigned URLs live at most 7 days.
MAX_URL_TTL_SECONDS: Final = 7 * 24 * 3600
# Every variable load_api_settings reads (api_settings hands it no other).
API_ENVIRONMENT: Final = (
    contract.ENV_UPLOAD_BUCKET,
    contract.ENV_PROCESSED_BUCKET,
    contract.ENV_METADATA_TABLE,
    contract.ENV_MAX_OBJECT_BYTES,
    contract.ENV_URL_TTL_SECONDS,
    contract.ENV_CORS_ORIGINS,
    contract.ENV_ANONYMOUS_USER,
)


@dataclass(frozen=True)
class ApiSettings:
    upload_bucket: str
    processed_bucket: str
    metadata_table: str
    max_object_bytes: int
    url_ttl_seconds: int
    cors_origins: frozenset[str]
    anonymous_user: str | None


def load_api_settings(environ: Mapping[str, str]) -> ApiSettings:
    ttl = positive(environ, contract.ENV_URL_TTL_SECONDS, contract.DEFAULT_URL_TTL_SECONDS)
    if ttl > MAX_URL_TTL_SECONDS:
        raise SettingsError(f"{contract.ENV_URL_TTL_SECONDS} must be at most {MAX_URL_TTL_SECONDS}, got {ttl}")
    return ApiSettings(
        upload_bucket=required(environ, contract.ENV_UPLOAD_BUCKET, "the bucket uploads go to"),
        processed_bucket=required(environ, contract.ENV_PROCESSED_BUCKET, "the bucket renditions are in"),
        metadata_table=required(environ, contract.ENV_METADATA_TABLE, "the DynamoDB table of image metadata"),
        max_object_bytes=positive(environ, contract.ENV_MAX_OBJECT_BYTES, contract.DEFAULT_MAX_OBJECT_BYTES),
        url_ttl_seconds=ttl,
        cors_origins=_origins(environ),
        anonymous_user=_anonymous_user(environ),
    )


# What a request reads: parsed on the container's first request, again only if the environment changes.
api_settings: Final = SettingsReader(API_ENVIRONMENT, load_api_settings)


def _origins(environ: Mapping[str, str]) -> frozenset[str]:
    raw = environ.get(contract.ENV_CORS_ORIGINS, "").strip()
    if not raw:
        return frozenset()
    try:
        origins = json.loads(raw)
    except json.JSONDecodeError:
        raise SettingsError(f"{contract.ENV_CORS_ORIGINS} must be a JSON list of origins, got {raw!r}") from None
    if not isinstance(origins, list) or not all(isinstance(o, str) and o and o != "*" for o in origins):
        raise SettingsError(f"{contract.ENV_CORS_ORIGINS} must be a JSON list of exact origins (no '*'), got {raw!r}")
    return frozenset(origins)


def _anonymous_user(environ: Mapping[str, str]) -> str | None:
    raw = environ.get(contract.ENV_ANONYMOUS_USER, "")
    if not raw:
        return None
    if not is_safe_user_id(raw):
        raise SettingsError(f"{contract.ENV_ANONYMOUS_USER} must be usable as one key part, got {raw!r}")
    return raw
