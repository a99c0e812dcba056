"""ImagePipeline: upload bucket -> Lambda (Pillow layer) -> processed bucket + metadata table."""

import json
from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.config import FunctionConfig, ProcessingConfig, StorageConfig
from components.iam_documents import ProcessorResources, lambda_assume_role_policy, processor_policy
from components.lambda_code import LAMBDA_PYTHON
from components.lambda_environment import handler_environment
from components.naming import Naming
from components.secure_bucket import SecureBucket, SecureBucketArgs, TagExpiration
from handlers import contract

RUNTIME = f"python{LAMBDA_PYTHON}"
HANDLER = "handlers.image_processor.handler"
# SQS keeps a message at most 14 days: the longest time on-call has to look at a failed event.
FAILURE_QUEUE_RETENTION_S = 14 * 24 * 3600


@dataclass
class ImagePipelineArgs:
    naming: Naming
    """Derives every name from project and stack."""
    tags: Mapping[str, str]
    """Standard tags for every taggable child."""
    function: FunctionConfig
    """Memory, timeout, architecture, concurrency, tracing, logs, async retries."""
    processing: ProcessingConfig
    """Renditions and input limits, handed to the handler as environment variables."""
    storage: StorageConfig
    """Lifecycle, force-destroy and the optional KMS key."""
    code: pulumi.Archive
    """The `handlers/` package."""
    layer: pulumi.Archive
    """The Pillow layer zip (``python/PIL``) for the function's architecture."""


