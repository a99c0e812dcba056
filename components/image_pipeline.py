"""ImagePipeline: upload bucket -> Lambda (Pillow layer) -> processed bucket + metadata table."""

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import lambda_function as lambda_rules
from components import secure_bucket as bucket_rules
from components.function_defaults import (
    ARCHITECTURE,
    LOG_RETENTION_DAYS,
    MAX_EVENT_AGE_SECONDS,
    MAX_RETRY_ATTEMPTS,
    MEMORY_MB,
    TIMEOUT_SECONDS,
    UNRESERVED,
)
from components.iam_documents import (
    ProcessorResources,
    ReprocessJobResources,
    batch_operations_assume_role_policy,
    processor_policy,
    reprocess_job_policy,
)
from components.inputs import ArgsCheck, FieldCheck, Rule, Violation, aws_values, whole
from components.lambda_code import pillow_layer_archive
from components.lambda_environment import processor_environment
from components.lambda_function import (
    RUNTIME,
    Architecture,
    FunctionSettings,
    in_vpc,
    lambda_function,
    reserved_or_none,
    vpc_config,
)
from components.naming import LongestName, max_prefix, name_prefix, prefix_rule
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
from handlers.imaging.fingerprint import rendering_fingerprint
from handlers.imaging.memory import decode_memory_mib, max_pixels_for_memory
from handlers.imaging.renditions import DEFAULT_RENDITIONS, RenditionSpec, RenditionSpecError, parse_renditions

HANDLER = "handlers.image_processor.handler"
# SQS keeps a message at most 14 days: the longest time on-call has to look at a failed event.
FAILURE_QUEUE_RETENTION_S = 14 * 24 * 3600


# `{prefix}-image-processor`: the function, and its log group, role and policy after it.
FUNCTION_STEM: Final = "image-processor"
# `{prefix}-image-reprocess`: the function S3 Batch Operations invokes (same code, layer and environment).
REPROCESS_STEM: Final = "image-reprocess"
# `{prefix}-reprocess-job-role-*`: the role S3 Batch Operations assumes for a reprocessing job.
REPROCESS_JOB_STEM: Final = "reprocess-job"
# Manifests and completion reports are kept this long (a job's report is read in days, not months).
REPROCESS_FILES_EXPIRATION_DAYS: Final = 30


class RenditionArgs(TypedDict):
    """One rendition: the largest size it fits into, the formats it is written in, how long it is kept."""

    name: str
    """Name in keys and tags, e.g. `thumbnail`."""
    width: int
    """Largest width in pixels; the image keeps its aspect ratio and is never upscaled."""
    height: int
    """Largest height in pixels."""
    formats: NotRequired[list[str]]
    """Formats for every image (`jpeg`, `webp`, `png`); default jpeg and webp. Transparent sources keep
    their alpha in every one of these that can hold it (webp, png)."""
    alpha_formats: NotRequired[list[str]]
    """Extra formats for transparent sources only; default png where none of `formats` holds alpha, else none."""
    expiration_days: NotRequired[int]
    """Days after which this rendition's objects expire (lifecycle, by their Type tag); default never."""


