"""IAM policy documents as pure functions of resolved ARNs, so tests read them statement by statement."""

from dataclasses import dataclass
from typing import Any, Final

from handlers import contract

PolicyDocument = dict[str, Any]

# S3's own reference for DeleteObject and DeleteObjects (botocore's service model, Permissions): "you must
# always specify the s3:DeleteObject permission", and s3:DeleteObjectVersion "to delete a specific version".
VERSIONED_DELETE: Final = ("s3:DeleteObject", "s3:DeleteObjectVersion")


def deny_insecure_transport_policy(bucket_arn: str) -> PolicyDocument:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn, f"{bucket_arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }


def lambda_assume_role_policy() -> PolicyDocument:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }


@dataclass(frozen=True)
class ProcessorResources:
    """Resolved ARNs the image processor (or the reprocessing function, which runs the same code) touches."""

    upload_bucket_arn: str
    processed_bucket_arn: str
    log_group_arn: str
    table_arn: str
    # The on-failure destination of asynchronous invokes; None for the reprocessing function, which
    # S3 Batch Operations invokes synchronously.
    failure_queue_arn: str | None
    kms_key_arn: str | None
    tracing: bool
    in_vpc: bool = False
    # Reads only the version a request names (a Batch Operations manifest names one on every line); an S3
    # event from an unversioned bucket names none, and the processor then reads the current object.
    named_versions_only: bool = False


def processor_policy(r: ProcessorResources) -> PolicyDocument:
    """Exactly what the handler calls, on exactly its own resources.

    S3 and DynamoDB grants are proven against the calls the handler makes
    (tests/handler and tests/reprocess test_role_grants_match_calls.py); logs, SQS, KMS and X-Ray are
    used by Lambda on the function's behalf.
    """
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadUploads",
            "Effect": "Allow",
            # GetObjectVersion: the handler reads the version named in the event.
            "Action": ["s3:GetObjectVersion"] if r.named_versions_only else ["s3:GetObject", "s3:GetObjectVersion"],
            "Resource": f"{r.upload_bucket_arn}/{contract.UPLOAD_PREFIX}*",
        },
        {
            "Sid": "ListUploadsForMissingKeys",
            "Effect": "Allow",
            # Never called: with it S3 answers a read of a deleted upload with 404 NoSuchKey, which
            # the handler skips, instead of 403 AccessDenied, which would page on-call. The prefix
            # condition keeps the listing itself to uploads/.
            "Action": "s3:ListBucket",
            "Resource": r.upload_bucket_arn,
            "Condition": {"StringLike": {"s3:prefix": f"{contract.UPLOAD_PREFIX}*"}},
        },
        {
            "Sid": "WriteRenditions",
            "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:PutObjectTagging"],
            "Resource": f"{r.processed_bucket_arn}/{contract.RENDITION_PREFIX}*",
        },
        {
            "Sid": "RemoveRenditionsNoLongerMade",
            "Effect": "Allow",
            # DeleteObject without a version id: a delete marker, the bytes expire with noncurrent versions.
            "Action": "s3:DeleteObject",
            "Resource": f"{r.processed_bucket_arn}/{contract.RENDITION_PREFIX}*",
        },
        {
            "Sid": "RemoveWhatDeletedImagesLeft",
            "Effect": "Allow",
            # DeleteObjects by version id, for good: when the owner deleted the image (its tombstone), the
            # original version an event or task names and every version under the image's renditions
            # folder; when a reprocessed item went meanwhile, exactly the rendition versions it stored.
            # A versioned delete needs DeleteObject as well as DeleteObjectVersion (VERSIONED_DELETE).
            "Action": list(VERSIONED_DELETE),
            "Resource": [
                f"{r.upload_bucket_arn}/{contract.UPLOAD_PREFIX}*",
                f"{r.processed_bucket_arn}/{contract.RENDITION_PREFIX}*",
            ],
        },
        {
            "Sid": "ListDeletedImagesRenditions",
            "Effect": "Allow",
            # The versions under a deleted image's renditions folder, to delete them.
            "Action": "s3:ListBucketVersions",
            "Resource": r.processed_bucket_arn,
            "Condition": {"StringLike": {"s3:prefix": f"{contract.RENDITION_PREFIX}*"}},
        },
        write_own_logs(r.log_group_arn),
        {
            "Sid": "ImageMetadata",
            "Effect": "Allow",
            # The handler reads and conditionally writes one item per upload; it never queries the index.
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
            "Resource": r.table_arn,
        },
    ]
    if r.failure_queue_arn is not None:
        statements.append(
            {
                "Sid": "SendToFailureQueue",
                "Effect": "Allow",
                "Action": "sqs:SendMessage",
                "Resource": r.failure_queue_arn,
            }
        )
    statements += stack_grants(r.kms_key_arn, r.tracing, r.in_vpc)
    return {"Version": "2012-10-17", "Statement": statements}


