"""ImagePipeline: upload bucket -> Lambda (Pillow layer) -> processed bucket + metadata table."""

import json
from typing import TYPE_CHECKING, Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.function_defaults import (
    ARCHITECTURE,
    LOG_RETENTION_DAYS,
    MAX_EVENT_AGE_SECONDS,
    MAX_RETRY_ATTEMPTS,
    MEMORY_MB,
    TIMEOUT_SECONDS,
    UNRESERVED,
)
from components.iam_documents import ProcessorResources, processor_policy
from components.lambda_code import pillow_layer_archive
from components.lambda_environment import handler_environment
from components.lambda_function import RUNTIME, FunctionSettings, lambda_function
from components.secure_bucket import (
    ABORT_MULTIPART_DAYS,
    IA_TRANSITION_DAYS,
    NONCURRENT_EXPIRATION_DAYS,
    SecureBucket,
    SecureBucketArgs,
    TagExpirationArgs,
)
from components.type_tokens import component_options, type_token
from handlers import contract
from handlers.imaging.renditions import DEFAULT_RENDITIONS, RenditionSpec, parse_renditions
from layers.build import ARCHITECTURES, Architecture

if TYPE_CHECKING:
    from components.image_api import ImageApiArgs

HANDLER = "handlers.image_processor.handler"
# SQS keeps a message at most 14 days: the longest time on-call has to look at a failed event.
FAILURE_QUEUE_RETENTION_S = 14 * 24 * 3600


# `{prefix}-image-processor`: the function, and its log group, role and policy after it.
FUNCTION_STEM: Final = "image-processor"


class RenditionArgs(TypedDict):
    """One rendition: the largest size it fits into and the formats it is written in."""

    name: str
    """Name in keys and tags, e.g. `thumbnail`."""
    width: int
    """Largest width in pixels; the image keeps its aspect ratio and is never upscaled."""
    height: int
    """Largest height in pixels."""
    formats: NotRequired[list[str]]
    """Formats for every image (`jpeg`, `webp`, `png`); default jpeg and webp."""
    alpha_formats: NotRequired[list[str]]
    """Extra formats for images with transparency, which JPEG cannot hold; default png."""


class ImagePipelineArgs(TypedDict):
    """Every setting has the default shown; the function's code and Pillow layer come with the package."""

    tags: NotRequired[dict[str, str]]
    """Tags for every taggable child; none by default."""
    memory_mb: NotRequired[int]
    """Function memory in MB (128-10240); CPU scales with it. Default 1024."""
    timeout_seconds: NotRequired[int]
    """Function timeout (1-900 s); default 60."""
    architecture: NotRequired[str]
    """`arm64` or `x86_64`; default arm64."""
    reserved_concurrency: NotRequired[int]
    """Reserved concurrent executions; -1 (the default) leaves the function unreserved."""
    tracing: NotRequired[bool]
    """X-Ray active tracing; default false."""
    log_retention_days: NotRequired[int]
    """Retention of the function's log group (a CloudWatch Logs value); default 7."""
    max_retry_attempts: NotRequired[int]
    """Asynchronous retries before an event goes to the failure queue (0-2); default 2."""
    max_event_age_seconds: NotRequired[int]
    """Oldest event Lambda still delivers (60-21600 s); default 21600."""
    renditions: NotRequired[list[RenditionArgs]]
    """What each upload becomes; default thumbnail 150x150, small 300x300, preview 800x600."""
    max_object_bytes: NotRequired[int]
    """Largest upload processed, checked before it is read; default 50 MiB."""
    max_pixels: NotRequired[int]
    """Largest image processed, checked from its header before decoding; default 50 million."""
    min_remaining_ms: NotRequired[int]
    """Below this remaining time a record is retried instead of started; default 10000."""
    force_destroy: NotRequired[bool]
    """Let `pulumi destroy` delete the buckets and the table with data in them; default false."""
    ia_transition_days: NotRequired[int]
    """Days before objects move to STANDARD_IA; 0: never; default 30."""
    thumbnail_expiration_days: NotRequired[int]
    """Days before thumbnails expire; default 90."""
    noncurrent_expiration_days: NotRequired[int]
    """Days before noncurrent versions expire; default 30."""
    abort_multipart_days: NotRequired[int]
    """Days before incomplete multipart uploads are aborted; default 7."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """Customer KMS key for buckets, table, queue and logs; without it each service uses its own key."""
    log_kms_key_arn: NotRequired[pulumi.Input[str]]
    """A separate customer KMS key for the log groups (compliance mode); default: kms_key_arn."""
    strict_bucket_policies: NotRequired[bool]
    """Buckets also deny uploads with other encryption and every principal outside the account; default false."""
    subnet_ids: NotRequired[pulumi.Input[list[str]]]
    """Private subnets to run the function in (compliance mode); default: outside any VPC."""
    security_group_ids: NotRequired[pulumi.Input[list[str]]]
    """The function's security groups, with subnet_ids."""


