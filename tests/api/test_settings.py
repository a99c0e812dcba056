"""The API function's environment: defaults, and a misconfiguration named by its variable."""

import pytest

from handlers import contract
from handlers.api.settings import MAX_URL_TTL_SECONDS, ApiSettings, load_api_settings
from handlers.environment import SettingsError

REQUIRED = {
    contract.ENV_UPLOAD_BUCKET: "uploads",
    contract.ENV_PROCESSED_BUCKET: "processed",
    contract.ENV_METADATA_TABLE: "images",
}


def test_only_the_buckets_and_table_are_required() -> None:
    assert load_api_settings(REQUIRED) == ApiSettings(
        upload_bucket="uploads",
        processed_bucket="processed",
        metadata_table="images",
        max_object_bytes=contract.DEFAULT_MAX_OBJECT_BYTES,
        url_ttl_seconds=contract.DEFAULT_URL_TTL_SECONDS,
        cors_origins=frozenset(),
        anonymous_user=None,
    )


def test_stack_values_are_read() -> None:
    settings = load_api_settings(
        {
            **REQUIRED,
            contract.ENV_MAX_OBJECT_BYTES: "1000",
            contract.ENV_URL_TTL_SECONDS: "60",
            contract.ENV_CORS_ORIGINS: '["https://app.example.com", "http://localhost:5173"]',
            contract.ENV_ANONYMOUS_USER: "demo-user",
        }
    )
    assert (settings.max_object_bytes, settings.url_ttl_seconds) == (1000, 60)
    assert settings.cors_origins == {"https://app.example.com", "http://localhost:5173"}
    assert settings.anonymous_user == "demo-user"


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_missing_required_variable_is_named(name: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_api_settings({k: v for k, v in REQUIRED.items() if k != name})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (contract.ENV_URL_TTL_SECONDS, "0"),
        (contract.ENV_URL_TTL_SECONDS, str(MAX_URL_TTL_SECONDS + 1)),  # SigV4 URLs live at most 7 days
        (contract.ENV_URL_TTL_SECONDS, "five minutes"),
        (contract.ENV_MAX_OBJECT_BYTES, "-1"),
        (contract.ENV_CORS_ORIGINS, "https://app.example.com"),
        (contract.ENV_CORS_ORIGINS, '["*"]'),
        (contract.ENV_CORS_ORIGINS, '{"origin": "https://app.example.com"}'),
        (contract.ENV_ANONYMOUS_USER, "../someone"),
    ],
)
def test_invalid_value_is_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_api_settings({**REQUIRED, name: value})