@dataclass(frozen=True)
class ApiResources:
    """Resolved ARNs the image API function touches."""

    upload_bucket_arn: str
    processed_bucket_arn: str
    table_arn: str
    log_group_arn: str
    kms_key_arn: str | None
    tracing: bool
    in_vpc: bool = False


def api_policy(r: ApiResources) -> PolicyDocument:
    """Exactly what the API function calls or signs for, on the pipeline's own resources.

    IAM cannot narrow these to the caller's own prefixes: the role is the function's, shared by every
    caller, and the Cognito `sub` is not in its request context. The function itself scopes every
    key to `uploads/{sub}/` and `renditions/{sub}/` and checks the item's owner first.
    """
    uploads = f"{r.upload_bucket_arn}/{contract.UPLOAD_PREFIX}*"
    renditions = f"{r.processed_bucket_arn}/{contract.RENDITION_PREFIX}*"
    statements: list[dict[str, Any]] = [
        {
            "Sid": "SignUploads",
            "Effect": "Allow",
            # A presigned POST is performed with the signer's rights: the function's.
            "Action": "s3:PutObject",
            "Resource": uploads,
        },
        {
            "Sid": "SignRenditionDownloads",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": renditions,
        },
        {
            "Sid": "ListVersionsToDelete",
            "Effect": "Allow",
            "Action": "s3:ListBucketVersions",
            "Resource": [r.upload_bucket_arn, r.processed_bucket_arn],
            "Condition": {"StringLike": {"s3:prefix": [f"{contract.UPLOAD_PREFIX}*", f"{contract.RENDITION_PREFIX}*"]}},
        },
        {
            "Sid": "DeleteVersions",
            "Effect": "Allow",
            "Action": list(VERSIONED_DELETE),
            "Resource": [uploads, renditions],
        },
        {
            "Sid": "ImageMetadata",
            "Effect": "Allow",
            # DELETE puts a tombstone in the item's place (PutItem) or, for an id without an item, adds the
            # caller to one (UpdateItem); it never deletes the item (DynamoDB's TTL removes tombstones).
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
            "Resource": r.table_arn,
        },
        {
            "Sid": "ListOwnImages",
            "Effect": "Allow",
            "Action": "dynamodb:Query",
            "Resource": f"{r.table_arn}/index/{contract.USER_INDEX_NAME}",
        },
        write_own_logs(r.log_group_arn),
    ]
    statements += stack_grants(r.kms_key_arn, r.tracing, r.in_vpc)
    return {"Version": "2012-10-17", "Statement": statements}


@dataclass(frozen=True)
class CleanupResources:
    """Resolved ARNs the dev cleanup function touches."""

    upload_bucket_arn: str
    processed_bucket_arn: str
    table_arn: str
    log_group_arn: str
    kms_key_arn: str | None


def cleanup_policy(r: CleanupResources) -> PolicyDocument:
    """List and delete versions in the two buckets, scan and delete items in the table: nothing else."""
    buckets = [r.upload_bucket_arn, r.processed_bucket_arn]
    statements: list[dict[str, Any]] = [
        {"Sid": "ListVersions", "Effect": "Allow", "Action": "s3:ListBucketVersions", "Resource": buckets},
        {
            "Sid": "DeleteVersions",
            "Effect": "Allow",
            # DeleteObjects with a VersionId per key: every version and delete marker.
            "Action": list(VERSIONED_DELETE),
            "Resource": [f"{arn}/*" for arn in buckets],
        },
        {
            "Sid": "ExpireMetadata",
            "Effect": "Allow",
            "Action": ["dynamodb:Scan", "dynamodb:BatchWriteItem"],
            "Resource": r.table_arn,
        },
        write_own_logs(r.log_group_arn),
    ]
    if r.kms_key_arn is not None:
        statements.append(use_data_key(r.kms_key_arn, "kms:Decrypt"))
    return {"Version": "2012-10-17", "Statement": statements}