# Default of ImagePipelineArgs.thumbnail_expiration_days (seed 000).
THUMBNAIL_EXPIRATION_DAYS: Final = 90


def rendition_specs(args: ImagePipelineArgs) -> tuple[RenditionSpec, ...]:
    """The renditions, validated (a bad one raises RenditionSpecError naming it)."""
    given = args.get("renditions")
    return DEFAULT_RENDITIONS if given is None else parse_renditions([dict(r) for r in given])


def architecture_of(args: ImagePipelineArgs) -> Architecture:
    wanted = args.get("architecture", ARCHITECTURE)
    for arch in ARCHITECTURES:
        if wanted == arch:
            return arch
    raise ValueError(f"architecture must be one of {', '.join(ARCHITECTURES)}, got {wanted!r}")


def in_vpc(args: "ImagePipelineArgs | ImageApiArgs") -> bool:
    return "subnet_ids" in args


def vpc_config(args: "ImagePipelineArgs | ImageApiArgs") -> aws.lambda_.FunctionVpcConfigArgs | None:
    """Private subnets and security groups, where the Args give them."""
    if "subnet_ids" not in args:
        return None
    if "security_group_ids" not in args:
        raise ValueError("subnet_ids needs security_group_ids: a function in a VPC needs its security groups")
    return aws.lambda_.FunctionVpcConfigArgs(
        subnet_ids=args["subnet_ids"], security_group_ids=args["security_group_ids"]
    )


def reserved_concurrency_of(args: ImagePipelineArgs) -> int | None:
    value = args.get("reserved_concurrency", UNRESERVED)
    return None if value == UNRESERVED else value


def function_environment(args: ImagePipelineArgs, processed_bucket: str, metadata_table: str) -> dict[str, str]:
    """The image processor's environment variables for these Args."""
    return handler_environment(
        processed_bucket,
        metadata_table,
        renditions=rendition_specs(args),
        max_object_bytes=args.get("max_object_bytes", contract.DEFAULT_MAX_OBJECT_BYTES),
        max_pixels=args.get("max_pixels", contract.DEFAULT_MAX_PIXELS),
        min_remaining_ms=args.get("min_remaining_ms", contract.DEFAULT_MIN_REMAINING_MS),
    )


