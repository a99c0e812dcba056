"""The stack config: every bad value stops the program with one message naming the key."""

import pytest

from components.config import (
    KEYS,
    STACKS,
    ConfigError,
    load_stack_file,
    parse_config,
    stack_file_values,
)
from handlers.imaging.renditions import DEFAULT_RENDITIONS, OutputFormat

MINIMAL = {"costCenter": "cc-1", "alertEmail": "oncall@example.com"}


def parse(**overrides: str) -> object:
    return parse_config({**MINIMAL, **overrides}, stack="dev")


def error_for(**overrides: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(**overrides)
    return caught.value


def test_minimal_config_takes_seed_defaults() -> None:
    config = parse_config(MINIMAL, stack="dev")
    assert (config.function.memory_mb, config.function.timeout_s) == (1024, 60)
    assert config.function.log_retention_days == 7
    assert config.processing.renditions == DEFAULT_RENDITIONS
    assert config.storage.ia_transition_days == 30
    assert config.storage.thumbnail_expiration_days == 90
    assert config.storage.abort_multipart_days == 7
    assert config.storage.force_destroy is False


def test_missing_alert_email_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"imagepipe:alertEmail is required"):
        parse_config({"costCenter": "cc"}, stack="dev")


@pytest.mark.parametrize("email", ["oncall", "oncall@", "@example.com", "on call@example.com", "a@b"])
def test_malformed_alert_email_is_refused(email: str) -> None:
    error = error_for(alertEmail=email)
    assert error.key == "alertEmail"
    assert "must be an email address" in str(error)


@pytest.mark.parametrize("value", ["0", "-128"])
def test_non_positive_memory_is_refused(value: str) -> None:
    error = error_for(memoryMb=value)
    assert str(error) == f"imagepipe:memoryMb must be from 128 to 10240, got {value}"


@pytest.mark.parametrize("value", ["0", "-5"])
def test_non_positive_timeout_is_refused(value: str) -> None:
    assert str(error_for(timeoutSeconds=value)) == f"imagepipe:timeoutSeconds must be from 1 to 900, got {value}"


def test_timeout_over_900_seconds_is_refused() -> None:
    assert str(error_for(timeoutSeconds="901")) == "imagepipe:timeoutSeconds must be from 1 to 900, got 901"


def test_timeout_of_900_seconds_is_allowed() -> None:
    assert parse_config({**MINIMAL, "timeoutSeconds": "900"}, "dev").function.timeout_s == 900


def test_non_numeric_memory_is_refused() -> None:
    assert str(error_for(memoryMb="lots")) == "imagepipe:memoryMb must be a whole number, got 'lots'"


def test_unknown_architecture_is_refused() -> None:
    assert str(error_for(architecture="arm")) == "imagepipe:architecture must be one of arm64, x86_64, got 'arm'"


@pytest.mark.parametrize("days", ["2", "10", "366", "0"])
def test_log_retention_cloudwatch_does_not_accept_is_refused(days: str) -> None:
    error = error_for(logRetentionDays=days)
    assert error.key == "logRetentionDays"
    assert "must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30," in str(error)


def test_rendition_with_zero_size_is_refused() -> None:
    error = error_for(renditions='[{"name": "thumb", "width": 0, "height": 150}]')
    assert str(error) == (
        "imagepipe:renditions is invalid: renditions[0] (thumb): width must be a whole number from 1 to 4096, got 0"
    )


def test_rendition_with_unknown_format_is_refused() -> None:
    error = error_for(renditions='[{"name": "thumb", "width": 150, "height": 150, "formats": ["gif"]}]')
    assert str(error) == (
        "imagepipe:renditions is invalid: renditions[0] (thumb): unknown format 'gif' in formats; "
        "allowed: jpeg, webp, png"
    )


def test_renditions_that_are_not_json_are_refused() -> None:
    assert "imagepipe:renditions must be a list of rendition objects" in str(error_for(renditions="thumb:150"))