@dataclass(frozen=True)
class FormatterResources:
    """Resolved ARNs the alert formatter touches."""

    watched_log_group_arns: tuple[str, ...]
    topic_arns: tuple[str, ...]
    alerts_key_arn: str
    ledger_table_arn: str
    failure_queue_arn: str
    log_group_arn: str
    in_vpc: bool = False


def formatter_policy(r: FormatterResources) -> PolicyDocument:
    """Exactly what the formatter calls (tests/alerts/test_role_grants_match_calls.py), on its own resources."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadWatchedLogLines",
            "Effect": "Allow",
            "Action": "logs:FilterLogEvents",
            # The log-group resource; its ARN is written with and without the ":*" CloudWatch Logs appends
            # in DescribeLogGroups, so the grant holds whichever form the request is checked against.
            "Resource": [form for arn in r.watched_log_group_arns for form in (arn, f"{arn}:*")],
        },
        {
            "Sid": "ReadAlarmMetrics",
            "Effect": "Allow",
            "Action": "cloudwatch:GetMetricData",
            # GetMetricData supports no resource-level permissions: AWS accepts only "*" (Service
            # Authorization Reference, Amazon CloudWatch: no resource type for GetMetricData).
            "Resource": "*",
        },
        {"Sid": "PublishAlertEmails", "Effect": "Allow", "Action": "sns:Publish", "Resource": list(r.topic_arns)},
        {
            "Sid": "OneEmailPerStateChange",
            "Effect": "Allow",
            "Action": ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem"],
            "Resource": r.ledger_table_arn,
        },
        {
            "Sid": "SendToFailureQueue",
            "Effect": "Allow",
            # Lambda sends a notification the formatter gave up on, with the function's role.
            "Action": "sqs:SendMessage",
            "Resource": r.failure_queue_arn,
        },
        {
            "Sid": "UseAlertsKey",
            "Effect": "Allow",
            # Publishing to a topic under a customer key needs both (SNS, "Key management": publishers);
            # the ledger and the failure queue are under the same key.
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": r.alerts_key_arn,
        },
        write_own_logs(r.log_group_arn),
    ]
    if r.in_vpc:
        statements.append(_vpc_networking_statement())
    return {"Version": "2012-10-17", "Statement": statements}


def alert_queue_policy(queue_arn: str, topic_arns: list[str]) -> PolicyDocument:
    """The alert topics may drop what they could not deliver to the formatter into its failure queue."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AlertTopicsDeadLetters",
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": topic_arns}},
            }
        ],
    }


def scheduler_assume_role_policy(account_id: str) -> PolicyDocument:
    """EventBridge Scheduler, for this account's schedules only."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "scheduler.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            }
        ],
    }


def batch_operations_assume_role_policy(account_id: str) -> PolicyDocument:
    """S3 Batch Operations, for this account's jobs only.

    The principal is AWS's documented one (S3 User Guide, batch-ops-iam-role-policies, "Trust policy",
    which shows no condition at all). ``aws:SourceAccount`` keeps another account's jobs from using the
    role (IAM User Guide, "The confused deputy problem"). No ``aws:SourceArn``: AWS does not document
    that Batch Operations sends one when it assumes the role (a job's ARN,
    ``arn:aws:s3:{region}:{account}:job/{id}``, Service Authorization Reference, "Amazon S3"), and a
    condition on a key the service does not send refuses every job; the account already pins it to
    this account's jobs.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "batchoperations.s3.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            }
        ],
    }


