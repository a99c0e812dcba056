"""The cleanup's environment: every setting required, errors that name the variable, no age below a day."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from handlers import contract
from handlers.cleanup.errors import SettingsError
from handlers.cleanup.settings import MAX_AGE_DAYS_LIMIT, CleanupSettings, load_cleanup_settings

ENVIRON = {
    contract.ENV_UPLOAD_BUCKET: "uploads",
    contract.ENV_PROCESSED_BUCKET: "processed",
    contract.ENV_METADATA_TABLE: "images",
    contract.ENV_CLEANUP_MAX_AGE_DAYS: "7",
}


def test_every_variable_is_read() -> None:
    assert load_cleanup_settings(ENVIRON) == CleanupSettings(
        upload_bucket="uploads", processed_bucket="processed", metadata_table="images", max_age_days=7
    )


@pytest.mark.parametrize("missing", sorted(ENVIRON))
def test_a_missing_variable_is_named(missing: str) -> None:
    # GIVEN one variable unset, or blank
    for environ in ({k: v for k, v in ENVIRON.items() if k != missing}, {**ENVIRON, missing: "  "}):
        # WHEN read THEN the error names it
        with pytest.raises(SettingsError, match=f"^{missing} is not set"):
            load_cleanup_settings(environ)


@pytest.mark.parametrize("raw", ["seven", "1.5", "7d", "0x10"])
def test_a_max_age_that_is_not_a_whole_number_of_days_is_named(raw: str) -> None:
    with pytest.raises(SettingsError, match=f"^MAX_AGE_DAYS must be a whole number of days, got '{re.escape(raw)}'"):
        load_cleanup_settings({**ENVIRON, contract.ENV_CLEANUP_MAX_AGE_DAYS: raw})


@pytest.mark.parametrize("raw", ["0", "-1", "-30"])
def test_a_max_age_below_one_day_is_refused(raw: str) -> None:
    with pytest.raises(SettingsError, match=f"^MAX_AGE_DAYS must be at least 1, got {raw}: refusing"):
        load_cleanup_settings({**ENVIRON, contract.ENV_CLEANUP_MAX_AGE_DAYS: raw})


def test_settings_made_in_code_refuse_an_age_below_one_day_too() -> None:
    with pytest.raises(SettingsError, match=r"^MAX_AGE_DAYS must be at least 1, got 0"):
        CleanupSettings(upload_bucket="u", processed_bucket="p", metadata_table="t", max_age_days=0)


def test_a_max_age_beyond_the_sanity_limit_is_refused() -> None:
    too_many = str(MAX_AGE_DAYS_LIMIT + 1)
    with pytest.raises(SettingsError, match=f"^MAX_AGE_DAYS must be at most {MAX_AGE_DAYS_LIMIT}, got {too_many}"):
        load_cleanup_settings({**ENVIRON, contract.ENV_CLEANUP_MAX_AGE_DAYS: too_many})


def test_the_cutoff_is_the_age_before_now() -> None:
    now = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)
    assert load_cleanup_settings(ENVIRON).cutoff(now) == now - timedelta(days=7)


def test_a_clock_without_a_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        load_cleanup_settings(ENVIRON).cutoff(datetime(2026, 3, 14, 9, 26, 53))
