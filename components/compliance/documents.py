"""Key, role and bucket policy documents of compliance mode, as pure functions of resolved names."""

from dataclasses import dataclass
from typing import Any, Final

PolicyDocument = dict[str, Any]

# Key administration without use: the account's administrators manage the key, never read with it.
KEY_ADMIN_ACTIONS: Final = (
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
)
KEY_USE_ACTIONS: Final = ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey")
# The services that encrypt pipeline data with the data key on a caller's behalf.
DATA_SERVICES: Final = ("s3", "dynamodb", "sqs")


@dataclass(frozen=True)
class KeyScope:
    """Where a key lives and who may use it."""

    account_id: str
    region: str
    # Role name patterns (autonamed roles end in a random suffix) that may use the key through a service.
    user_roles: tuple[str, ...] = ()
    # Roles that may read (decrypt) through a service only, never write: the auditor.
    reader_roles: tuple[str, ...] = ()
    # Roles denied any use of the key, whatever else allows it: the operator.
    denied_roles: tuple[str, ...] = ()

    def role_arns(self, names: tuple[str, ...]) -> list[str]:
        return [f"arn:aws:iam::{self.account_id}:role/{name}" for name in names]


def _administer(scope: KeyScope) -> dict[str, Any]:
    return {
        "Sid": "AccountAdministersWithoutUse",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{scope.account_id}:root"},
        "Action": list(KEY_ADMIN_ACTIONS),
        "Resource": "*",
    }


def _via(scope: KeyScope, services: tuple[str, ...]) -> list[str]:
    return [f"{service}.{scope.region}.amazonaws.com" for service in services]