class ImagePipeline(pulumi.ComponentResource):
    """Upload bucket -> image-processing Lambda (Pillow layer) -> processed bucket and metadata table.

    Children are named `{name}-uploads`, `{name}-image-processor`, `{name}-images` and so on.
    """

    upload_bucket_name: pulumi.Output[str]
    """Upload here, under `uploads/{user_id}/`."""
    upload_bucket_arn: pulumi.Output[str]
    """ARN of the upload bucket."""
    processed_bucket_name: pulumi.Output[str]
    """Renditions land here, under `renditions/`."""
    processed_bucket_arn: pulumi.Output[str]
    """ARN of the processed bucket."""
    table_name: pulumi.Output[str]
    """The metadata table, one item per upload."""
    table_arn: pulumi.Output[str]
    """ARN of the metadata table."""
    function_name: pulumi.Output[str]
    """The image-processing function."""
    function_arn: pulumi.Output[str]
    """ARN of the image-processing function."""
    log_group_name: pulumi.Output[str]
    """The function's log group (JSON lines)."""
    failure_queue_name: pulumi.Output[str]
    """Events that failed after every retry."""
    failure_queue_arn: pulumi.Output[str]
    """ARN of the failure queue."""
    failure_queue_url: pulumi.Output[str]
    """URL of the failure queue."""

    def __init__(self, name: str, args: ImagePipelineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(type_token(ImagePipeline), name, None, component_options(ImagePipeline, opts))
        self._name_prefix = name
        self._args = args
        self._tags = dict(args.get("tags", {}))
        self._kms = args.get("kms_key_arn")
        self._log_kms = args.get("log_kms_key_arn", self._kms)
        self._renditions = rendition_specs(args)
        self._architecture = architecture_of(args)
        child = pulumi.ResourceOptions(parent=self)
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        self.upload_bucket = self._bucket(self._child_name("uploads"), tag_expirations=[], opts=child)
        # Renditions live apart from uploads, so writing one can never trigger the function again.
        self.processed_bucket = self._bucket(
            self._child_name("processed"),
            tag_expirations=[
                TagExpirationArgs(
                    key=contract.RENDITION_TAG_KEY,
                    value=contract.THUMBNAIL_TAG_VALUE,
                    days=args.get("thumbnail_expiration_days", THUMBNAIL_EXPIRATION_DAYS),
                )
            ],
            opts=child,
        )
        self.table = self._metadata_table(child)
        self.failure_queue = self._failure_queue(child)
        layer = self._pillow_layer(child)
        processor = lambda_function(self._function_settings(layer), self._policy, child)
        self.log_group, self.function = processor.log_group, processor.function
        self._async_invoke_config(child)
        permission = self._s3_invoke_permission(account_id, child)
        self._upload_notification(pulumi.ResourceOptions(parent=self, depends_on=[permission]))

        self.upload_bucket_name = self.upload_bucket.name
        self.upload_bucket_arn = self.upload_bucket.arn
        self.processed_bucket_name = self.processed_bucket.name
        self.processed_bucket_arn = self.processed_bucket.arn
        self.table_name = self.table.name
        self.table_arn = self.table.arn
        self.function_name = self.function.name
        self.function_arn = self.function.arn
        self.log_group_name = self.log_group.name
        self.failure_queue_name = self.failure_queue.name
        self.failure_queue_arn = self.failure_queue.arn
        self.failure_queue_url = self.failure_queue.url
        self.register_outputs(
            {
                "upload_bucket_name": self.upload_bucket_name,
                "upload_bucket_arn": self.upload_bucket_arn,
                "processed_bucket_name": self.processed_bucket_name,
                "processed_bucket_arn": self.processed_bucket_arn,
                "table_name": self.table_name,
                "table_arn": self.table_arn,
                "function_name": self.function_name,
                "function_arn": self.function_arn,
                "log_group_name": self.log_group_name,
                "failure_queue_name": self.failure_queue_name,
                "failure_queue_arn": self.failure_queue_arn,
                "failure_queue_url": self.failure_queue_url,
            }
        )

    def _child_name(self, *parts: str) -> str:
        """`{component name}-part`: the logical and, where AWS allows, physical name of a child."""
        return "-".join((self._name_prefix, *parts))

    def _bucket(
        self, name: str, tag_expirations: list[TagExpirationArgs], opts: pulumi.ResourceOptions
    ) -> SecureBucket:
        a = self._args
        bucket_args = SecureBucketArgs(
            tags=self._tags,
            force_destroy=a.get("force_destroy", False),
            tag_expirations=tag_expirations,
            ia_transition_days=a.get("ia_transition_days", IA_TRANSITION_DAYS),
            noncurrent_expiration_days=a.get("noncurrent_expiration_days", NONCURRENT_EXPIRATION_DAYS),
            abort_multipart_days=a.get("abort_multipart_days", ABORT_MULTIPART_DAYS),
            strict_policy=a.get("strict_bucket_policies", False),
        )
        if self._kms is not None:
            bucket_args["kms_key_arn"] = self._kms
        return SecureBucket(name, bucket_args, opts=opts)

    def _metadata_table(self, opts: pulumi.ResourceOptions) -> aws.dynamodb.Table:
        name = self._child_name("images")
        return aws.dynamodb.Table(
            name,
            name=name,
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
            server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True, kms_key_arn=self._kms)
            if self._kms is not None
            else None,
            # The table is the record of every upload: only disposable stacks may delete it.
            deletion_protection_enabled=not self._args.get("force_destroy", False),
            tags=self._tags,
            opts=opts,
        )

    def _failure_queue(self, opts: pulumi.ResourceOptions) -> aws.sqs.Queue:
        name = self._child_name("image-processor-failures")
        return aws.sqs.Queue(
            name,
            name=name,
            message_retention_seconds=FAILURE_QUEUE_RETENTION_S,
            sqs_managed_sse_enabled=None if self._kms is not None else True,
            kms_master_key_id=self._kms,
            tags=self._tags,
            opts=opts,
        )

    def _policy(self, log_group_arn: pulumi.Output[str]) -> pulumi.Output[str]:
        tracing = self._args.get("tracing", False)
        return pulumi.Output.all(
            self.upload_bucket.arn,
            self.processed_bucket.arn,
            log_group_arn,
            self.table.arn,
            self.failure_queue.arn,
            self._kms,
        ).apply(
            lambda arns: json.dumps(
                processor_policy(
                    ProcessorResources(
                        upload_bucket_arn=arns[0],
                        processed_bucket_arn=arns[1],
                        log_group_arn=arns[2],
                        table_arn=arns[3],
                        failure_queue_arn=arns[4],
                        kms_key_arn=arns[5],
                        tracing=tracing,
                        in_vpc=in_vpc(self._args),
                    )
                )
            )
        )

    def _pillow_layer(self, opts: pulumi.ResourceOptions) -> aws.lambda_.LayerVersion:
        name = self._child_name("pillow")
        return aws.lambda_.LayerVersion(
            name,
            layer_name=name,
            code=pillow_layer_archive(self._architecture),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[self._architecture],
            description="Pillow for the image processor (layers/pillow/requirements.txt)",
            opts=opts,
        )

    def _function_settings(self, layer: aws.lambda_.LayerVersion) -> FunctionSettings:
        a = self._args
        return FunctionSettings(
            prefix=self._name_prefix,
            stem=FUNCTION_STEM,
            handler=HANDLER,
            memory_mb=a.get("memory_mb", MEMORY_MB),
            timeout_s=a.get("timeout_seconds", TIMEOUT_SECONDS),
            architecture=self._architecture,
            environment=pulumi.Output.all(self.processed_bucket.name, self.table.name).apply(
                lambda names: function_environment(a, names[0], names[1])
            ),
            log_retention_days=a.get("log_retention_days", LOG_RETENTION_DAYS),
            tags=self._tags,
            log_kms_key_arn=self._log_kms,
            tracing=a.get("tracing", False),
            vpc=vpc_config(a),
            layers=[layer.arn],
            reserved_concurrency=reserved_concurrency_of(a),
        )

    def _async_invoke_config(self, opts: pulumi.ResourceOptions) -> aws.lambda_.FunctionEventInvokeConfig:
        a = self._args
        return aws.lambda_.FunctionEventInvokeConfig(
            self._child_name("image-processor-async"),
            function_name=self.function.name,
            maximum_retry_attempts=a.get("max_retry_attempts", MAX_RETRY_ATTEMPTS),
            maximum_event_age_in_seconds=a.get("max_event_age_seconds", MAX_EVENT_AGE_SECONDS),
            destination_config=aws.lambda_.FunctionEventInvokeConfigDestinationConfigArgs(
                on_failure=aws.lambda_.FunctionEventInvokeConfigDestinationConfigOnFailureArgs(
                    destination=self.failure_queue.arn
                )
            ),
            opts=opts,
        )

    def _s3_invoke_permission(
        self, account_id: pulumi.Output[str], opts: pulumi.ResourceOptions
    ) -> aws.lambda_.Permission:
        return aws.lambda_.Permission(
            self._child_name("image-processor-s3-invoke"),
            action="lambda:InvokeFunction",
            function=self.function.name,
            principal="s3.amazonaws.com",
            source_arn=self.upload_bucket.arn,
            # Bucket ARNs carry no account: pin it so a same-named bucket elsewhere cannot invoke.
            source_account=account_id,
            opts=opts,
        )

    def _upload_notification(self, opts: pulumi.ResourceOptions) -> aws.s3.BucketNotification:
        # One notification resource per bucket: AWS replaces the whole configuration on each write.
        return aws.s3.BucketNotification(
            self._child_name("uploads-notification"),
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
