"""ImageApi: a REST API for signed-in users to upload straight to S3, list, fetch and delete their images.

API Gateway REST (not an HTTP API: only REST stages trace with X-Ray, and the seed's API was REST)
with a Cognito user-pool authorizer on every route, in front of a Python function
(`handlers.image_api.handler`) that shares the ImagePipeline's buckets and table. No image bytes pass
through the API: POST /images answers with a presigned POST straight to the upload bucket.
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import lambda_function as lambda_rules
from components.function_defaults import ARCHITECTURE, LOG_RETENTION_DAYS
from components.iam_documents import (
    ApiResources,
    api_gateway_logging_assume_role_policy,
    api_policy,
)
from components.inputs import ArgsCheck, FieldCheck, Violation, aws_values, each, matches, number, one_of, whole
from components.lambda_environment import api_environment
from components.lambda_function import FunctionSettings, in_vpc, lambda_function, vpc_config
from components.naming import LongestName, max_prefix, name_prefix, prefix_rule
from components.type_tokens import component_options, type_token
from handlers import contract

STAGE: Final = "v1"
# Defaults of ImageApiArgs.
API_MEMORY_MB: Final = 256
# API Gateway gives up on an integration after 29 s by default (its integration timeout quota,
# https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html); a longer function
# would answer nobody. The API's work is a few small AWS calls.
API_TIMEOUT_SECONDS: Final = 10
API_GATEWAY_TIMEOUT_SECONDS: Final = 29
THROTTLE_RATE_LIMIT: Final = 50
THROTTLE_BURST_LIMIT: Final = 100
COGNITO: Final = "cognito"
NO_AUTHORIZER: Final = "none"
# Who every request is when a stack runs the API without an authorizer (never prod).
ANONYMOUS_USER: Final = "anonymous"
# One JSON object per request in the access log (API Gateway's $context variables).
ACCESS_LOG_FORMAT: Final = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "caller": "$context.authorizer.claims.sub",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "resourcePath": "$context.resourcePath",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
        "latencyMs": "$context.responseLatency",
        "integrationLatencyMs": "$context.integrationLatency",
        "integrationError": "$context.integrationErrorMessage",
    },
    separators=(",", ":"),
)
# API Gateway's own refusals, in the API's error shape ({"error": code, "message": text}).
GATEWAY_ERRORS: Final = {
    "UNAUTHORIZED": ("unauthorized", "sign in: a valid Cognito ID token is required"),
    "ACCESS_DENIED": ("unauthorized", "the token is not accepted for this API"),
    "THROTTLED": ("throttled", "too many requests: slow down and retry"),
    "REQUEST_TOO_LARGE": ("too_large", "the request body is too large"),
    "DEFAULT_4XX": ("bad_request", "the request was refused"),
    "DEFAULT_5XX": ("internal", "the API failed; retry later"),
}


# `{prefix}-image-api`: the function, and its log group, role and policy after it.
FUNCTION_STEM: Final = "image-api"


class ImageApiArgs(TypedDict):
    upload_bucket_name: pulumi.Input[str]
    """The pipeline's upload bucket (ImagePipeline's upload_bucket_name)."""
    upload_bucket_arn: pulumi.Input[str]
    """Its ARN (ImagePipeline's upload_bucket_arn)."""
    processed_bucket_name: pulumi.Input[str]
    """The pipeline's processed bucket (ImagePipeline's processed_bucket_name)."""
    processed_bucket_arn: pulumi.Input[str]
    """Its ARN (ImagePipeline's processed_bucket_arn)."""
    table_name: pulumi.Input[str]
    """The pipeline's metadata table (ImagePipeline's table_name)."""
    table_arn: pulumi.Input[str]
    """Its ARN (ImagePipeline's table_arn)."""
    name_prefix: NotRequired[str]
    """Prefix of every physical name (`{prefix}-image-api`); default `{project}-{stack}-{name}`, shortened to fit."""
    tags: NotRequired[dict[str, str]]
    """Tags for every taggable child; none by default."""
    authorizer: NotRequired[str]
    """`cognito` (the default): every route needs a Cognito ID token; `none`: every caller is one anonymous user."""
    user_pool_id: NotRequired[pulumi.Input[str]]
    """An existing Cognito user pool to sign users in with; without it the component creates one."""
    cors_origins: NotRequired[list[str]]
    """Exact origins browsers may call the API from (`https://app.example.com`); none by default."""
    throttle_rate_limit: NotRequired[float]
    """Steady requests per second across the API; default 50."""
    throttle_burst_limit: NotRequired[int]
    """Requests allowed in a burst; default 100."""
    max_object_bytes: NotRequired[int]
    """Largest upload the API signs for: the pipeline's cap. Default 50 MiB."""
    url_ttl_seconds: NotRequired[int]
    """Seconds presigned upload and download URLs stay valid (1-3600); default 300."""
    architecture: NotRequired[str]
    """`arm64` or `x86_64`: the image function's; default arm64."""
    memory_mb: NotRequired[int]
    """The API function's memory in MB (128-10240); default 256."""
    timeout_seconds: NotRequired[int]
    """The API function's timeout (1-29 s: API Gateway stops waiting at 29 s); default 10."""
    log_retention_days: NotRequired[int]
    """Retention of the function's and the access log groups; default 7."""
    tracing: NotRequired[bool]
    """X-Ray tracing of the stage and the function; default false."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """The pipeline's customer KMS key, if its buckets use one (for presigned URLs and the logs)."""
    log_kms_key_arn: NotRequired[pulumi.Input[str]]
    """A separate customer KMS key for the log groups (compliance mode); default: kms_key_arn."""
    subnet_ids: NotRequired[pulumi.Input[list[str]]]
    """Private subnets to run the function in (compliance mode); default: outside any VPC."""
    security_group_ids: NotRequired[pulumi.Input[list[str]]]
    """The function's security groups, with subnet_ids."""
    force_destroy: NotRequired[bool]
    """Let `pulumi destroy` delete the created user pool and its users (disposable stacks); default false."""
    manage_account_logging_role: NotRequired[bool]
    """Set the API Gateway CloudWatch role access logs need (one per account and region); default true."""


# The longest names made from the prefix.
MAX_PREFIX: Final = max_prefix(
    LongestName("-apigateway-logging-role", 64, autonamed=True),
    LongestName(f"-{FUNCTION_STEM}-role", 64, autonamed=True),
    LongestName(f"-{FUNCTION_STEM}", 64),
)
_ORIGIN: Final = r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?"
# A presigned URL signed with the function's temporary credentials stops working when they expire,
# whatever its own expiry says (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html);
# an hour stays well inside a Lambda execution role's session.
MAX_URL_TTL_SECONDS: Final = 3600


def _pool_needs_authorizer(values: Mapping[str, Any]) -> None:
    if "user_pool_id" in values and values.get("authorizer", COGNITO) == NO_AUTHORIZER:
        raise Violation(f"left out with authorizer {NO_AUTHORIZER} (no pool signs anyone in)", values["user_pool_id"])


INPUTS: Final = ArgsCheck(
    ImageApiArgs,
    {
        "upload_bucket_arn": aws_values.s3_bucket_arn,
        "processed_bucket_arn": aws_values.s3_bucket_arn,
        "table_arn": aws_values.dynamodb_table_arn,
        "name_prefix": prefix_rule(MAX_PREFIX),
        "tags": aws_values.tags,
        "authorizer": one_of(COGNITO, NO_AUTHORIZER),
        "user_pool_id": aws_values.user_pool_id,
        # '*' would let any site drive a signed-in user's browser against the API.
        "cors_origins": each(matches(_ORIGIN, "an exact origin like https://app.example.com (no path, not '*')")),
        # API Gateway's account-level defaults: 10,000 requests per second, bursts of 5,000.
        "throttle_rate_limit": number(1, 10000),
        "throttle_burst_limit": whole(1, 5000),
        "max_object_bytes": whole(1, aws_values.S3_MAX_SINGLE_UPLOAD_BYTES),
        "url_ttl_seconds": whole(1, MAX_URL_TTL_SECONDS),
        "architecture": lambda_rules.architecture,
        "memory_mb": lambda_rules.memory_mb,
        "timeout_seconds": whole(1, API_GATEWAY_TIMEOUT_SECONDS),
        "log_retention_days": aws_values.log_retention_days,
        "kms_key_arn": aws_values.kms_key_arn,
        "log_kms_key_arn": aws_values.kms_key_arn,
        "subnet_ids": aws_values.subnet_ids,
        "security_group_ids": aws_values.security_group_ids,
    },
    across=(lambda_rules.VPC_NEEDS_SECURITY_GROUPS, FieldCheck("user_pool_id", _pool_needs_authorizer)),
)


def function_environment(args: ImageApiArgs, upload_bucket: str, processed_bucket: str, table: str) -> dict[str, str]:
    """The API function's environment variables for these Args."""
    return api_environment(
        upload_bucket,
        processed_bucket,
        table,
        max_object_bytes=args.get("max_object_bytes", contract.DEFAULT_MAX_OBJECT_BYTES),
        url_ttl_seconds=args.get("url_ttl_seconds", contract.DEFAULT_URL_TTL_SECONDS),
        cors_origins=args.get("cors_origins", []),
        anonymous_user=ANONYMOUS_USER if args.get("authorizer", COGNITO) == NO_AUTHORIZER else None,
    )


class ImageApi(pulumi.ComponentResource):
    """REST API for signed-in users' images: presigned uploads, list, fetch and delete, with access logs."""

    api_url: pulumi.Output[str]
    """Base URL of the stage: `{api_url}/images`."""
    api_name: pulumi.Output[str]
    """The REST API's name (the ApiName dimension of its metrics)."""
    stage_name: pulumi.Output[str]
    """The stage (the Stage dimension of its metrics)."""
    function_name: pulumi.Output[str]
    """The API function."""
    role_name: pulumi.Output[str]
    """The API function's role."""
    role_arn: pulumi.Output[str]
    """ARN of the API function's role."""
    access_log_group_name: pulumi.Output[str]
    """JSON access logs, one line per request."""
    user_pool_id: pulumi.Output[str]
    """The Cognito user pool that signs callers in; empty without an authorizer."""
    user_pool_client_id: pulumi.Output[str]
    """The app client of the created pool; empty when the pool was given or there is no authorizer."""

    def __init__(self, name: str, args: ImageApiArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("ImageApi", name, args)
        super().__init__(type_token(ImageApi), name, None, component_options(ImageApi, opts))
        self._args = args
        self._prefix = name_prefix(args.get("name_prefix"), name, MAX_PREFIX)
        self._tags = dict(args.get("tags", {}))
        self._kms = args.get("kms_key_arn")
        self._log_kms = args.get("log_kms_key_arn", self._kms)
        self._authorizer = args.get("authorizer", COGNITO)
        architecture = args.get("architecture", ARCHITECTURE)
        child = pulumi.ResourceOptions(parent=self)
        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region

        pool_arn = self._user_pool(region, child)
        api_function = lambda_function(self._function_settings(architecture), self._policy, child)
        self.function_log_group, self.function = api_function.log_group, api_function.function
        self.role = api_function.role
        self.rest_api = aws.apigateway.RestApi(
            self._child_name("image-api"),
            name=self._child_name("image-api"),
            description="Signed-in users' images: presigned uploads, list, fetch, delete",
            endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="REGIONAL"),
            tags=self._tags,
            opts=child,
        )
        authorizer = self._cognito_authorizer(pool_arn, child)
        routes = self._routes(authorizer, child)
        self._gateway_errors(child)
        permission = aws.lambda_.Permission(
            self._child_name("image-api-invoke"),
            action="lambda:InvokeFunction",
            function=self.function.name,
            principal="apigateway.amazonaws.com",
            source_arn=self.rest_api.execution_arn.apply(lambda arn: f"{arn}/*/*"),
            opts=child,
        )
        self.stage = self._stage(routes, permission, child)

        self.api_url = self.stage.invoke_url
        self.api_name = self.rest_api.name
        self.stage_name = self.stage.stage_name
        self.function_name = self.function.name
        self.role_name = self.role.name
        self.role_arn = self.role.arn
        self.access_log_group_name = self.access_log_group.name
        self.register_outputs(
            {
                "api_url": self.api_url,
                "api_name": self.api_name,
                "stage_name": self.stage_name,
                "function_name": self.function_name,
                "role_name": self.role_name,
                "role_arn": self.role_arn,
                "access_log_group_name": self.access_log_group_name,
                "user_pool_id": self.user_pool_id,
                "user_pool_client_id": self.user_pool_client_id,
            }
        )

    def _child_name(self, *parts: str) -> str:
        return "-".join((self._prefix, *parts))

    def _user_pool(self, region: pulumi.Output[str], opts: pulumi.ResourceOptions) -> pulumi.Output[str] | None:
        """The pool's ARN (None without an authorizer); sets user_pool_id and user_pool_client_id."""
        self.user_pool_client_id = pulumi.Output.from_input("")
        if self._authorizer == NO_AUTHORIZER:
            self.user_pool_id = pulumi.Output.from_input("")
            return None
        given = self._args.get("user_pool_id")
        if given is not None:
            self.user_pool_id = pulumi.Output.from_input(given)
            account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
            return pulumi.Output.all(region, account, given).apply(
                lambda v: f"arn:aws:cognito-idp:{v[0]}:{v[1]}:userpool/{v[2]}"
            )
        pool = aws.cognito.UserPool(
            self._child_name("users"),
            name=self._child_name("users"),
            username_attributes=["email"],
            auto_verified_attributes=["email"],
            password_policy=aws.cognito.UserPoolPasswordPolicyArgs(
                minimum_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_numbers=True,
                require_symbols=False,
                temporary_password_validity_days=3,
            ),
            mfa_configuration="OPTIONAL",
            software_token_mfa_configuration=aws.cognito.UserPoolSoftwareTokenMfaConfigurationArgs(enabled=True),
            account_recovery_setting=aws.cognito.UserPoolAccountRecoverySettingArgs(
                recovery_mechanisms=[
                    aws.cognito.UserPoolAccountRecoverySettingRecoveryMechanismArgs(name="verified_email", priority=1)
                ]
            ),
            # The pool is every user's account: only disposable stacks may delete it.
            deletion_protection="INACTIVE" if self._args.get("force_destroy", False) else "ACTIVE",
            tags=self._tags,
            opts=opts,
        )
        client = aws.cognito.UserPoolClient(
            self._child_name("api-client"),
            name=self._child_name("api-client"),
            user_pool_id=pool.id,
            # A public client (browser or app): no secret; SRP sign-in, refresh tokens.
            generate_secret=False,
            explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            prevent_user_existence_errors="ENABLED",
            enable_token_revocation=True,
            id_token_validity=60,
            access_token_validity=60,
            refresh_token_validity=30,
            token_validity_units=aws.cognito.UserPoolClientTokenValidityUnitsArgs(
                id_token="minutes", access_token="minutes", refresh_token="days"
            ),
            opts=opts,
        )
        self.user_pool_id = pool.id
        self.user_pool_client_id = client.id
        return pool.arn

    def _log_group(self, logical: str, name: str, opts: pulumi.ResourceOptions) -> aws.cloudwatch.LogGroup:
        return aws.cloudwatch.LogGroup(
            self._child_name(logical),
            name=name,
            retention_in_days=self._args.get("log_retention_days", LOG_RETENTION_DAYS),
            kms_key_id=self._log_kms,
            tags=self._tags,
            opts=opts,
        )

    def _policy(self, log_group_arn: pulumi.Output[str]) -> pulumi.Output[str]:
        a = self._args
        tracing = a.get("tracing", False)
        return pulumi.Output.all(
            a["upload_bucket_arn"], a["processed_bucket_arn"], a["table_arn"], log_group_arn, self._kms
        ).apply(
            lambda v: json.dumps(
                api_policy(
                    ApiResources(
                        upload_bucket_arn=v[0],
                        processed_bucket_arn=v[1],
                        table_arn=v[2],
                        log_group_arn=v[3],
                        kms_key_arn=v[4],
                        tracing=tracing,
                        in_vpc=in_vpc(a),
                    )
                )
            )
        )

    def _function_settings(self, architecture: str) -> FunctionSettings:
        a = self._args
        return FunctionSettings(
            prefix=self._prefix,
            stem=FUNCTION_STEM,
            handler=contract.API_HANDLER,
            memory_mb=a.get("memory_mb", API_MEMORY_MB),
            timeout_s=a.get("timeout_seconds", API_TIMEOUT_SECONDS),
            architecture=architecture,
            environment=pulumi.Output.all(a["upload_bucket_name"], a["processed_bucket_name"], a["table_name"]).apply(
                lambda v: function_environment(a, v[0], v[1], v[2])
            ),
            log_retention_days=a.get("log_retention_days", LOG_RETENTION_DAYS),
            tags=self._tags,
            log_kms_key_arn=self._log_kms,
            tracing=a.get("tracing", False),
            vpc=vpc_config(a),
        )

    def _cognito_authorizer(
        self, pool_arn: pulumi.Output[str] | None, opts: pulumi.ResourceOptions
    ) -> aws.apigateway.Authorizer | None:
        if pool_arn is None:
            return None
        return aws.apigateway.Authorizer(
            self._child_name("image-api-cognito"),
            name=self._child_name("cognito"),
            rest_api=self.rest_api.id,
            type="COGNITO_USER_POOLS",
            provider_arns=[pool_arn],
            identity_source="method.request.header.Authorization",
            opts=opts,
        )

    def _routes(
        self, authorizer: aws.apigateway.Authorizer | None, opts: pulumi.ResourceOptions
    ) -> list[pulumi.Resource]:
        """/images and /images/{id}: ANY behind the authorizer (the function answers 405 for a wrong
        method), OPTIONS without it (browsers send preflights without credentials)."""
        images = aws.apigateway.Resource(
            self._child_name("images"),
            rest_api=self.rest_api.id,
            parent_id=self.rest_api.root_resource_id,
            path_part=contract.API_IMAGES_PATH.strip("/"),
            opts=opts,
        )
        image = aws.apigateway.Resource(
            self._child_name("image"),
            rest_api=self.rest_api.id,
            parent_id=images.id,
            path_part=f"{{{contract.API_IMAGE_ID_PARAM}}}",
            opts=opts,
        )
        created: list[pulumi.Resource] = []
        for label, resource in (("images", images), ("image", image)):
            for method in ("ANY", "OPTIONS"):
                guarded = method != "OPTIONS" and authorizer is not None
                route = aws.apigateway.Method(
                    self._child_name(label, method.lower()),
                    rest_api=self.rest_api.id,
                    resource_id=resource.id,
                    http_method=method,
                    authorization="COGNITO_USER_POOLS" if guarded else "NONE",
                    authorizer_id=authorizer.id if guarded and authorizer is not None else None,
                    opts=opts,
                )
                integration = aws.apigateway.Integration(
                    self._child_name(label, method.lower(), "integration"),
                    rest_api=self.rest_api.id,
                    resource_id=resource.id,
                    http_method=route.http_method,
                    type="AWS_PROXY",
                    integration_http_method="POST",
                    uri=self.function.invoke_arn,
                    opts=opts,
                )
                created += [route, integration]
        return created

    def _gateway_errors(self, opts: pulumi.ResourceOptions) -> None:
        for response_type, (code, message) in GATEWAY_ERRORS.items():
            aws.apigateway.Response(
                self._child_name("image-api", response_type.lower().replace("_", "-")),
                rest_api_id=self.rest_api.id,
                response_type=response_type,
                response_templates={"application/json": json.dumps({"error": code, "message": message})},
                opts=opts,
            )

    def _stage(
        self, routes: list[pulumi.Resource], permission: aws.lambda_.Permission, opts: pulumi.ResourceOptions
    ) -> aws.apigateway.Stage:
        a = self._args
        # A deployment is a snapshot of the routes: redeploy when they, the function or the authorizer change.
        fingerprint = hashlib.sha256(
            json.dumps([contract.API_IMAGES_PATH, contract.API_IMAGE_PATH, self._authorizer]).encode()
        ).hexdigest()
        deployment = aws.apigateway.Deployment(
            self._child_name("image-api-deployment"),
            rest_api=self.rest_api.id,
            triggers={"routes": fingerprint, "function": self.function.invoke_arn},
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[*routes, permission])),
        )
        self.access_log_group = self._log_group(
            "image-api-access-logs", f"/aws/apigateway/{self._child_name('image-api')}", opts
        )
        depends: list[pulumi.Resource] = []
        if a.get("manage_account_logging_role", True):
            depends.append(self._account_logging_role(opts))
        stage = aws.apigateway.Stage(
            self._child_name("image-api-stage"),
            rest_api=self.rest_api.id,
            deployment=deployment.id,
            stage_name=STAGE,
            xray_tracing_enabled=a.get("tracing", False),
            access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
                destination_arn=self.access_log_group.arn, format=ACCESS_LOG_FORMAT
            ),
            tags=self._tags,
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=depends)),
        )
        aws.apigateway.MethodSettings(
            self._child_name("image-api-throttling"),
            rest_api=self.rest_api.id,
            stage_name=stage.stage_name,
            method_path="*/*",
            settings=aws.apigateway.MethodSettingsSettingsArgs(
                throttling_rate_limit=a.get("throttle_rate_limit", THROTTLE_RATE_LIMIT),
                throttling_burst_limit=a.get("throttle_burst_limit", THROTTLE_BURST_LIMIT),
                metrics_enabled=True,
                # Execution logs at ERROR record gateway failures (authorizer, integration, mapping) without
                # request or response bodies, which only data tracing copies; so tracing stays off.
                # Security Hub APIGateway.1 / checkov CKV2_AWS_4 expect ERROR or INFO.
                logging_level="ERROR",
                data_trace_enabled=False,
            ),
            opts=opts,
        )
        return stage

    def _account_logging_role(self, opts: pulumi.ResourceOptions) -> aws.apigateway.Account:
        """API Gateway writes access logs only once the region's account settings name a role."""
        role = aws.iam.Role(
            self._child_name("apigateway-logging-role"),
            assume_role_policy=json.dumps(api_gateway_logging_assume_role_policy()),
            tags=self._tags,
            opts=opts,
        )
        aws.iam.RolePolicyAttachment(
            self._child_name("apigateway-logging-policy"),
            role=role.name,
            policy_arn="arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
            opts=opts,
        )
        return aws.apigateway.Account(self._child_name("apigateway-account"), cloudwatch_role_arn=role.arn, opts=opts)