class ImagePipelineArgs(TypedDict):
    """Every setting has the default shown; the function's code and Pillow layer come with the package."""

    name_prefix: NotRequired[str]
    """Prefix of physical names (`{prefix}-image-processor`); default `{project}-{stack}-{name}`, shortened to fit."""
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
    """What each upload becomes; default thumbnail 150x150, small 300x300, preview 800x600 (jpeg, webp, png)."""
    max_object_bytes: NotRequired[int]
    """Largest upload processed, checked before it is read; default 50 MiB."""
    max_pixels: NotRequired[int]
    """Largest image processed, checked from its header before decoding; default 50 million."""
    min_remaining_ms: NotRequired[int]
    """Below this remaining time a record is retried instead of started (less than the timeout); default 10000."""
    force_destroy: NotRequired[bool]
    """Let `pulumi destroy` delete the buckets and the table with data in them; default false."""
    ia_transition_days: NotRequired[int]
    """Days before objects move to STANDARD_IA (at least 30); 0: never; default 30."""
    thumbnail_expiration_days: NotRequired[int]
    """Deprecated (use a rendition's expiration_days): days before a rendition named `thumbnail` that sets no
    expiration_days of its own expires; default 90."""
    noncurrent_expiration_days: NotRequired[int]
    """Days before noncurrent versions expire; default 30."""
    abort_multipart_days: NotRequired[int]
    """Days before incomplete multipart uploads are aborted; default 7."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """Customer KMS key for buckets, table, queue and logs; without it each service uses its own key."""
    log_kms_key_arn: NotRequired[pulumi.Input[str]]
    """A separate customer KMS key for the log groups (compliance mode); default: kms_key_arn."""
    strict_bucket_policies: NotRequired[bool]
    """Buckets also deny other encryption and every principal outside the account (needs kms_key_arn); default false."""
    subnet_ids: NotRequired[pulumi.Input[list[str]]]
    """Private subnets to run the function in (compliance mode); default: outside any VPC."""
    security_group_ids: NotRequired[pulumi.Input[list[str]]]
    """The function's security groups, with subnet_ids."""
    layer_arn: NotRequired[pulumi.Input[str]]
    """A Pillow layer of your own (its Pillow must match layers/pillow/requirements.txt); then none is built."""
    layer_cache_dir: NotRequired[str]
    """Where the Pillow layer is built and cached; default $IMAGEPIPE_LAYER_CACHE, else the user's cache folder."""
    reprocess_concurrency: NotRequired[int]
    """Reserved concurrency of the reprocessing function (S3 Batch Operations jobs): caps how hard a job drives
    S3, DynamoDB and the account's concurrency; -1 (the default) leaves it unreserved."""
    reprocess_files_expiration_days: NotRequired[int]
    """Days before reprocessing manifests and completion reports expire; default 30."""


# Default of ImagePipelineArgs.thumbnail_expiration_days (seed 000).
THUMBNAIL_EXPIRATION_DAYS: Final = 90
# The rendition the deprecated thumbnail_expiration_days applies to.
LEGACY_THUMBNAIL: Final = "thumbnail"
# The longest names made from the prefix (the processed bucket is named by Pulumi after it).
MAX_PREFIX: Final = max_prefix(
    LongestName(f"-{FUNCTION_STEM}-role", 64, autonamed=True),
    LongestName(f"-{FUNCTION_STEM}", 64),
    LongestName("-processed", 63, autonamed=True),
    LongestName(f"-{REPROCESS_STEM}-role", 64, autonamed=True),
    LongestName(f"-{REPROCESS_STEM}", 64),
    LongestName(f"-{REPROCESS_JOB_STEM}-role", 64, autonamed=True),
    LongestName("-reprocess", 63, autonamed=True),
)


class _RenditionsRule(Rule):
    """The function's own parser decides (the RENDITIONS it reads at run time take the same check)."""

    def __init__(self) -> None:
        super().__init__("a non-empty list of renditions (docs: RenditionArgs)", lambda _: True)

    def check(self, value: object) -> None:
        try:
            parse_renditions(value)
        except RenditionSpecError as exc:
            raise Violation(self.allowed, value, detail=str(exc)) from None


def pixels_fit_memory(
    memory_mb: int,
    max_pixels: int,
    max_object_bytes: int,
    names: tuple[str, str] = ("memory_mb", "max_object_bytes"),
) -> Violation | None:
    """Why a function of ``memory_mb`` cannot decode the worst upload the caps let in (None: it can).
    ``names``: what the caller calls the memory and the upload cap (Args fields, or config keys).

    The figure is the image core's own, measured (handlers/imaging/memory.py, `tasks.py bench-memory`).
    """
    most = max_pixels_for_memory(memory_mb, max_object_bytes)
    if max_pixels <= most:
        return None
    needed = decode_memory_mib(max_pixels, max_object_bytes)
    memory_name, bytes_name = names
    return Violation(
        f"at most {most} for {memory_name} {memory_mb} and {bytes_name} {max_object_bytes} "
        f"({max_pixels} pixels need {needed} MB of function memory: raise {memory_name} or lower a cap)",
        max_pixels,
    )


