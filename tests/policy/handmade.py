"""Hand-made resources that meet the guard rails, shaped as the components make them; tests break one thing.

Props are camelCase as the engine sends them. A `...stack` builder returns PolicyResources for stack
policies; the others return props for `engine.resource_args`.
"""

import json
from collections.abc import Mapping
from typing import Any

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from components.image_pipeline import HANDLER as PROCESSOR_HANDLER
from policy.imagepipe_policies import resource_types as t
from tests.policy.engine import stack_resource

ACCOUNT = "123456789012"
UNKNOWN = UNKNOWN_STRING_VALUE
"""What a preview sends for a string computed from a resource not created yet."""
KEY_ARN = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/data-key-id"
TOPIC_ARN = f"arn:aws:sns:eu-west-1:{ACCOUNT}:alerts-critical"


def bucket_arn(name: str) -> str:
    return f"arn:aws:s3:::{name}"


def function_arn(name: str) -> str:
    return f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:{name}"


def document(*statements: Mapping[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def deny_insecure_transport(bucket: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn(bucket), f"{bucket_arn(bucket)}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def bucket_parts(bucket: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """What SecureBucket makes, by role: (type, props as a stack policy sees them)."""
    return {
        "bucket": (t.BUCKETS[0], {"bucket": bucket, "arn": bucket_arn(bucket), "forceDestroy": False}),
        "public_access": (
            t.PUBLIC_ACCESS_BLOCK,
            {
                "bucket": bucket,
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
        ),
        "encryption": (
            t.BUCKET_ENCRYPTION[0],
            {"bucket": bucket, "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
        ),
        "policy": (t.BUCKET_POLICY, {"bucket": bucket, "policy": document(deny_insecure_transport(bucket))}),
        "versioning": (t.BUCKET_VERSIONING[0], {"bucket": bucket, "versioningConfiguration": {"status": "Enabled"}}),
        "lifecycle": (
            t.BUCKET_LIFECYCLE[0],
            {
                "bucket": bucket,
                "rules": [
                    {
                        "id": "expire-noncurrent-versions",
                        "status": "Enabled",
                        "filter": {"prefix": ""},
                        "noncurrentVersionExpiration": {"noncurrentDays": 30},
                    },
                    {
                        "id": "abort-incomplete-multipart-uploads",
                        "status": "Enabled",
                        "filter": {"prefix": ""},
                        "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7},
                    },
                ],
            },
        ),
    }


# Named as SecureBucket names its children.
_SUFFIXES = {
    "public_access": "public-access",
    "encryption": "encryption",
    "policy": "tls-only",
    "versioning": "versioning",
    "lifecycle": "lifecycle",
}


def bucket_stack(bucket: str = "photos", **changes: Mapping[str, Any] | None) -> list[PolicyResource]:
    """A bucket and its companions; `role=props` replaces a companion's props, `role=None` leaves it out."""
    parts = bucket_parts(bucket)
    built: list[PolicyResource] = []
    for role, (type_, props) in parts.items():
        if role in changes and changes[role] is None:
            continue
        name = bucket if role == "bucket" else f"{bucket}-{_SUFFIXES[role]}"
        built.append(stack_resource(type_, changes.get(role) or props, name))
    return built


def role_policy(*statements: Mapping[str, Any]) -> dict[str, Any]:
    return {"role": "image-processor-role", "policy": document(*statements)}


def function(name: str = "image-processor", **props: Any) -> dict[str, Any]:
    return {
        "name": name,
        "arn": function_arn(name),
        "handler": PROCESSOR_HANDLER,
        "runtime": "python3.12",
        "loggingConfig": {"logFormat": "JSON", "logGroup": f"/aws/lambda/{name}"},
        **props,
    }


def s3_triggered_stack(
    invoke_config: Mapping[str, Any] | None, **function_props: Any
) -> tuple[PolicyResource, list[PolicyResource]]:
    """The pipeline's function, the upload bucket's notification and (unless None) the function's async config."""
    fn = stack_resource(t.FUNCTION, function(**function_props), "image-processor")
    notification = stack_resource(
        t.BUCKET_NOTIFICATION,
        {
            "bucket": "uploads",
            "lambdaFunctions": [
                {"lambdaFunctionArn": function_arn("image-processor"), "events": ["s3:ObjectCreated:*"]}
            ],
        },
        "uploads-notification",
    )
    resources = [fn, notification]
    if invoke_config is not None:
        resources.append(stack_resource(t.INVOKE_CONFIG, invoke_config, "image-processor-async"))
    return fn, resources


def failure_destination(function_name: str = "image-processor", retries: int = 2) -> dict[str, Any]:
    return {
        "functionName": function_name,
        "maximumRetryAttempts": retries,
        "destinationConfig": {"onFailure": {"destination": f"arn:aws:sqs:eu-west-1:{ACCOUNT}:failures"}},
    }


def schedule(target: str, name: str = "cleanup-schedule") -> PolicyResource:
    return stack_resource(
        t.SCHEDULE,
        {"scheduleExpression": "cron(30 21 * * ? *)", "target": {"arn": target, "roleArn": "scheduler-role"}},
        name,
    )


def metric_alarm(name: str, actions: bool = True, **props: Any) -> PolicyResource:
    notify = {"alarmActions": [TOPIC_ARN], "okActions": [TOPIC_ARN]} if actions else {}
    return stack_resource(
        t.METRIC_ALARM,
        {"name": name, "arn": f"arn:aws:cloudwatch:eu-west-1:{ACCOUNT}:alarm:{name}", **notify, **props},
        name,
    )


def composite_alarm(name: str, rule: str, actions: bool = True) -> PolicyResource:
    notify = {"alarmActions": [TOPIC_ARN], "okActions": [TOPIC_ARN]} if actions else {}
    return stack_resource(
        t.COMPOSITE_ALARM,
        {"alarmName": name, "alarmRule": rule, "arn": f"arn:aws:cloudwatch:eu-west-1:{ACCOUNT}:alarm:{name}", **notify},
        name,
    )