def data_key_policy(scope: KeyScope) -> PolicyDocument:
    """Buckets, table and failure queue: used by the pipeline's own roles through S3, DynamoDB and SQS only."""
    statements: list[dict[str, Any]] = [
        _administer(scope),
        {
            "Sid": "PipelineRolesUseThroughServices",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{scope.account_id}:root"},
            "Action": list(KEY_USE_ACTIONS),
            "Resource": "*",
            "Condition": {
                "ArnLike": {"aws:PrincipalArn": scope.role_arns(scope.user_roles)},
                "StringEquals": {"kms:ViaService": _via(scope, DATA_SERVICES)},
            },
        },
    ]
    if scope.reader_roles:
        statements.append(
            {
                "Sid": "AuditorReadsThroughServices",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{scope.account_id}:root"},
                "Action": ["kms:Decrypt", "kms:DescribeKey"],
                "Resource": "*",
                # Named in a condition, not as a principal: KMS refuses principals that do not exist
                # yet, and the roles are created after the key they read with.
                "Condition": {
                    "ArnEquals": {"aws:PrincipalArn": scope.role_arns(scope.reader_roles)},
                    "StringEquals": {"kms:ViaService": _via(scope, ("s3", "dynamodb"))},
                },
            }
        )
    if scope.denied_roles:
        statements.append(
            {
                "Sid": "OperatorNeverDecrypts",
                "Effect": "Deny",
                "Principal": "*",
                "Action": ["kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"],
                "Resource": "*",
                "Condition": {"ArnEquals": {"aws:PrincipalArn": scope.role_arns(scope.denied_roles)}},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def logs_key_policy(scope: KeyScope) -> PolicyDocument:
    """Every log group of the stack (and the VPC flow logs): used by CloudWatch Logs for this account only."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            _administer(scope),
            {
                "Sid": "CloudWatchLogsEncrypts",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{scope.region}.amazonaws.com"},
                "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                "Resource": "*",
                "Condition": {
                    # AWS's documented condition: only log groups of this account and region.
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": (
                            f"arn:aws:logs:{scope.region}:{scope.account_id}:log-group:*"
                        )
                    },
                    "StringEquals": {"aws:SourceAccount": scope.account_id},
                },
            },
        ],
    }


def bucket_compliance_statements(bucket_arn: str, account_id: str, data_key_arn: str) -> list[dict[str, Any]]:
    """Added to each bucket's TLS-only policy: the expected encryption only, and no one from outside."""
    objects = f"{bucket_arn}/*"
    return [
        {
            "Sid": "DenyOtherEncryption",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": objects,
            # A request without the header gets the bucket's default (this key); one that asks for
            # anything else is refused.
            "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}},
        },
        {
            "Sid": "DenyOtherKeys",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:PutObject",
            "Resource": objects,
            "Condition": {"StringNotEqualsIfExists": {"s3:x-amz-server-side-encryption-aws-kms-key-id": data_key_arn}},
        },
        {
            "Sid": "DenyOutsideAccount",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket_arn, objects],
            "Condition": {"StringNotEquals": {"aws:PrincipalAccount": account_id}},
        },
    ]


def assumable_with_mfa(principal_arns: list[str]) -> PolicyDocument:
    """Trust policy: only these principals, and only with MFA."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": principal_arns},
                "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
            }
        ],
    }


@dataclass(frozen=True)
class AuditScope:
    upload_bucket_arn: str
    processed_bucket_arn: str
    table_arn: str
    log_group_arns: tuple[str, ...]
    key_arns: tuple[str, ...]


def auditor_policy(s: AuditScope) -> PolicyDocument:
    """Read data, metadata and logs; explicit denies on every write, delete and key administration."""
    buckets = [s.upload_bucket_arn, s.processed_bucket_arn]
    objects = [f"{arn}/*" for arn in buckets]
    tables = [s.table_arn, f"{s.table_arn}/index/*"]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadData",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging"],
                "Resource": objects,
            },
            {
                "Sid": "ListData",
                "Effect": "Allow",
                "Action": [
                    "s3:ListBucket",
                    "s3:ListBucketVersions",
                    "s3:GetBucketPolicy",
                    "s3:GetEncryptionConfiguration",
                ],
                "Resource": buckets,
            },
            {
                "Sid": "ReadMetadata",
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:DescribeTable"],
                "Resource": tables,
            },
            {
                "Sid": "ReadLogs",
                "Effect": "Allow",
                "Action": ["logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "logs:DescribeLogStreams"],
                "Resource": [f"{arn}:*" for arn in s.log_group_arns],
            },
            {
                "Sid": "QueryResults",
                "Effect": "Allow",
                # Logs Insights results and the log group list have no resource-level permissions.
                "Action": ["logs:GetQueryResults", "logs:DescribeLogGroups"],
                "Resource": "*",
            },
            {
                "Sid": "DenyWrites",
                "Effect": "Deny",
                "Action": [
                    "s3:Put*",
                    "s3:Delete*",
                    "s3:Restore*",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:BatchWriteItem",
                    "dynamodb:DeleteTable",
                    "dynamodb:UpdateTable",
                    "logs:Delete*",
                    "logs:Put*",
                    "logs:CreateLogStream",
                ],
                "Resource": "*",
            },
            {
                "Sid": "DenyKeyAdministration",
                "Effect": "Deny",
                "Action": [
                    action
                    for action in KEY_ADMIN_ACTIONS
                    if not action.startswith(("kms:Describe", "kms:List", "kms:Get"))
                ],
                "Resource": list(s.key_arns),
            },
        ],
    }


def operator_denies(data_key_arn: str, upload_bucket_arn: str, processed_bucket_arn: str) -> PolicyDocument:
    """On top of PowerUserAccess: the operator deploys and configures, but never reads data."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "NeverDecryptData",
                "Effect": "Deny",
                "Action": ["kms:Decrypt", "kms:ReEncrypt*"],
                "Resource": data_key_arn,
            },
            {
                "Sid": "NeverReadImages",
                "Effect": "Deny",
                "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                "Resource": [f"{upload_bucket_arn}/*", f"{processed_bucket_arn}/*"],
            },
        ],
    }


def flow_logs_assume_role_policy(account_id: str) -> PolicyDocument:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            }
        ],
    }


def flow_logs_policy(log_group_arn: str) -> PolicyDocument:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DeliverFlowLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                "Resource": f"{log_group_arn}:*",
            }
        ],
    }
