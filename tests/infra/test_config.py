"""The stack config: every bad value stops the program with one message naming the key.

Each key is declared once, on the field it fills; the tests at the end check that parsing, the
README's table and the type checker all see every field through exactly that one declaration.
"""

import re
import types
from collections import Counter
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Literal, Union, get_args, get_origin, get_type_hints

import pytest
from mypy import api as mypy_api

from handlers.imaging.renditions import DEFAULT_RENDITIONS, OutputFormat
from offline.config_table import render_config_table
from program.config import (
    KEY_FIELDS,
    KEYS,
    ROOT,
    STACKS,
    ConfigError,
    StackConfig,
    load_stack_file,
    parse_config,
    stack_file_values,
)
from program.config_keys import Listed, key, read_section, section
from program.config_values import integer

MINIMAL = {"costCenter": "cc-1", "alertEmail": "oncall@example.com"}


def parse(**overrides: str) -> object:
    return parse_config({**MINIMAL, **overrides}, stack="dev")


def error_for(**overrides: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(**overrides)
    return caught.value


def test_minimal_config_takes_seed_defaults() -> None:
    config = parse_config(MINIMAL, stack="dev")
    assert (config.function.memory_mb, config.function.timeout_s) == (1152, 60)
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
    assert str(error) == f"imagepipe:memoryMb must be a whole number from 128 to 10240, got {value}"


@pytest.mark.parametrize("value", ["0", "-5"])
def test_non_positive_timeout_is_refused(value: str) -> None:
    assert (
        str(error_for(timeoutSeconds=value))
        == f"imagepipe:timeoutSeconds must be a whole number from 1 to 900, got {value}"
    )


def test_timeout_over_900_seconds_is_refused() -> None:
    assert (
        str(error_for(timeoutSeconds="901")) == "imagepipe:timeoutSeconds must be a whole number from 1 to 900, got 901"
    )


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


@pytest.mark.parametrize("key", ["thumbnailExpirationDays", "noncurrentExpirationDays", "abortMultipartDays"])
def test_lifecycle_day_count_below_one_is_refused(key: str) -> None:
    assert str(error_for(**{key: "0"})) == f"imagepipe:{key} must be a whole number of at least 1, got 0"


@pytest.mark.parametrize("days", ["1", "29", "-1"])
def test_a_standard_ia_transition_before_s3s_minimum_of_30_days_is_refused(days: str) -> None:
    assert str(error_for(iaTransitionDays=days)) == (
        f"imagepipe:iaTransitionDays must be 0 (never) or at least 30 (S3's minimum before STANDARD_IA), got {days}"
    )


def test_an_ia_transition_of_zero_days_means_never() -> None:
    config = parse_config({**MINIMAL, "iaTransitionDays": "0"}, stack="dev")
    assert config.storage.ia_transition_days == 0


def test_reserved_concurrency_of_zero_is_refused_because_it_stops_the_function() -> None:
    assert "must be -1 (unreserved) or at least 1, got 0" in str(error_for(reservedConcurrency="0"))


def test_retries_above_lambda_maximum_are_refused() -> None:
    assert (
        str(error_for(maxRetryAttempts="3")) == "imagepipe:maxRetryAttempts must be a whole number from 0 to 2, got 3"
    )


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
    assert str(error).startswith(
        "imagepipe:alarmThresholds['error-rates'] must be an alarm with a threshold (did you mean error-rate? "
        "alarms: alert-formatter-errors, alert-formatter-failures, api-4xx-spike,"
    )


def test_negative_alarm_threshold_is_refused() -> None:
    assert str(error_for(alarmThresholds='{"error-rate": -1}')) == (
        "imagepipe:alarmThresholds['error-rate'] must be a number of at least 0, got -1"
    )


def test_alarm_thresholds_override_by_alarm_id() -> None:
    config = parse_config({**MINIMAL, "alarmThresholds": '{"error-rate": 2.5}'}, "dev")
    assert config.alerting.alarm_thresholds == {"error-rate": 2.5}


def test_tier_emails_for_an_unknown_tier_are_refused() -> None:
    error = error_for(tierEmails='{"pager": ["a@example.com"]}')
    assert str(error) == "imagepipe:tierEmails has unknown tier 'pager'; tiers: critical, performance, log-alerts"


def test_malformed_tier_email_is_refused() -> None:
    assert "must be an email address" in str(error_for(tierEmails='{"critical": ["pager"]}'))


def test_no_traffic_window_outside_5_to_1440_minutes_is_refused() -> None:
    assert (
        str(error_for(noTrafficMinutes="2"))
        == "imagepipe:noTrafficMinutes must be a whole number from 5 to 1440, got 2"
    )


# --- one declaration per key: parsing, the README table and the types all derive from it ---

# The StackConfig fields parse_config is handed rather than reads from a key.
GIVEN = {"project", "stack"}
KEYS_BY_NAME = {k.name: k for k in KEYS}


def section_classes() -> list[type]:
    """StackConfig and the sections it holds, found from its type hints (not from the key declarations)."""
    held = [hint for hint in get_type_hints(StackConfig).values() if isinstance(hint, type) and is_dataclass(hint)]
    return [StackConfig, *held]


def test_every_value_field_of_every_section_is_filled_by_exactly_one_key() -> None:
    # GIVEN every field of every section that holds a value (not a section, not handed in)
    value_fields = Counter(
        (cls, f.name)
        for cls in section_classes()
        for f in fields(cls)
        if f.name not in GIVEN and f.type not in section_classes()
    )
    # WHEN the key declarations are collected
    filled = Counter((kf.section, kf.attribute) for kf in KEY_FIELDS)
    # THEN each such field is filled by one key, and no key fills anything else
    assert filled == value_fields
    assert set(filled.values()) == {1}


def test_every_key_fills_exactly_one_field_and_is_listed_once() -> None:
    names = Counter(kf.key.name for kf in KEY_FIELDS)
    assert [name for name, count in names.items() if count > 1] == []
    assert Counter(k.name for k in KEYS) == names


def test_readme_table_has_one_row_per_declared_key_made_from_its_declaration() -> None:
    # GIVEN the rendered table's key rows (after the header and separator, before the end marker)
    rows = render_config_table().splitlines()[3:-1]
    # THEN each row is one key, in KEYS order, with the declaration's type, default and meaning
    assert len(rows) == len(KEY_FIELDS)
    for row, k in zip(rows, KEYS, strict=True):
        name, type_text, default, *_stacks, meaning = row[2:-2].split(" | ")
        assert (name, type_text, meaning) == (f"`imagepipe:{k.name}`", k.type, k.meaning)
        if k.shown_default is not None:
            assert default == k.shown_default
        elif k.default is None:
            assert default == "(required)"
        else:
            assert default.startswith("`") and default.endswith("`")


def test_readme_lists_keys_by_listing_then_in_the_order_they_are_read() -> None:
    # GIVEN the order parse_config reads keys in (field order)
    read_order = [kf.key.name for kf in KEY_FIELDS]
    # THEN the README lists the FIRST keys, then the rest in that order, then the LAST
    assert [k.name for k in KEYS] == sorted(read_order, key=lambda n: (KEYS_BY_NAME[n].listed, read_order.index(n)))
    assert [k.name for k in KEYS if k.listed is Listed.FIRST] == ["costCenter", "alertEmail", "criticalSms"]
    assert [k.name for k in KEYS if k.listed is Listed.LAST] == ["kmsKeyArn"]


def test_only_cost_center_and_alert_email_are_required() -> None:
    assert {k.name for k in KEYS if k.default is None} == {"costCenter", "alertEmail"}


@pytest.mark.parametrize(
    ("name", "meaning"),
    [("costCenter", "CostCenter tag on every resource"), ("alertEmail", "email that receives every alert tier")],
)
def test_an_unset_required_key_is_named_with_its_meaning_and_how_to_set_it(name: str, meaning: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({k: v for k, v in MINIMAL.items() if k != name}, "dev")
    assert str(caught.value) == f"imagepipe:{name} is required ({meaning}); set it with `pulumi config set {name} ...`"


def test_unknown_key_message_lists_every_declared_key_alphabetically() -> None:
    known = ", ".join(sorted(k.name for k in KEYS))
    assert known.startswith("abortMultipartDays, alarmThresholds, alertEmail, apiAuthorizer, apiCorsOrigins,")
    assert str(error_for(memoryMB="2048")) == f"imagepipe:memoryMB is not a known key; known keys: {known}"


def test_with_several_bad_values_the_first_read_is_reported() -> None:
    # GIVEN a bad value in the function section and one in the alerting section
    error = error_for(alarmThresholds='{"error-rate": -1}', memoryMb="1")
    # THEN the function section's, read first, is the one reported
    assert error.key == "memoryMb"


def test_default_renditions_are_the_renditions_keys_ordinary_default() -> None:
    renditions = KEYS_BY_NAME["renditions"]
    assert renditions.default is not None
    assert renditions.parse("renditions", renditions.default) == DEFAULT_RENDITIONS
    assert renditions.shown_default == "3 renditions (below)"


def conforms(value: object, hint: object) -> bool:
    """Whether value has the annotated type (the annotations StackConfig's sections use)."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        return any(conforms(value, arg) for arg in args)
    if origin is Literal:
        return value in args
    if origin is tuple and args[1:] == (Ellipsis,):
        return isinstance(value, tuple) and all(conforms(item, args[0]) for item in value)
    if origin is Mapping:
        return isinstance(value, Mapping) and all(
            conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items()
        )
    if hint is type(None):
        return value is None
    if hint in (bool, int, float, str):
        return type(value) is hint  # a bool is not an int here, nor an int a float
    if isinstance(hint, type):
        return isinstance(value, hint)
    raise AssertionError(f"no check for annotation {hint!r}")


ARN = "arn:aws:kms:eu-west-1:123456789012:key/abc"
CONFIGS = {
    "defaults": lambda: parse_config(MINIMAL, "dev"),
    "dev": lambda: load_stack_file("dev"),
    "prod": lambda: load_stack_file("prod"),
    "every optional value set": lambda: parse_config(
        {
            **MINIMAL,
            "kmsKeyArn": ARN,
            "reservedConcurrency": "3",
            "criticalSms": '["+15555550100"]',
            "tierEmails": '{"critical": ["pager@example.com"]}',
            "alarmThresholds": '{"error-rate": 2}',
        },
        "dev",
    ),
}


@pytest.mark.parametrize("which", CONFIGS)
def test_every_parsed_field_has_its_declared_type(which: str) -> None:
    # GIVEN a parsed config and each of its sections
    config = CONFIGS[which]()
    instances: dict[type, object] = {StackConfig: config}
    instances.update({type(v): v for f in fields(config) if is_dataclass(v := getattr(config, f.name))})
    # THEN every field a key fills holds a value of the field's annotated type
    for kf in KEY_FIELDS:
        value = getattr(instances[kf.section], kf.attribute)
        hint = get_type_hints(kf.section)[kf.attribute]
        assert conforms(value, hint), f"{kf.section.__name__}.{kf.attribute} = {value!r} is not a {hint}"


@section
class Probe:
    size: int = key("size", "int", "3", "a probe's size", integer)
    label: str


def test_a_section_is_read_from_its_keys_and_the_values_handed_in() -> None:
    assert read_section(Probe, {"size": "5"}, label="x") == Probe(size=5, label="x")
    assert read_section(Probe, {}, label="x").size == 3


def test_a_field_neither_declared_with_a_key_nor_a_section_nor_handed_in_is_refused() -> None:
    with pytest.raises(TypeError, match=r"Probe\.label is neither a key, a section, nor given"):
        read_section(Probe, {"size": "5"})


TYPED_PROBE = """\
from program.config_keys import key, section


def parse_count(key: str, raw: str) -> int:
    return int(raw)


def parse_limit(key: str, raw: str) -> int | None:
    return None if raw == "-1" else int(raw)


@section
class Limits:
    count: int = key("count", "int", "1", "a count", parse_count)
    limit: int = key("limit", "int", "-1", "a limit", parse_limit)
    optional_limit: int | None = key("optionalLimit", "int", "-1", "a limit", parse_limit)


Limits(count=1, optional_limit=None)
"""


def test_the_type_checker_refuses_a_key_whose_parser_does_not_return_its_fields_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a section whose `limit` field is an int but whose parser may return None
    probe = tmp_path / "probe.py"
    probe.write_text(TYPED_PROBE)
    monkeypatch.chdir(ROOT)
    # WHEN mypy checks it as it checks this repository
    report, _, _ = mypy_api.run(["--strict", "--no-incremental", "--cache-dir", "/dev/null", str(probe)])
    # THEN exactly that field is refused, and keys count as required arguments (they have no default)
    errors = {int(line) for line in re.findall(r"probe\.py:(\d+): error:", report)}
    expected = {n for n, line in enumerate(TYPED_PROBE.splitlines(), 1) if line.startswith(("    limit:", "Limits("))}
    assert errors == expected, report
    assert 'expression has type "int | None", variable has type "int"' in report
    assert 'Missing positional argument "limit"' in report


# --- the image API ---


def test_api_authorizer_is_cognito_or_none() -> None:
    assert str(error_for(apiAuthorizer="iam")) == "imagepipe:apiAuthorizer must be one of cognito, none, got 'iam'"


def test_a_malformed_user_pool_id_is_refused() -> None:
    assert "must be a Cognito user pool ID like eu-west-1_AbC123def, got 'pool-1'" in str(
        error_for(apiUserPoolId="pool-1")
    )


def test_throttling_must_be_positive() -> None:
    assert str(error_for(apiThrottleRate="0")) == "imagepipe:apiThrottleRate must be a number from 1 to 10000, got 0"


def test_a_dev_stack_may_run_the_api_without_sign_in() -> None:
    config = parse_config({**MINIMAL, "apiAuthorizer": "none"}, stack="dev")
    assert config.api.authorizer == "none"


def test_no_stack_may_allow_any_origin() -> None:
    # The ImageApi component's rule: '*' would let any site drive a signed-in user's browser against the API.
    assert str(error_for(apiCorsOrigins='["*"]')).startswith("imagepipe:apiCorsOrigins[0] must be an exact origin")


def test_a_pixel_cap_the_functions_memory_cannot_decode_is_refused_naming_both_keys() -> None:
    assert str(error_for(memoryMb="256")) == (
        "imagepipe:maxPixels must be at most 0 for memoryMb 256 and maxObjectBytes 52428800 (50000000 pixels "
        "need 1109 MB of function memory: raise memoryMb or lower a cap), got 50000000"
    )


def test_a_smaller_pixel_cap_fits_a_smaller_function() -> None:
    config = parse_config({**MINIMAL, "memoryMb": "512", "maxPixels": "14000000"}, stack="dev")
    assert (config.function.memory_mb, config.processing.max_pixels) == (512, 14_000_000)
