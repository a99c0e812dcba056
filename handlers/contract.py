"""The contract between the Lambda runtime and the infrastructure that configures it.

Every environment variable, key prefix, tag and table attribute that both the handler and
``components/`` need is named here once.
"""

from enum import StrEnum
from typing import Final

# Environment variables the function reads.
ENV_PROCESSED_BUCKET: Final = "PROCESSED_BUCKET"
ENV_METADATA_TABLE: Final = "METADATA_TABLE"
ENV_RENDITIONS: Final = "RENDITIONS"
ENV_MAX_OBJECT_BYTES: Final = "MAX_OBJECT_BYTES"
ENV_MAX_PIXELS: Final = "MAX_PIXELS"
# Below this much remaining time a record is not started; it is retried instead.
ENV_MIN_REMAINING_MS: Final = "MIN_REMAINING_MS"

# The image API function's environment (besides PROCESSED_BUCKET, METADATA_TABLE, MAX_OBJECT_BYTES).
ENV_UPLOAD_BUCKET: Final = "UPLOAD_BUCKET"
# JSON list of the exact origins browsers may call the API from; empty: no CORS headers.
ENV_CORS_ORIGINS: Final = "CORS_ORIGINS"
# Seconds a presigned upload (POST) or download (GET) URL stays valid.
ENV_URL_TTL_SECONDS: Final = "URL_TTL_SECONDS"
# Set only where a stack runs the API without an authorizer (never prod): every caller is this user.
ENV_ANONYMOUS_USER: Final = "ANONYMOUS_USER"
DEFAULT_URL_TTL_SECONDS: Final = 300
# Content types the API accepts for upload, by the Pillow format the image core then allows
# (handlers.imaging.decode.ALLOWED_FORMATS; a test keeps the two equal). Here, not there, so the
# API function never imports Pillow.
UPLOAD_CONTENT_TYPES: Final = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}

# The alert formatter (handlers.alert_formatter): CloudWatch publishes an alarm's state change to its
# tier's topic; the formatter composes the email and publishes it back to the same topic, marked with
# ALERT_ATTRIBUTE. Email subscriptions accept only marked messages; SMS and the formatter's own
# subscription accept only CloudWatch's (components/monitoring/alerting_sns.py, alert_formatter.py).
ALERT_HANDLER: Final = "handlers.alert_formatter.handler"
ALERT_ATTRIBUTE: Final = "imagepipe_alert"
ALERT_ATTRIBUTE_VALUE: Final = "composed"
# What the email subjects call the stack (`imagepipe-prod`).
ENV_ALERT_STACK: Final = "ALERT_STACK"
# JSON of every paging alarm's guide (handlers.alerts.guide): title, window, log source.
ENV_ALERT_GUIDES: Final = "ALERT_GUIDES"
ENV_DASHBOARD_URL: Final = "DASHBOARD_URL"
# Where the runbook (docs/alerts.md) is published; unset: no runbook link.
ENV_RUNBOOK_URL: Final = "RUNBOOK_URL"
# How many matching log lines an email shows.
ENV_EVIDENCE_LINES: Final = "EVIDENCE_LINES"
DEFAULT_EVIDENCE_LINES: Final = 5
# The formatter's own DynamoDB table: one record per alarm state change it sent, expiring by TTL.
ENV_ALERT_LEDGER_TABLE: Final = "ALERT_LEDGER_TABLE"
LEDGER_HASH_KEY: Final = "change"
LEDGER_TTL_ATTRIBUTE: Final = "expires_at"

# The AWS services the functions' own code calls (the tests record every call: tests/handler and
# tests/api, tests/alerts test_role_grants_match_calls.py; logs, monitoring and sns are the alert
# formatter's). Compliance mode's private network reaches these only.
CALLED_SERVICES: Final = ("s3", "dynamodb", "logs", "monitoring", "sns")

# The image API's routes (API Gateway resource paths) and the function that serves them.
API_HANDLER: Final = "handlers.image_api.handler"
API_IMAGES_PATH: Final = "/images"
API_IMAGE_ID_PARAM: Final = "id"
API_IMAGE_PATH: Final = f"{API_IMAGES_PATH}/{{{API_IMAGE_ID_PARAM}}}"
# API Gateway stops waiting for a REST integration after 29 s, whatever the function's timeout: the
# API function answers before min(its timeout, this). Raisable by a quota request for Regional and
# private REST APIs only (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html;
# https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-api-gateway-integration-timeout-limit-29-seconds/).
API_GATEWAY_TIMEOUT_S: Final = 29

# The reprocessing function: S3 Batch Operations invokes it for every original in a job's manifest
# (README, "Reprocessing"); the job's userArguments name the fingerprint it was built for and who built it.
REPROCESS_HANDLER: Final = "handlers.reprocessor.handler"
REPROCESS_ARGUMENT_FINGERPRINT: Final = "fingerprint"
REPROCESS_ARGUMENT_REQUESTED_BY: Final = "requestedBy"
# Where a stack's reprocessing jobs keep their files, in the bucket of their own.
REPROCESS_MANIFEST_PREFIX: Final = "manifests/"
REPROCESS_REPORT_PREFIX: Final = "reports/"

# The scheduled cleanup function (dev housekeeping): deletes object versions, delete markers and
# metadata items older than MAX_AGE_DAYS from UPLOAD_BUCKET, PROCESSED_BUCKET and METADATA_TABLE.
CLEANUP_HANDLER: Final = "handlers.cleanup_handler.handler"
ENV_CLEANUP_MAX_AGE_DAYS: Final = "MAX_AGE_DAYS"
# The function refuses a smaller age (0 would empty both buckets and the table).
CLEANUP_MIN_AGE_DAYS: Final = 1

# Object layout. Uploads arrive as uploads/{user_id}/{file name}; the API puts each under
# uploads/{user_id}/{upload_id}/{file name} so two files of the same name never collide.
UPLOAD_PREFIX: Final = "uploads/"
RENDITION_PREFIX: Final = "renditions/"

# Every rendition carries this tag; its value is the rendition's name. Lifecycle rules
# expire objects whose tag says thumbnail.
RENDITION_TAG_KEY: Final = "Type"
THUMBNAIL_TAG_VALUE: Final = "thumbnail"

# Metadata table schema.
TABLE_HASH_KEY: Final = "image_id"
USER_INDEX_NAME: Final = "user-uploads"
USER_INDEX_HASH_KEY: Final = "user_id"
USER_INDEX_RANGE_KEY: Final = "uploaded_at"
# The table's time-to-live attribute (epoch seconds; ImagePipeline enables TTL on it): DynamoDB deletes
# an item some time after that moment. Only tombstones carry it (handlers/tombstone.py).
TABLE_TTL_ATTRIBUTE: Final = "expires_at"

# Defaults when the environment does not say otherwise.
DEFAULT_MAX_OBJECT_BYTES: Final = 50 * 1024 * 1024
DEFAULT_MAX_PIXELS: Final = 50_000_000
DEFAULT_MIN_REMAINING_MS: Final = 10_000


class ImageStatus(StrEnum):
    """The ``status`` attribute of a metadata item: the outcome of the upload's latest version."""

    COMPLETED = "completed"  # every rendition is stored
    REJECTED = "rejected"  # the upload can never become renditions; ``reason`` says why
    FAILED = "failed"  # a transient error; Lambda retries the event, ``error_code`` says what