@dataclass(frozen=True)
class ReprocessJobResources:
    """Resolved names of what a reprocessing job touches."""

    bucket_arn: str
    manifest_prefix: str
    report_prefix: str
    function_arn: str
    kms_key_arn: str | None


def reprocess_job_policy(r: ReprocessJobResources) -> PolicyDocument:
    """Read manifests and write reports under their prefixes, invoke the reprocessing function: nothing else.

    The S3 actions are the ones AWS lists for every Batch Operations job (S3 User Guide,
    batch-ops-iam-role-policies: GetObject and GetObjectVersion on the manifest, PutObject for the
    report); the job never touches the images itself, the function does, with its own role.
    """
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadManifests",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion"],
            "Resource": f"{r.bucket_arn}/{r.manifest_prefix}*",
        },
        {
            "Sid": "WriteReports",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": f"{r.bucket_arn}/{r.report_prefix}*",
        },
        {
            "Sid": "InvokeReprocessing",
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": r.function_arn,
        },
    ]
    if r.kms_key_arn is not None:
        # The bucket's default key (compliance mode): S3 decrypts a manifest and encrypts a report with it.
        statements.append(use_data_key(r.kms_key_arn, "kms:Decrypt", "kms:GenerateDataKey"))
    return {"Version": "2012-10-17", "Statement": statements}


def invoke_function_policy(function_arn: str) -> PolicyDocument:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "InvokeCleanup", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": function_arn}
        ],
    }


def api_gateway_logging_assume_role_policy() -> PolicyDocument:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "apigateway.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def stack_grants(kms_key_arn: str | None, tracing: bool, in_vpc: bool) -> list[dict[str, Any]]:
    """What a function of the pipeline needs from how the stack is set up: its data key, X-Ray, its VPC."""
    grants = [use_data_key(kms_key_arn, "kms:Decrypt", "kms:GenerateDataKey")] if kms_key_arn is not None else []
    if tracing:
        grants.append(_xray_statement())
    if in_vpc:
        grants.append(_vpc_networking_statement())
    return grants


def write_own_logs(log_group_arn: str) -> dict[str, Any]:
    """A function's own log group, and nothing else of CloudWatch Logs."""
    return {
        "Sid": "WriteOwnLogs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": f"{log_group_arn}:*",
    }


def use_data_key(key_arn: str, *actions: str) -> dict[str, Any]:
    """The customer key the function's data is encrypted with (S3 and DynamoDB use it on its behalf)."""
    return {"Sid": "UseDataKey", "Effect": "Allow", "Action": list(actions), "Resource": key_arn}


def _xray_statement() -> dict[str, Any]:
    return {
        "Sid": "XRayTraces",
        "Effect": "Allow",
        "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        # X-Ray has no resource-level permissions for these actions: AWS only accepts "*".
        "Resource": "*",
    }


def _vpc_networking_statement() -> dict[str, Any]:
    return {
        "Sid": "LambdaVpcNetworking",
        "Effect": "Allow",
        # Lambda creates and removes the function's network interfaces in its subnets; EC2 accepts
        # only "*" for these actions (what AWSLambdaVPCAccessExecutionRole grants).
        "Action": [
            "ec2:CreateNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeSubnets",
            "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses",
        ],
        "Resource": "*",
    }


def alarm_topic_key_policy(account_id: str) -> PolicyDocument:
    """The alert topics' KMS key: administered by the account, usable by CloudWatch alarms."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministers",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                # Key policies address only this key; "kms:*" here is AWS's documented default.
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "CloudWatchAlarmsEncrypt",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            },
            {
                "Sid": "AlertTopicsDeadLetters",
                "Effect": "Allow",
                # SNS writes what it could not deliver to the alert formatter into its failure queue, which
                # is under this key: "you must use a custom KMS with a key policy that grants the Amazon SNS
                # service principal access" (https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html).
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            },
        ],
    }


def alarm_topic_policy(topic_arn: str, account_id: str, region: str) -> PolicyDocument:
    """Only this account's CloudWatch alarms in this region may publish."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CloudWatchAlarmsPublish",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {
                    "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{region}:{account_id}:alarm:*"},
                    "StringEquals": {"aws:SourceAccount": account_id},
                },
            }
        ],
    }
