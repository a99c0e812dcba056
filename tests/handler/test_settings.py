"""The function's environment: defaults, and errors that name the variable."""

from collections.abc import Mapping

import pytest

from handlers import contract
from handlers.edge.settings import Settings, load_settings
from handlers.environment import SettingsError, SettingsReader
from handlers.imaging.fingerprint import rendering_fingerprint
from handlers.imaging.renditions import DEFAULT_RENDITIONS, OutputFormat, RenditionSpec
from handlers.imaging.types import Limits

REQUIRED = {contract.ENV_PROCESSED_BUCKET: "processed", contract.ENV_METADATA_TABLE: "images"}


def test_only_bucket_and_table_are_required() -> None:
    assert load_settings(REQUIRED) == Settings(
        processed_bucket="processed",
        metadata_table="images",
        renditions=DEFAULT_RENDITIONS,
        limits=Limits(max_bytes=contract.DEFAULT_MAX_OBJECT_BYTES, max_pixels=contract.DEFAULT_MAX_PIXELS),
        min_remaining_ms=contract.DEFAULT_MIN_REMAINING_MS,
        fingerprint=rendering_fingerprint(DEFAULT_RENDITIONS),
    )


def test_every_variable_is_read() -> None:
    # GIVEN every variable set
    environ = {
        **REQUIRED,
        contract.ENV_RENDITIONS: '[{"name": "square", "width": 64, "height": 64, "formats": ["webp"]}]',
        contract.ENV_MAX_OBJECT_BYTES: "1000",
        contract.ENV_MAX_PIXELS: "2000",
        contract.ENV_MIN_REMAINING_MS: "3000",
    }
    # WHEN read
    settings = load_settings(environ)
    # THEN each one is used
    assert settings.renditions == (RenditionSpec("square", 64, 64, (OutputFormat.WEBP,)),)
    assert settings.limits == Limits(max_bytes=1000, max_pixels=2000)
    assert settings.min_remaining_ms == 3000
    # AND the fingerprint is that of the renditions read, not the defaults
    assert (
        settings.fingerprint == rendering_fingerprint(settings.renditions) != rendering_fingerprint(DEFAULT_RENDITIONS)
    )


@pytest.mark.parametrize("missing", [contract.ENV_PROCESSED_BUCKET, contract.ENV_METADATA_TABLE])
def test_missing_required_variable_is_named(missing: str) -> None:
    environ = {k: v for k, v in REQUIRED.items() if k != missing}
    with pytest.raises(SettingsError, match=f"^{missing} is not set"):
        load_settings(environ)


@pytest.mark.parametrize("value", ["ten", "0", "-5", "1.5"])
def test_limit_that_is_not_a_positive_whole_number_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match=f"^{contract.ENV_MAX_PIXELS} must be a positive whole number"):
        load_settings({**REQUIRED, contract.ENV_MAX_PIXELS: value})


def test_invalid_renditions_document_is_refused_with_the_parsers_reason() -> None:
    environ = {**REQUIRED, contract.ENV_RENDITIONS: '[{"name": "x", "width": 0, "height": 10}]'}
    with pytest.raises(SettingsError, match=rf"^{contract.ENV_RENDITIONS} is invalid: .*width must be"):
        load_settings(environ)


def test_settings_are_parsed_once_while_the_environment_stays_the_same() -> None:

    loads: list[dict[str, str]] = []

    def load(environ: Mapping[str, str]) -> int:
        loads.append(dict(environ))
        return len(loads)

    read = SettingsReader(["A", "B"], load)
    # GIVEN one container's environment, WHEN three invocations read their settings
    environ = {"A": "1", "B": "2", "UNRELATED": "x"}
    assert [read(environ), read(environ), read({**environ, "UNRELATED": "y"})] == [1, 1, 1]
    # THEN it was parsed once, from the variables it names only; a change of one of them reads again
    assert loads == [{"A": "1", "B": "2"}]
    assert read({**environ, "B": "3"}) == 2


def test_a_settings_error_is_not_remembered() -> None:

    calls = 0

    def load(environ: Mapping[str, str]) -> str:
        nonlocal calls
        calls += 1
        raise SettingsError("broken")

    read = SettingsReader(["A"], load)
    for _ in range(2):
        with pytest.raises(SettingsError):
            read({"A": "1"})
    assert calls == 2