class ImagePipeline(pulumi.ComponentResource):
    """The processing path of the system and everything it needs to run and fail safely."""

    upload_bucket: SecureBucket
    processed_bucket: SecureBucket
    table: aws.dynamodb.Table
    failure_queue: aws.sqs.Queue
    log_group: aws.cloudwatch.LogGroup
    function: aws.lambda_.Function
    function_name: str

    def __init__(self, name: str, args: ImagePipelineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("imagepipe:pipeline:ImagePipeline", name, None, opts)
        self._args = args
        self._tags = dict(args.tags)
        n = args.naming
        self.function_name = n.name("image-processor")
        child = pulumi.ResourceOptions(parent=self)
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        self.upload_bucket = self._bucket(n.name("uploads"), tag_expirations=(), opts=child)
        # Renditions live apart from uploads, so writing one can never trigger the function again.
        self.processed_bucket = self._bucket(
            n.name("processed"),
            tag_expirations=(
                TagExpiration(
                    contract.RENDITION_TAG_KEY,
                    contract.THUMBNAIL_TAG_VALUE,
                    args.storage.thumbnail_expiration_days,
                ),
            ),
            opts=child,
        )
        self.table = self._metadata_table(n, child)
        self.failure_queue = self._failure_queue(n, child)
        self.log_group = self._log_group(n, child)
        role, role_policy = self._execution_role(n, child)
        layer = self._pillow_layer(n, child)
        self.function = self._function(role, role_policy, layer, child)
        self._async_invoke_config(n, child)
        permission = self._s3_invoke_permission(n, account_id, child)
        self._upload_notification(n, pulumi.ResourceOptions(parent=self, depends_on=[permission]))

        self.register_outputs(
            {
                "upload_bucket": self.upload_bucket.name,
                "processed_bucket": self.processed_bucket.name,
                "table": self.table.name,
                "failure_queue_url": self.failure_queue.url,
                "function_name": self.function.name,
                "function_arn": self.function.arn,
            }
        )

    def _bucket(
        self, name: str, tag_expirations: tuple[TagExpiration, ...], opts: pulumi.ResourceOptions
    ) -> SecureBucket:
        s = self._args.storage
        return SecureBucket(
            name,
            SecureBucketArgs(
                tags=self._tags,
                force_destroy=s.force_destroy,
                kms_key_arn=s.kms_key_arn,
                ia_transition_days=s.ia_transition_days,
                tag_expirations=tag_expirations,
                noncurrent_expiration_days=s.noncurrent_expiration_days,
                abort_multipart_days=s.abort_multipart_days,
            ),
            opts=opts,
        )

    def _metadata_table(self, n: Naming, opts: pulumi.ResourceOptions) -> aws.dynamodb.Table:
        kms = self._args.storage.kms_key_arn
        return aws.dynamodb.Table(
            n.name("images"),
            name=n.name("images"),
            billing_mode="PAY_PER_REQUEST",
            hash_key=contract.TABLE_HASH_KEY,
            attributes=[
                aws.dynamodb.TableAttributeArgs(name=contract.TABLE_HASH_KEY, type="S"),
                aws.dynamodb.TableAttributeArgs(name=contract.USER_INDEX_HASH_KEY, type="S"),
                aws.dynamodb.TableAttributeArgs(name=contract.USER_INDEX_RANGE_KEY, type="S"),
            ],
            # One user's images, newest first (seeds 000 and 001).
            global_secondary_indexes=[
                aws.dynamodb.TableGlobalSecondaryIndexArgs(
                    name=contract.USER_INDEX_NAME,
                    key_schemas=[
                        aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                            attribute_name=contract.USER_INDEX_HASH_KEY, key_type="HASH"
                        ),
                        aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
                            attribute_name=contract.USER_INDEX_RANGE_KEY, key_type="RANGE"
                        ),
                    ],
                    projection_type="ALL",
                )
            ],
            point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
            # Without a customer key DynamoDB encrypts with its AWS-owned key (no KMS charges), as S3 uses
            # AES256 and SQS its own SSE; enabled=True with no key would pick the AWS-managed KMS key.
            server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True, kms_key_arn=kms)
            if kms
            else None,
            # The table is the record of every upload: only disposable stacks may delete it.
            deletion_protection_enabled=not self._args.storage.force_destroy,
            tags=self._tags,
            opts=opts,
        )

    def _failure_queue(self, n: Naming, opts: pulumi.ResourceOptions) -> aws.sqs.Queue:
        kms = self._args.storage.kms_key_arn
        return aws.sqs.Queue(
            n.name("image-processor-failures"),
            name=n.name("image-processor-failures"),
            message_retention_seconds=FAILURE_QUEUE_RETENTION_S,
            sqs_managed_sse_enabled=None if kms else True,
            kms_master_key_id=kms,
            tags=self._tags,
            opts=opts,
        )

    def _log_group(self, n: Naming, opts: pulumi.ResourceOptions) -> aws.cloudwatch.LogGroup:
        return aws.cloudwatch.LogGroup(
            n.name("image-processor-logs"),
            name=n.log_group(self.function_name),
            retention_in_days=self._args.function.log_retention_days,
            kms_key_id=self._args.storage.kms_key_arn,
            tags=self._tags,
            opts=opts,
        )

    def _execution_role(self, n: Naming, opts: pulumi.ResourceOptions) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
        role = aws.iam.Role(
            n.name("image-processor-role"),
            assume_role_policy=json.dumps(lambda_assume_role_policy()),
            tags=self._tags,
            opts=opts,
        )
        f = self._args.function
        s = self._args.storage
        policy = pulumi.Output.all(
            self.upload_bucket.arn,
            self.processed_bucket.arn,
            self.log_group.arn,
            self.table.arn,
            self.failure_queue.arn,
        ).apply(
            lambda arns: json.dumps(
                processor_policy(
                    ProcessorResources(
                        upload_bucket_arn=arns[0],
                        processed_bucket_arn=arns[1],
                        log_group_arn=arns[2],
                        table_arn=arns[3],
                        failure_queue_arn=arns[4],
                        kms_key_arn=s.kms_key_arn,
                        tracing=f.tracing,
                    )
                )
            )
        )
        role_policy = aws.iam.RolePolicy(n.name("image-processor-policy"), role=role.id, policy=policy, opts=opts)
        return role, role_policy

    def _pillow_layer(self, n: Naming, opts: pulumi.ResourceOptions) -> aws.lambda_.LayerVersion:
        return aws.lambda_.LayerVersion(
            n.name("pillow"),
            layer_name=n.name("pillow"),
            code=self._args.layer,
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[self._args.function.architecture],
            description="Pillow for the image processor (layers/pillow/requirements.txt)",
            opts=opts,
        )

    def _function(
        self,
        role: aws.iam.Role,
        role_policy: aws.iam.RolePolicy,
        layer: aws.lambda_.LayerVersion,
        opts: pulumi.ResourceOptions,
    ) -> aws.lambda_.Function:
        f = self._args.function
        environment = pulumi.Output.all(self.processed_bucket.name, self.table.name).apply(
            lambda names: handler_environment(names[0], names[1], self._args.processing)
        )
        return aws.lambda_.Function(
            self.function_name,
            name=self.function_name,
            runtime=RUNTIME,
            handler=HANDLER,
            code=self._args.code,
            role=role.arn,
            layers=[layer.arn],
            memory_size=f.memory_mb,
            timeout=f.timeout_s,
            architectures=[f.architecture],
            reserved_concurrent_executions=f.reserved_concurrency,
            environment=aws.lambda_.FunctionEnvironmentArgs(variables=environment),
            logging_config=aws.lambda_.FunctionLoggingConfigArgs(
                log_format="JSON",
                log_group=self.log_group.name,
                application_log_level="INFO",
                system_log_level="WARN",
            ),
            tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode="Active" if f.tracing else "PassThrough"),
            tags=self._tags,
            # The log group must exist first, or Lambda creates one with infinite retention;
            # the policy must be attached before the first invocation.
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[self.log_group, role_policy])),
        )

    def _async_invoke_config(self, n: Naming, opts: pulumi.ResourceOptions) -> aws.lambda_.FunctionEventInvokeConfig:
        f = self._args.function
        return aws.lambda_.FunctionEventInvokeConfig(
            n.name("image-processor-async"),
            function_name=self.function.name,
            maximum_retry_attempts=f.max_retry_attempts,
            maximum_event_age_in_seconds=f.max_event_age_s,
            destination_config=aws.lambda_.FunctionEventInvokeConfigDestinationConfigArgs(
                on_failure=aws.lambda_.FunctionEventInvokeConfigDestinationConfigOnFailureArgs(
                    destination=self.failure_queue.arn
                )
            ),
            opts=opts,
        )

    def _s3_invoke_permission(
        self, n: Naming, account_id: pulumi.Output[str], opts: pulumi.ResourceOptions
    ) -> aws.lambda_.Permission:
        return aws.lambda_.Permission(
            n.name("image-processor-s3-invoke"),
            action="lambda:InvokeFunction",
            function=self.function.name,
            principal="s3.amazonaws.com",
            source_arn=self.upload_bucket.arn,
            # Bucket ARNs carry no account: pin it so a same-named bucket elsewhere cannot invoke.
            source_account=account_id,
            opts=opts,
        )

    def _upload_notification(self, n: Naming, opts: pulumi.ResourceOptions) -> aws.s3.BucketNotification:
        # One notification resource per bucket: AWS replaces the whole configuration on each write.
        return aws.s3.BucketNotification(
            n.name("uploads-notification"),
            bucket=self.upload_bucket.bucket.id,
            lambda_functions=[
                aws.s3.BucketNotificationLambdaFunctionArgs(
                    lambda_function_arn=self.function.arn,
                    events=["s3:ObjectCreated:*"],
                    filter_prefix=contract.UPLOAD_PREFIX,
                )
            ],
            opts=opts,
        )