def _pixels_fit_memory(values: Mapping[str, Any]) -> None:
    problem = pixels_fit_memory(
        values.get("memory_mb", MEMORY_MB),
        values.get("max_pixels", contract.DEFAULT_MAX_PIXELS),
        values.get("max_object_bytes", contract.DEFAULT_MAX_OBJECT_BYTES),
    )
    if problem is not None:
        raise problem


def _remaining_fits_timeout(values: Mapping[str, Any]) -> None:
    timeout_ms = values.get("timeout_seconds", TIMEOUT_SECONDS) * 1000
    remaining = values.get("min_remaining_ms", contract.DEFAULT_MIN_REMAINING_MS)
    if remaining >= timeout_ms:
        raise Violation(f"less than the function's timeout ({timeout_ms} ms): no record would ever start", remaining)


def _strict_needs_key(values: Mapping[str, Any]) -> None:
    if values.get("strict_bucket_policies", False) and "kms_key_arn" not in values:
        raise Violation("given with strict_bucket_policies (they deny uploads under any other key)", None)


INPUTS: Final = ArgsCheck(
    ImagePipelineArgs,
    {
        "name_prefix": prefix_rule(MAX_PREFIX),
        "tags": aws_values.tags,
        "memory_mb": lambda_rules.memory_mb,
        "timeout_seconds": lambda_rules.timeout_seconds,
        "architecture": lambda_rules.architecture,
        "reserved_concurrency": lambda_rules.reserved_concurrency,
        "log_retention_days": aws_values.log_retention_days,
        "max_retry_attempts": lambda_rules.max_retry_attempts,
        "max_event_age_seconds": lambda_rules.max_event_age_seconds,
        "renditions": _RenditionsRule(),
        "max_object_bytes": whole(1, aws_values.S3_MAX_SINGLE_UPLOAD_BYTES),
        "max_pixels": whole(1),
        "min_remaining_ms": whole(1),
        "ia_transition_days": bucket_rules.ia_transition_days,
        "thumbnail_expiration_days": whole(1),
        "noncurrent_expiration_days": whole(1),
        "abort_multipart_days": whole(1),
        "kms_key_arn": aws_values.kms_key_arn,
        "log_kms_key_arn": aws_values.kms_key_arn,
        "subnet_ids": aws_values.subnet_ids,
        "security_group_ids": aws_values.security_group_ids,
        "layer_arn": aws_values.layer_version_arn,
        "reprocess_concurrency": lambda_rules.reserved_concurrency,
        "reprocess_files_expiration_days": whole(1),
    },
    across=(
        lambda_rules.VPC_NEEDS_SECURITY_GROUPS,
        FieldCheck("min_remaining_ms", _remaining_fits_timeout),
        FieldCheck("max_pixels", _pixels_fit_memory),
        FieldCheck("kms_key_arn", _strict_needs_key),
    ),
)


def rendition_specs(args: ImagePipelineArgs) -> tuple[RenditionSpec, ...]:
    """The renditions, validated (a bad one raises RenditionSpecError naming it)."""
    given = args.get("renditions")
    return DEFAULT_RENDITIONS if given is None else parse_renditions([dict(r) for r in given])


def rendition_expirations(args: ImagePipelineArgs) -> list[TagExpirationArgs]:
    """One lifecycle expiry per rendition that sets one; the legacy thumbnail expiry where it applies."""
    expirations: list[TagExpirationArgs] = []
    for spec in rendition_specs(args):
        days = spec.expiration_days
        if days is None and spec.name == LEGACY_THUMBNAIL:
            days = args.get("thumbnail_expiration_days", THUMBNAIL_EXPIRATION_DAYS)
        if days is not None:
            expirations.append(TagExpirationArgs(key=contract.RENDITION_TAG_KEY, value=spec.name, days=days))
    return expirations


