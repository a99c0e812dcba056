"""The pulumi-aws (v7) type tokens the policies look at.

The deprecated `...V2` bucket types are still accepted by pulumi-aws v7; the policies treat them as
the types they alias, so moving to or from them does not slip past a guard rail.
"""

from typing import Final

BUCKETS: Final = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
PUBLIC_ACCESS_BLOCK: Final = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
BUCKET_ENCRYPTION: Final = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
BUCKET_POLICY: Final = "aws:s3/bucketPolicy:BucketPolicy"
BUCKET_LIFECYCLE: Final = (
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
)
BUCKET_VERSIONING: Final = (
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
)
BUCKET_NOTIFICATION: Final = "aws:s3/bucketNotification:BucketNotification"

ROLE: Final = "aws:iam/role:Role"
ROLE_POLICY: Final = "aws:iam/rolePolicy:RolePolicy"
MANAGED_POLICY: Final = "aws:iam/policy:Policy"
USER_POLICY: Final = "aws:iam/userPolicy:UserPolicy"
GROUP_POLICY: Final = "aws:iam/groupPolicy:GroupPolicy"

FUNCTION: Final = "aws:lambda/function:Function"
FUNCTION_URL: Final = "aws:lambda/functionUrl:FunctionUrl"
INVOKE_CONFIG: Final = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
SCHEDULE: Final = "aws:scheduler/schedule:Schedule"
EVENT_TARGET: Final = "aws:cloudwatch/eventTarget:EventTarget"
TOPIC_SUBSCRIPTION: Final = "aws:sns/topicSubscription:TopicSubscription"

LOG_GROUP: Final = "aws:cloudwatch/logGroup:LogGroup"
METRIC_ALARM: Final = "aws:cloudwatch/metricAlarm:MetricAlarm"
COMPOSITE_ALARM: Final = "aws:cloudwatch/compositeAlarm:CompositeAlarm"

TOPIC: Final = "aws:sns/topic:Topic"
QUEUE: Final = "aws:sqs/queue:Queue"
TABLE: Final = "aws:dynamodb/table:Table"

API_METHOD: Final = "aws:apigateway/method:Method"
API_GATEWAY_RESPONSE: Final = "aws:apigateway/response:Response"
API_INTEGRATION_RESPONSE: Final = "aws:apigateway/integrationResponse:IntegrationResponse"
