"""Every public component checks its own inputs where they arrive, with one error naming the component,
its resource name, the field, what was given and what is allowed.

The cases are the ones a new user hit (issue 14, "Why"), each with its exact message; then the same
through the provider, as another language sends them (camelCase, every number a float).
"""

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from components.compliance.access_roles import AccessRoles, AccessRolesArgs
from components.compliance.network import PrivateNetwork, PrivateNetworkArgs
from components.image_api import ImageApi, ImageApiArgs
from components.image_pipeline import ImagePipeline, ImagePipelineArgs
from components.inputs import InputError
from components.monitoring.alarms import Alarms, AlarmsArgs
from components.monitoring.alerting_sns import AlertingSNS, AlertingSNSArgs
from components.monitoring.catalogue import CONFIGURABLE_THRESHOLDS
from components.monitoring.pipeline_monitoring import PipelineMonitoring, PipelineMonitoringArgs
from components.secure_bucket import SecureBucket
from offline.package_schema import package_provider
from offline.runtime import Evaluation, run_under_mocks
from tests.infra.sample_inputs import EMAIL, KEY, SERVED, WATCHED, watched_less


def pipeline(**args: Any) -> Callable[[], object]:
    return lambda: ImagePipeline("p", ImagePipelineArgs(**args))  # type: ignore[typeddict-item]


def alerting(**args: Any) -> Callable[[], object]:
    return lambda: AlertingSNS("a", AlertingSNSArgs(**args))  # type: ignore[typeddict-item]


def monitoring(**args: Any) -> Callable[[], object]:
    return lambda: PipelineMonitoring("m", PipelineMonitoringArgs(**args))  # type: ignore[typeddict-item]


def api(**args: Any) -> Callable[[], object]:
    return lambda: ImageApi("api", ImageApiArgs(**{**SERVED, **args}))  # type: ignore[typeddict-item]


