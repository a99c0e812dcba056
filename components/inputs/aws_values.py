"""Rules for values whose shape AWS defines, shared by every component that takes them."""

from typing import Final

from components.inputs.rules import Rule, each, matches, one_of

# The values CloudWatch Logs accepts for retentionInDays (PutRetentionPolicy).
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
LOG_RETENTION_DAYS: Final = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip
log_retention_days: Final = one_of(*LOG_RETENTION_DAYS, noun="a retention CloudWatch Logs accepts")

kms_key_arn: Final = matches(
    r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+", "a KMS key ARN like arn:aws:kms:REGION:ACCOUNT:key/ID"
)
iam_principal_arn: Final = matches(
    r"arn:aws[a-z-]*:(iam::\d{12}:(root|user/.+|role/.+)|sts::\d{12}:assumed-role/.+)",
    "an IAM principal ARN like arn:aws:iam::123456789012:role/auditors",
)
# Tag keys 1-128 and values 0-256 characters, at most 50 tags per resource.
# https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
MAX_TAGS: Final = 50


def _tags_fit(value: object) -> bool:
    if not isinstance(value, dict) or len(value) > MAX_TAGS:
        return False
    return all(
        isinstance(k, str) and isinstance(v, str) and 1 <= len(k) <= 128 and len(v) <= 256 and not k.startswith("aws:")
        for k, v in value.items()
    )


tags: Final = Rule(
    f"at most {MAX_TAGS} tags, keys of 1-128 characters not starting with aws:, values of at most 256", _tags_fit
)
subnet_ids: Final = each(matches(r"subnet-[0-9a-f]{8,17}", "a subnet ID like subnet-0123456789abcdef0"))
security_group_ids: Final = each(matches(r"sg-[0-9a-f]{8,17}", "a security group ID like sg-0123456789abcdef0"))
layer_version_arn: Final = matches(
    r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]{1,140}:\d+",
    "a Lambda layer version ARN like arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION",
)
# The largest object one PUT or browser POST uploads (5 GiB).
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html
S3_MAX_SINGLE_UPLOAD_BYTES: Final = 5 * 1024**3
s3_bucket_arn: Final = matches(
    r"arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "an S3 bucket ARN like arn:aws:s3:::NAME"
)
dynamodb_table_arn: Final = matches(
    r"arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table/[A-Za-z0-9_.-]{3,255}",
    "a DynamoDB table ARN like arn:aws:dynamodb:REGION:ACCOUNT:table/NAME",
)
user_pool_id: Final = matches(
    r"[a-z]{2}(-[a-z]+)+-[0-9]_[0-9A-Za-z]+", "a Cognito user pool ID like eu-west-1_AbC123def"
)
sns_topic_arn: Final = matches(
    r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}",
    "an SNS topic ARN like arn:aws:sns:REGION:ACCOUNT:NAME",
)