def function_environment(args: ImagePipelineArgs, processed_bucket: str, metadata_table: str) -> dict[str, str]:
    """The image processor's environment variables for these Args."""
    return processor_environment(
        processed_bucket,
        metadata_table,
        renditions=rendition_specs(args),
        max_object_bytes=args.get("max_object_bytes", contract.DEFAULT_MAX_OBJECT_BYTES),
        max_pixels=args.get("max_pixels", contract.DEFAULT_MAX_PIXELS),
        min_remaining_ms=args.get("min_remaining_ms", contract.DEFAULT_MIN_REMAINING_MS),
    )


class ImagePipeline(pulumi.ComponentResource):
    """Upload bucket -> image-processing Lambda (Pillow layer) -> processed bucket and metadata table.

    Physical names start with the prefix (`{prefix}-image-processor`, `{prefix}-images`, ...).
    """

    upload_bucket_name: pulumi.Output[str]
    """Upload here, under `upload_prefix`."""
    upload_bucket_arn: pulumi.Output[str]
    """ARN of the upload bucket."""
    upload_prefix: pulumi.Output[str]
    """The key prefix uploads go under (`uploads/`, then the user's id): the only one that triggers the function."""
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
    role_name: pulumi.Output[str]
    """The function's role (to grant it more, e.g. a key of your own)."""
    role_arn: pulumi.Output[str]
    """ARN of the function's role."""
    layer_arn: pulumi.Output[str]
    """The Pillow layer version the function runs with (the one given, or the one built)."""
    log_group_name: pulumi.Output[str]
    """The function's log group (JSON lines)."""
    failure_queue_name: pulumi.Output[str]
    """Events that failed after every retry."""
    failure_queue_arn: pulumi.Output[str]
    """ARN of the failure queue."""
    failure_queue_url: pulumi.Output[str]
    """URL of the failure queue."""
    rendering_fingerprint: pulumi.Output[str]
    """What the functions make of each upload (the renditions and the image core's version), as items record it."""
    reprocess_function_name: pulumi.Output[str]
    """The function S3 Batch Operations invokes to re-render stored images (same code, layer and settings)."""
    reprocess_function_arn: pulumi.Output[str]
    """ARN of the reprocessing function: a job's LambdaInvoke FunctionArn."""
    reprocess_log_group_name: pulumi.Output[str]
    """The reprocessing function's log group (one reprocess.task line per task)."""
    reprocess_job_role_arn: pulumi.Output[str]
    """The role a reprocessing job runs as (CreateJob's RoleArn)."""
    reprocess_bucket_name: pulumi.Output[str]
    """Where reprocessing manifests and completion reports live."""
    reprocess_bucket_arn: pulumi.Output[str]
    """ARN of that bucket."""
    reprocess_manifest_prefix: pulumi.Output[str]
    """Manifests go under this prefix of the reprocessing bucket."""
    reprocess_report_prefix: pulumi.Output[str]
    """Completion reports go under this prefix of the reprocessing bucket."""

    def __init__(self, name: str, args: ImagePipelineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("ImagePipeline", name, args)
        super().__init__(type_token(ImagePipeline), name, None, component_options(ImagePipeline, opts))
        self._name_prefix = name_prefix(args.get("name_prefix"), name, MAX_PREFIX)
        self._args = args
        self._tags = dict(args.get("tags", {}))
        self._kms = args.get("kms_key_arn")
        self._log_kms = args.get("log_kms_key_arn", self._kms)
        self._architecture: Architecture = args.get("architecture", ARCHITECTURE)  # type: ignore[assignment]
        child = pulumi.ResourceOptions(parent=self)
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        self.upload_bucket = self._bucket(self._child_name("uploads"), tag_expirations=[], opts=child)
        # Renditions live apart from uploads, so writing one can never trigger the function again.
        self.processed_bucket = self._bucket(
            self._child_name("processed"), tag_expirations=rendition_expirations(args), opts=child
        )
        self.table = self._metadata_table(child)
        self.failure_queue = self._failure_queue(child)
        self.layer_arn = self._pillow_layer(child)
        processor = lambda_function(
            self._function_settings(FUNCTION_STEM, HANDLER, args.get("reserved_concurrency", UNRESERVED)),
            self._policy(self.failure_queue.arn),
            child,
        )
        self.log_group, self.function, self.role = processor.log_group, processor.function, processor.role
        self._async_invoke_config(child)
        permission = self._s3_invoke_permission(account_id, child)
        self._upload_notification(pulumi.ResourceOptions(parent=self, depends_on=[permission]))
        # Reprocessing on S3 Batch Operations: a function of its own (its load and failures never reach the
        # processor's alarms, its concurrency is capped apart), a bucket for manifests and reports, a job role.
        self.reprocess_bucket = self._reprocess_bucket(child)
        self.reprocess = lambda_function(
            self._function_settings(
                REPROCESS_STEM, contract.REPROCESS_HANDLER, args.get("reprocess_concurrency", UNRESERVED)
            ),
            self._policy(None),
            child,
        )
        self.reprocess_job_role = self._reprocess_job_role(account_id, child)

        self.upload_bucket_name = self.upload_bucket.name
        self.upload_bucket_arn = self.upload_bucket.arn
        self.upload_prefix = pulumi.Output.from_input(contract.UPLOAD_PREFIX)
        self.processed_bucket_name = self.processed_bucket.name
        self.processed_bucket_arn = self.processed_bucket.arn
        self.table_name = self.table.name
        self.table_arn = self.table.arn
        self.function_name = self.function.name
        self.function_arn = self.function.arn
        self.role_name = self.role.name
        self.role_arn = self.role.arn
        self.log_group_name = self.log_group.name
        self.failure_queue_name = self.failure_queue.name
        self.failure_queue_arn = self.failure_queue.arn
        self.failure_queue_url = self.failure_queue.url
        self.rendering_fingerprint = pulumi.Output.from_input(rendering_fingerprint(rendition_specs(args)))
        self.reprocess_function_name = self.reprocess.function.name
        self.reprocess_function_arn = self.reprocess.function.arn
        self.reprocess_log_group_name = self.reprocess.log_group.name
        self.reprocess_job_role_arn = self.reprocess_job_role.arn
        self.reprocess_bucket_name = self.reprocess_bucket.name
        self.reprocess_bucket_arn = self.reprocess_bucket.arn
        self.reprocess_manifest_prefix = pulumi.Output.from_input(contract.REPROCESS_MANIFEST_PREFIX)
        self.reprocess_report_prefix = pulumi.Output.from_input(contract.REPROCESS_REPORT_PREFIX)
        self.register_outputs(
            {
                "upload_bucket_name": self.upload_bucket_name,
                "upload_bucket_arn": self.upload_bucket_arn,
                "upload_prefix": self.upload_prefix,
                "processed_bucket_name": self.processed_bucket_name,
                "processed_bucket_arn": self.processed_bucket_arn,
                "table_name": self.table_name,
                "table_arn": self.table_arn,
                "function_name": self.function_name,
                "function_arn": self.function_arn,
                "role_name": self.role_name,
                "role_arn": self.role_arn,
                "layer_arn": self.layer_arn,
                "log_group_name": self.log_group_name,
                "failure_queue_name": self.failure_queue_name,
                "failure_queue_arn": self.failure_queue_arn,
                "failure_queue_url": self.failure_queue_url,
                "rendering_fingerprint": self.rendering_fingerprint,
                "reprocess_function_name": self.reprocess_function_name,
                "reprocess_function_arn": self.reprocess_function_arn,
                "reprocess_log_group_name": self.reprocess_log_group_name,
                "reprocess_job_role_arn": self.reprocess_job_role_arn,
                "reprocess_bucket_name": self.reprocess_bucket_name,
                "reprocess_bucket_arn": self.reprocess_bucket_arn,
                "reprocess_manifest_prefix": self.reprocess_manifest_prefix,
                "reprocess_report_prefix": self.reprocess_report_prefix,
            }
        )

    def _child_name(self, *parts: str) -> str:
        """`{prefix}-part`: the logical and, where AWS allows, physical name of a child."""
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
            # DynamoDB deletes the image API's tombstones some time after they expire (handlers/tombstone.py).
            ttl=aws.dynamodb.TableTtlArgs(attribute_name=contract.TABLE_TTL_ATTRIBUTE, enabled=True),
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

    def _policy(
        self, failure_queue_arn: pulumi.Output[str] | None
    ) -> Callable[[pulumi.Output[str]], pulumi.Output[str]]:
        """The processor's policy; the reprocessing function's lacks the failure queue and reads named versions only."""
        tracing = self._args.get("tracing", False)

        def policy(log_group_arn: pulumi.Output[str]) -> pulumi.Output[str]:
            return pulumi.Output.all(
                self.upload_bucket.arn,
                self.processed_bucket.arn,
                log_group_arn,
                self.table.arn,
                failure_queue_arn,
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
                            named_versions_only=failure_queue_arn is None,
                        )
                    )
                )
            )

        return policy

    def _reprocess_bucket(self, opts: pulumi.ResourceOptions) -> SecureBucket:
        """Manifests and completion reports: a small bucket of its own, each file expiring after some days.

        Its own, not a prefix of the upload or processed bucket: its lifecycle expires everything, the job
        role's grants stop at its two prefixes, and no user data shares it. It gets the stack's key as its
        default encryption (compliance mode: the data key), but not the strict policy's "deny any other
        encryption": Batch Operations writes its completion reports with SSE-S3 ("Completion reports are
        always encrypted with Amazon S3 managed keys (SSE-S3)", S3 User Guide, batch-ops-examples-reports),
        which that statement would refuse.
        """
        a = self._args
        bucket_args = SecureBucketArgs(
            tags=self._tags,
            force_destroy=a.get("force_destroy", False),
            ia_transition_days=0,  # short-lived files: never worth a transition
            expiration_days=a.get("reprocess_files_expiration_days", REPROCESS_FILES_EXPIRATION_DAYS),
            noncurrent_expiration_days=a.get("noncurrent_expiration_days", NONCURRENT_EXPIRATION_DAYS),
            abort_multipart_days=a.get("abort_multipart_days", ABORT_MULTIPART_DAYS),
        )
        if self._kms is not None:
            bucket_args["kms_key_arn"] = self._kms
        return SecureBucket(self._child_name("reprocess"), bucket_args, opts=opts)

    def _reprocess_job_role(self, account_id: pulumi.Output[str], opts: pulumi.ResourceOptions) -> aws.iam.Role:
        name = self._child_name(REPROCESS_JOB_STEM)
        role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=account_id.apply(
                lambda account: json.dumps(batch_operations_assume_role_policy(account))
            ),
            tags=self._tags,
            opts=opts,
        )
        policy = pulumi.Output.all(self.reprocess_bucket.arn, self.reprocess.function.arn, self._kms).apply(
            lambda v: json.dumps(
                reprocess_job_policy(
                    ReprocessJobResources(
                        bucket_arn=v[0],
                        manifest_prefix=contract.REPROCESS_MANIFEST_PREFIX,
                        report_prefix=contract.REPROCESS_REPORT_PREFIX,
                        function_arn=v[1],
                        kms_key_arn=v[2],
                    )
                )
            )
        )
        aws.iam.RolePolicy(f"{name}-policy", role=role.id, policy=policy, opts=opts)
        return role

    def _pillow_layer(self, opts: pulumi.ResourceOptions) -> pulumi.Output[str]:
        """The layer's version ARN: the one given, or one built (or reused from the cache) and published."""
        given = self._args.get("layer_arn")
        if given is not None:
            return pulumi.Output.from_input(given)
        name = self._child_name("pillow")
        cache = self._args.get("layer_cache_dir")
        layer = aws.lambda_.LayerVersion(
            name,
            layer_name=name,
            code=pillow_layer_archive(self._architecture, None if cache is None else Path(cache)),
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[self._architecture],
            description="Pillow for the image processor (layers/pillow/requirements.txt)",
            opts=opts,
        )
        return layer.arn

    def _function_settings(self, stem: str, handler: str, reserved_concurrency: int) -> FunctionSettings:
        """The image processor's settings, or the reprocessing function's: the same but for these three."""
        a = self._args
        return FunctionSettings(
            prefix=self._name_prefix,
            stem=stem,
            handler=handler,
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
            layers=[self.layer_arn],
            reserved_concurrency=reserved_or_none(reserved_concurrency),
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