# (what a user wrote, the one error it gets)
REFUSED: dict[str, tuple[Callable[[], object], str]] = {
    "a bare string for a list of emails": (
        alerting(critical_emails=EMAIL),
        "AlertingSNS 'a': critical_emails must be a list of strings; got 'oncall@example.com' (a string)",
    ),
    "memory as text": (
        pipeline(memory_mb="512"),
        "ImagePipeline 'p': memory_mb must be a whole number; got '512' (a string)",
    ),
    "memory beyond Lambda's": (
        pipeline(memory_mb=100000),
        "ImagePipeline 'p': memory_mb must be a whole number from 128 to 10240; got 100000 (a whole number)",
    ),
    "a negative transition": (
        pipeline(ia_transition_days=-1),
        "ImagePipeline 'p': ia_transition_days must be 0 (never) or at least 30 (S3's minimum before STANDARD_IA); "
        "got -1 (a whole number)",
    ),
    "a malformed email address": (
        alerting(critical_emails=["not-an-email"]),
        "AlertingSNS 'a': critical_emails[0] must be an email address like oncall@example.com; "
        "got 'not-an-email' (a string)",
    ),
    "an SMS number that is not E.164": (
        alerting(critical_sms=["0123"]),
        "AlertingSNS 'a': critical_sms[0] must be a phone number in E.164 form like +15551234567; "
        "got '0123' (a string)",
    ),
    "an empty email list": (
        alerting(performance_emails=[]),
        "AlertingSNS 'a': performance_emails must be a non-empty list of email addresses like oncall@example.com; "
        "got [] (a list)",
    ),
    "the same address twice": (
        alerting(log_alerts_emails=[EMAIL, EMAIL]),
        "AlertingSNS 'a': log_alerts_emails[1] must be a non-empty list of email addresses like "
        "oncall@example.com without repeats; got 'oncall@example.com' (a string)",
    ),
    "a misspelt input": (
        pipeline(memmory_mb=512),
        "ImagePipeline 'p': memmory_mb must be an input of ImagePipelineArgs (did you mean memory_mb?); "
        "got 512 (a whole number)",
    ),
    "a missing monitoring input": (
        monitoring(**watched_less("log_group_name")),
        "PipelineMonitoring 'm': log_group_name must be given (a string); got nothing",
    ),
    "a timeout as text": (
        monitoring(**WATCHED, timeout_seconds="60"),
        "PipelineMonitoring 'm': timeout_seconds must be a whole number; got '60' (a string)",
    ),
    "no args at all": (
        lambda: SecureBucket("b", None),  # type: ignore[arg-type]
        "SecureBucket 'b': args must be a mapping of inputs (SecureBucketArgs); got nothing",
    ),
    "a name prefix S3 cannot take": (
        pipeline(name_prefix="Photos_Prod"),
        "ImagePipeline 'p': name_prefix must be lower-case letters, digits and '-', starting with a letter, "
        "at most 35 characters; got 'Photos_Prod' (a string)",
    ),
    "a name prefix too long for the function's role": (
        pipeline(name_prefix="a" * 36),
        "ImagePipeline 'p': name_prefix must be lower-case letters, digits and '-', starting with a letter, "
        f"at most 35 characters; got '{'a' * 36}' (a string)",
    ),
    "a rendition with a misspelt field": (
        pipeline(renditions=[{"name": "thumb", "width": 64, "hieght": 64}]),
        "ImagePipeline 'p': renditions[0].hieght must be an input of RenditionArgs (did you mean height?); "
        "got 64 (a whole number)",
    ),
    "a rendition too large": (
        pipeline(renditions=[{"name": "huge", "width": 64000, "height": 64}]),
        "ImagePipeline 'p': renditions must be a non-empty list of renditions (docs: RenditionArgs) "
        "(renditions[0] (huge): width must be a whole number from 1 to 4096, got 64000); "
        "got [{'name': 'huge', 'width': 64000, 'height': 64}] (a list)",
    ),
    "subnets without security groups": (
        pipeline(subnet_ids=["subnet-0123456789abcdef0"]),
        "ImagePipeline 'p': security_group_ids must be given with subnet_ids (a function in a VPC needs its "
        "security groups); got nothing",
    ),
    "a remaining-time floor above the timeout": (
        pipeline(timeout_seconds=5, min_remaining_ms=5000),
        "ImagePipeline 'p': min_remaining_ms must be less than the function's timeout (5000 ms): no record would "
        "ever start; got 5000 (a whole number)",
    ),
    "a pixel cap the function's memory cannot decode": (
        pipeline(memory_mb=256, max_pixels=50_000_000),
        "ImagePipeline 'p': max_pixels must be at most 0 for memory_mb 256 and max_object_bytes 52428800 "
        "(50000000 pixels need 1109 MB of function memory: raise memory_mb or lower a cap); "
        "got 50000000 (a whole number)",
    ),
    "the 0.1.0 default memory with the default caps": (
        pipeline(memory_mb=1024),
        "ImagePipeline 'p': max_pixels must be at most 45044047 for memory_mb 1024 and max_object_bytes 52428800 "
        "(50000000 pixels need 1109 MB of function memory: raise memory_mb or lower a cap); "
        "got 50000000 (a whole number)",
    ),
    "an API timeout API Gateway would not wait for": (
        api(timeout_seconds=60),
        "ImageApi 'api': timeout_seconds must be a whole number from 1 to 29; got 60 (a whole number)",
    ),
    "any origin": (
        api(cors_origins=["*"]),
        "ImageApi 'api': cors_origins[0] must be an exact origin like https://app.example.com (no path, not '*'); "
        "got '*' (a string)",
    ),
    "an unknown alarm threshold": (
        monitoring(**WATCHED, alarm_thresholds={"error-rates": 5}),
        "PipelineMonitoring 'm': alarm_thresholds['error-rates'] must be an alarm with a threshold (did you mean "
        f"error-rate? alarms: {', '.join(sorted(CONFIGURABLE_THRESHOLDS))}); got 'error-rates' (a string)",
    ),
    "silence alarms with nothing to gate them": (
        lambda: Alarms(
            "al",
            AlarmsArgs(
                namespace="web/prod",
                **watched_less("upload_bucket_name", "log_group_name"),  # type: ignore[typeddict-item]
                expect_traffic=True,
            ),
        ),
        "Alarms 'al': upload_bucket_name must be given with expect_traffic (its request metrics gate "
        "the silence alarms); got nothing",
    ),
    "subnets that are not subnet IDs": (
        pipeline(subnet_ids="subnet-0123456789abcdef0", security_group_ids=["sg-0123456789abcdef0"]),
        "ImagePipeline 'p': subnet_ids must be a list of strings; got 'subnet-0123456789abcdef0' (a string)",
    ),
    "a duty role nobody may assume": (
        lambda: AccessRoles(
            "ar",
            AccessRolesArgs(
                auditor_principals=["arn:aws:iam::123456789012:role/auditors"],
                operator_principals=[],
                upload_bucket_arn=SERVED["upload_bucket_arn"],
                processed_bucket_arn=SERVED["processed_bucket_arn"],
                table_arn=SERVED["table_arn"],
                log_group_arns=[],
                data_key_arn=KEY,
                logs_key_arn=KEY,
            ),
        ),
        "AccessRoles 'ar': operator_principals must be a non-empty list of IAM principal ARNs like "
        "arn:aws:iam::123456789012:role/auditors; got [] (a list)",
    ),
    "more zones than the range has subnets for": (
        lambda: PrivateNetwork(
            "n",
            PrivateNetworkArgs(
                logs_key_arn="arn:aws:kms:eu-west-1:123456789012:key/k", cidr_block="10.0.0.0/19", availability_zones=3
            ),
        ),
        "PrivateNetwork 'n': availability_zones must be at most 2: the range holds 2 /20 subnets; "
        "got 3 (a whole number)",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_bad_input_is_refused_with_one_message_that_names_it(case: str) -> None:
    create, message = REFUSED[case]
    with pytest.raises(InputError) as refused:
        run_under_mocks(create)
    assert str(refused.value) == message


def test_a_formatter_wired_to_topics_whose_emails_are_not_composed_is_refused() -> None:
    # GIVEN alert topics that send CloudWatch's own text to their email recipients (no composed_emails)
    def create() -> None:
        alerting = AlertingSNS("a", AlertingSNSArgs(critical_emails=[EMAIL]))
        # WHEN monitoring is asked to compose emails for them too
        PipelineMonitoring(
            "m",
            PipelineMonitoringArgs(
                **WATCHED,  # type: ignore[typeddict-item]
                alerts_key_arn=alerting.key_arn,
                raw_alerts_topic_arn=alerting.raw_topic_arn,
            ),
        )

    # THEN it is refused when the topic resolves: every recipient would get every alert twice
    with pytest.raises(
        Exception, match=r"PipelineMonitoring 'm': raw_alerts_topic_arn must be the direct topic of an "
    ):
        run_under_mocks(create)


def test_a_refused_input_creates_nothing() -> None:
    # Checked before the component registers: no half-made component is left in the stack.
    registered: list[object] = []

    def create() -> None:
        try:
            ImagePipeline("p", ImagePipelineArgs(memory_mb=64))
        except InputError as exc:
            registered.append(exc)

    ev = run_under_mocks(create)
    assert ev.resources == []
    assert len(registered) == 1


def test_an_output_is_checked_when_it_resolves() -> None:
    def create() -> None:
        ImagePipeline("p", ImagePipelineArgs(kms_key_arn=pulumi.Output.from_input("my-key")))

    with pytest.raises(Exception, match=r"ImagePipeline 'p': kms_key_arn must be a KMS key ARN like "):
        run_under_mocks(create)


def test_a_good_output_resolves_to_its_value() -> None:
    arn = "arn:aws:kms:eu-west-1:123456789012:key/1234"
    ev = run_under_mocks(lambda: ImagePipeline("p", ImagePipelineArgs(kms_key_arn=pulumi.Output.from_input(arn))))
    queue = ev.one("aws:sqs/queue:Queue").inputs
    assert queue["kmsMasterKeyId"] == arn


# --- the same through the provider, as another language sends inputs ---


def construct(component: str, inputs: dict[str, Any]) -> Evaluation:
    provider = package_provider()
    return run_under_mocks(lambda: provider.construct("web", f"imagepipe:index:{component}", inputs, None))


def test_a_whole_number_sent_as_a_float_is_taken_as_that_number() -> None:
    ev = construct("ImagePipeline", {"memoryMb": 2048.0, "timeoutSeconds": 30.0})
    function = ev.one("aws:lambda/function:Function", "imagepipe-dev-web-image-processor").inputs
    assert (function["memorySize"], function["timeout"]) == (2048, 30)


def test_a_fraction_for_a_whole_number_is_refused_through_the_provider() -> None:
    with pytest.raises(Exception, match=r"ImagePipeline 'web': memory_mb must be a whole number; got 512\.5"):
        construct("ImagePipeline", {"memoryMb": 512.5})


def test_a_bare_string_for_a_list_is_refused_through_the_provider() -> None:
    with pytest.raises(Exception, match=r"AlertingSNS 'web': critical_emails must be a list of strings; got 'a@b\.co'"):
        construct("AlertingSNS", {"criticalEmails": "a@b.co"})


def test_out_of_range_is_refused_through_the_provider() -> None:
    with pytest.raises(Exception, match=r"ImagePipeline 'web': memory_mb must be a whole number from 128 to 10240"):
        construct("ImagePipeline", {"memoryMb": 100000})