def test_duplicate_rendition_names_are_refused() -> None:
    twice = '[{"name": "a", "width": 1, "height": 1}, {"name": "a", "width": 2, "height": 2}]'
    assert "duplicate names ['a']" in str(error_for(renditions=twice))


def test_renditions_from_config_are_parsed_into_specs() -> None:
    config = parse_config(
        {**MINIMAL, "renditions": '[{"name": "card", "width": 640, "height": 480, "formats": ["webp"]}]'},
        "dev",
    )
    (card,) = config.processing.renditions
    assert (card.name, card.width, card.height, card.formats) == ("card", 640, 480, (OutputFormat.WEBP,))


@pytest.mark.parametrize(
    "key",
    ["iaTransitionDays", "thumbnailExpirationDays", "noncurrentExpirationDays", "abortMultipartDays"],
)
def test_lifecycle_day_count_below_one_is_refused(key: str) -> None:
    assert str(error_for(**{key: "0"})) == f"imagepipe:{key} must be at least 1, got 0"


def test_reserved_concurrency_of_zero_is_refused_because_it_stops_the_function() -> None:
    assert "must be -1 (unreserved) or at least 1, got 0" in str(error_for(reservedConcurrency="0"))


def test_retries_above_lambda_maximum_are_refused() -> None:
    assert str(error_for(maxRetryAttempts="3")) == "imagepipe:maxRetryAttempts must be from 0 to 2, got 3"


def test_sms_number_not_in_e164_is_refused() -> None:
    assert "E.164" in str(error_for(criticalSms='["555-0100"]'))


def test_kms_key_that_is_not_an_arn_is_refused() -> None:
    assert "must be a KMS key ARN" in str(error_for(kmsKeyArn="my-key"))


def test_boolean_that_is_not_true_or_false_is_refused() -> None:
    assert str(error_for(forceDestroy="yes")) == "imagepipe:forceDestroy must be true or false, got 'yes'"


def test_unknown_key_is_refused_so_typos_do_not_pass_silently() -> None:
    error = error_for(memoryMB="2048")
    assert error.key == "memoryMB"
    assert "is not a known key" in str(error)


@pytest.mark.parametrize("stack", STACKS)
def test_every_key_is_set_in_each_stack_file(stack: str) -> None:
    assert set(stack_file_values(stack)) == {k.name for k in KEYS}


@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_file_is_valid(stack: str) -> None:
    config = load_stack_file(stack)
    assert config.stack == stack


def test_dev_may_destroy_buckets_and_prod_may_not() -> None:
    assert load_stack_file("dev").storage.force_destroy is True
    assert load_stack_file("prod").storage.force_destroy is False


def test_alarm_threshold_for_an_unknown_alarm_is_refused() -> None:
    error = error_for(alarmThresholds='{"error-rates": 5}')
    assert error.key == "alarmThresholds"
    assert "has unknown alarm 'error-rates'; alarms with a threshold: concurrency," in str(error)


def test_negative_alarm_threshold_is_refused() -> None:
    assert "error-rate must be a number of at least 0, got -1" in str(error_for(alarmThresholds='{"error-rate": -1}'))


def test_alarm_thresholds_override_by_alarm_id() -> None:
    config = parse_config({**MINIMAL, "alarmThresholds": '{"error-rate": 2.5}'}, "dev")
    assert config.alerting.alarm_thresholds == {"error-rate": 2.5}


def test_tier_emails_for_an_unknown_tier_are_refused() -> None:
    error = error_for(tierEmails='{"pager": ["a@example.com"]}')
    assert str(error) == "imagepipe:tierEmails has unknown tier 'pager'; tiers: critical, performance, log-alerts"


def test_malformed_tier_email_is_refused() -> None:
    assert "must be an email address" in str(error_for(tierEmails='{"critical": ["pager"]}'))


def test_no_traffic_window_outside_5_to_1440_minutes_is_refused() -> None:
    assert str(error_for(noTrafficMinutes="2")) == "imagepipe:noTrafficMinutes must be from 5 to 1440, got 2"
