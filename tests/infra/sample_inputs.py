"""Inputs the component tests hand in where the test is not about them: what monitoring watches, the
pipeline's buckets and table an API or cleanup serves, a KMS key."""

from typing import Any, Final

EMAIL: Final = "oncall@example.com"
KEY: Final = "arn:aws:kms:eu-west-1:123456789012:key/k"
# PipelineMonitoring's required inputs (Alarms takes them less log_group_name and upload_bucket_name).
WATCHED: Final[dict[str, Any]] = {
    "function_name": "fn",
    "log_group_name": "/aws/lambda/fn",
    "failure_queue_name": "fn-failures",
    "upload_bucket_name": "uploads",
    "critical_topic_arn": "arn:aws:sns:eu-west-1:123456789012:critical",
    "performance_topic_arn": "arn:aws:sns:eu-west-1:123456789012:performance",
    "log_alerts_topic_arn": "arn:aws:sns:eu-west-1:123456789012:log-alerts",
}
# ImageApi's and DevCleanup's required inputs.
SERVED: Final[dict[str, Any]] = {
    "upload_bucket_name": "uploads",
    "upload_bucket_arn": "arn:aws:s3:::uploads",
    "processed_bucket_name": "processed",
    "processed_bucket_arn": "arn:aws:s3:::processed",
    "table_name": "images",
    "table_arn": "arn:aws:dynamodb:eu-west-1:123456789012:table/images",
}


def watched_less(*fields: str) -> dict[str, Any]:
    """WATCHED without some of its fields."""
    return {name: value for name, value in WATCHED.items() if name not in fields}
