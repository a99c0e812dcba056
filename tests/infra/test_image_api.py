"""ImageApi: REST API, Cognito authorizer on every route, CORS, throttling, access logs, a least-privilege role."""

import ast
import json
from typing import Any

import pytest

from handlers import contract
from offline.runtime import Evaluation, evaluate_program
from program.config import STACKS, ConfigError, stack_file_values
from tests.infra.policy_reading import statements

METHOD = "aws:apigateway/method:Method"
FUNCTION = "aws:lambda/function:Function"


def api_function(ev: Evaluation) -> dict[str, Any]:
    return ev.one(FUNCTION, f"imagepipe-{ev.stack}-image-api").inputs


def api_statements(ev: Evaluation) -> dict[str, dict[str, Any]]:
    return statements(
        ev.one("aws:iam/rolePolicy:RolePolicy", f"imagepipe-{ev.stack}-image-api-policy").inputs["policy"]
    )


def arn_of(ev: Evaluation, type_: str, name: str) -> str:
    return str(ev.one(type_, name).outputs["arn"])


# --- routes and who may call them ---


def test_api_is_a_regional_rest_api(prod: Evaluation) -> None:
    api = prod.one("aws:apigateway/restApi:RestApi").inputs
    assert (api["name"], api["endpointConfiguration"]["types"]) == ("imagepipe-prod-image-api", "REGIONAL")


def test_routes_are_images_and_one_image(prod: Evaluation) -> None:
    paths = sorted(r.inputs["pathPart"] for r in prod.of_type("aws:apigateway/resource:Resource"))
    assert paths == ["images", "{id}"]
    assert contract.API_IMAGE_PATH == "/images/{id}"


def test_every_route_but_the_preflight_needs_a_cognito_token(prod: Evaluation) -> None:
    authorizer = prod.one("aws:apigateway/authorizer:Authorizer")
    methods = prod.of_type(METHOD)
    assert sorted(m.inputs["httpMethod"] for m in methods) == ["ANY", "ANY", "OPTIONS", "OPTIONS"]
    for method in methods:
        if method.inputs["httpMethod"] == "ANY":
            assert method.inputs["authorization"] == "COGNITO_USER_POOLS"
            assert method.inputs["authorizerId"] == f"{authorizer.name}-id"  # the mocks' physical id
        else:
            # Browsers send CORS preflights without credentials; the function answers them.
            assert method.inputs["authorization"] == "NONE"


def test_authorizer_trusts_only_the_stacks_user_pool(prod: Evaluation) -> None:
    authorizer = prod.one("aws:apigateway/authorizer:Authorizer").inputs
    pool = prod.one("aws:cognito/userPool:UserPool")
    assert authorizer["type"] == "COGNITO_USER_POOLS"
    assert authorizer["providerArns"] == [pool.outputs["arn"]]
    assert authorizer["identitySource"] == "method.request.header.Authorization"


def test_user_pool_signs_in_by_email_with_strong_passwords_and_is_protected_on_prod(prod: Evaluation) -> None:
    pool = prod.one("aws:cognito/userPool:UserPool").inputs
    assert pool["usernameAttributes"] == ["email"]
    assert pool["passwordPolicy"]["minimumLength"] == 12
    assert pool["deletionProtection"] == "ACTIVE"
    client = prod.one("aws:cognito/userPoolClient:UserPoolClient").inputs
    assert client["generateSecret"] is False
    assert client["explicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert client["preventUserExistenceErrors"] == "ENABLED"


def test_an_existing_user_pool_from_config_is_used_instead_of_a_new_one() -> None:
    ev = evaluate_program("prod", {**stack_file_values("prod"), "apiUserPoolId": "eu-west-1_AbC123def"})
    assert ev.of_type("aws:cognito/userPool:UserPool") == []
    authorizer = ev.one("aws:apigateway/authorizer:Authorizer").inputs
    assert authorizer["providerArns"] == ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123def"]
    assert ev.exports["user_pool_id"] == "eu-west-1_AbC123def"


def test_every_method_proxies_to_the_api_function(prod: Evaluation) -> None:
    function = prod.one(FUNCTION, "imagepipe-prod-image-api")
    integrations = prod.of_type("aws:apigateway/integration:Integration")
    assert len(integrations) == 4
    for integration in integrations:
        assert (integration.inputs["type"], integration.inputs["integrationHttpMethod"]) == ("AWS_PROXY", "POST")
        assert integration.inputs["uri"] == function.outputs["invokeArn"]


def test_only_this_apis_stages_may_invoke_the_function(prod: Evaluation) -> None:
    permission = prod.one("aws:lambda/permission:Permission", "imagepipe-prod-image-api-invoke").inputs
    assert permission["principal"] == "apigateway.amazonaws.com"
    assert permission["sourceArn"].endswith("/*/*")
    assert permission["function"] == "imagepipe-prod-image-api"


def test_gateway_refusals_answer_in_the_apis_error_shape(prod: Evaluation) -> None:
    responses = {r.inputs["responseType"]: r.inputs for r in prod.of_type("aws:apigateway/response:Response")}
    unauthorized = json.loads(responses["UNAUTHORIZED"]["responseTemplates"]["application/json"])
    assert set(unauthorized) == {"error", "message"}
    assert unauthorized["error"] == "unauthorized"
    assert {"UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "DEFAULT_4XX", "DEFAULT_5XX"} <= set(responses)


def test_a_stack_may_run_without_an_authorizer_only_when_its_config_says_so() -> None:
    ev = evaluate_program("dev", {**stack_file_values("dev"), "apiAuthorizer": "none"})
    assert ev.of_type("aws:apigateway/authorizer:Authorizer") == []
    assert {m.inputs["authorization"] for m in ev.of_type(METHOD)} == {"NONE"}
    assert api_function(ev)["environment"]["variables"][contract.ENV_ANONYMOUS_USER] == "anonymous"


def test_with_an_authorizer_there_is_no_anonymous_user(dev: Evaluation) -> None:
    assert contract.ENV_ANONYMOUS_USER not in api_function(dev)["environment"]["variables"]


def test_prod_refuses_to_run_the_api_without_an_authorizer() -> None:
    with pytest.raises(ConfigError, match=r"imagepipe:apiAuthorizer must be cognito on prod"):
        evaluate_program("prod", {**stack_file_values("prod"), "apiAuthorizer": "none"})


# --- CORS, throttling, logs, tracing ---


def test_cors_origins_come_from_config_exactly(dev: Evaluation, prod: Evaluation) -> None:
    assert json.loads(api_function(dev)["environment"]["variables"][contract.ENV_CORS_ORIGINS]) == [
        "http://localhost:3000"
    ]
    assert json.loads(api_function(prod)["environment"]["variables"][contract.ENV_CORS_ORIGINS]) == [
        "https://images.example.com"
    ]


ORIGIN_RULE = r"must be an exact origin like https://app\.example\.com \(no path, not '\*'\)"


@pytest.mark.parametrize("stack", STACKS)
def test_any_origin_is_refused_on_every_stack(stack: str) -> None:
    with pytest.raises(ConfigError, match=rf"imagepipe:apiCorsOrigins\[0\] {ORIGIN_RULE}, got '\*'"):
        evaluate_program(stack, {**stack_file_values(stack), "apiCorsOrigins": '["*"]'})


def test_an_origin_with_a_path_is_refused() -> None:
    with pytest.raises(ConfigError, match=rf"imagepipe:apiCorsOrigins\[0\] {ORIGIN_RULE}, got 'https://app"):
        evaluate_program("dev", {**stack_file_values("dev"), "apiCorsOrigins": '["https://app.example.com/x"]'})


def test_throttling_comes_from_config_for_every_method(dev: Evaluation, prod: Evaluation) -> None:
    for ev, (rate, burst) in ((dev, (10, 20)), (prod, (50, 100))):
        settings = ev.one("aws:apigateway/methodSettings:MethodSettings").inputs
        assert settings["methodPath"] == "*/*"
        assert (settings["settings"]["throttlingRateLimit"], settings["settings"]["throttlingBurstLimit"]) == (
            rate,
            burst,
        )
        # Gateway errors are logged (Security Hub APIGateway.1); request and response bodies are not (data tracing).
        assert (settings["settings"]["loggingLevel"], settings["settings"]["dataTraceEnabled"]) == ("ERROR", False)


def test_access_logs_are_json_lines_to_a_log_group_with_retention(prod: Evaluation) -> None:
    stage = prod.one("aws:apigateway/stage:Stage").inputs
    group = prod.one("aws:cloudwatch/logGroup:LogGroup", "imagepipe-prod-image-api-access-logs")
    assert stage["accessLogSettings"]["destinationArn"] == group.outputs["arn"]
    fields = json.loads(stage["accessLogSettings"]["format"])
    assert fields["requestId"] == "$context.requestId"
    assert fields["status"] == "$context.status"
    assert fields["caller"] == "$context.authorizer.claims.sub"
    assert group.inputs["retentionInDays"] == 90
    assert group.inputs["name"] == "/aws/apigateway/imagepipe-prod-image-api"


def test_the_regions_api_gateway_logging_role_is_set_so_access_logs_can_be_written(prod: Evaluation) -> None:
    account = prod.one("aws:apigateway/account:Account")
    stage = prod.one("aws:apigateway/stage:Stage")
    assert account.urn in stage.dependencies
    attachment = prod.one(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "imagepipe-prod-apigateway-logging-policy"
    ).inputs
    assert attachment["policyArn"] == "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"


def test_tracing_follows_the_stacks_setting(dev: Evaluation, prod: Evaluation) -> None:
    assert prod.one("aws:apigateway/stage:Stage").inputs["xrayTracingEnabled"] is True
    assert dev.one("aws:apigateway/stage:Stage").inputs["xrayTracingEnabled"] is False
    assert api_function(prod)["tracingConfig"] == {"mode": "Active"}
    assert "XRayTraces" in api_statements(prod) and "XRayTraces" not in api_statements(dev)


# --- the function ---


def test_api_function_runs_like_the_image_function(prod: Evaluation) -> None:
    api = api_function(prod)
    image = prod.one(FUNCTION, "imagepipe-prod-image-processor").inputs
    assert (api["runtime"], api["architectures"]) == (image["runtime"], image["architectures"])
    assert api["handler"] == contract.API_HANDLER == "handlers.image_api.handler"
    assert api["loggingConfig"]["logFormat"] == "JSON"


def test_the_handler_setting_names_a_module_in_handlers_exposing_handler() -> None:
    module, function = contract.API_HANDLER.rsplit(".", 1)
    from program.config import ROOT

    tree = ast.parse((ROOT / (module.replace(".", "/") + ".py")).read_text())
    handler = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function)
    assert [a.arg for a in handler.args.args] == ["event", "context"]


def test_api_function_knows_the_pipelines_buckets_table_and_cap(prod: Evaluation) -> None:
    variables = api_function(prod)["environment"]["variables"]
    assert variables[contract.ENV_UPLOAD_BUCKET] == prod.exports["upload_bucket"]
    assert variables[contract.ENV_PROCESSED_BUCKET] == prod.exports["processed_bucket"]
    assert variables[contract.ENV_METADATA_TABLE] == prod.exports["metadata_table"]
    assert variables[contract.ENV_MAX_OBJECT_BYTES] == "52428800"
    assert variables[contract.ENV_URL_TTL_SECONDS] == "300"


# --- the role, statement by statement ---


def test_api_role_signs_uploads_only_under_the_upload_prefix(prod: Evaluation) -> None:
    sign = api_statements(prod)["SignUploads"]
    assert sign["Action"] == ["s3:PutObject"]
    assert sign["Resource"] == [f"{arn_of(prod, 'aws:s3/bucket:Bucket', 'imagepipe-prod-uploads')}/uploads/*"]


def test_api_role_signs_downloads_only_of_renditions(prod: Evaluation) -> None:
    sign = api_statements(prod)["SignRenditionDownloads"]
    assert sign["Action"] == ["s3:GetObject"]
    assert sign["Resource"] == [f"{arn_of(prod, 'aws:s3/bucket:Bucket', 'imagepipe-prod-processed')}/renditions/*"]


def test_api_role_lists_and_deletes_versions_only_under_the_two_prefixes(prod: Evaluation) -> None:
    uploads = arn_of(prod, "aws:s3/bucket:Bucket", "imagepipe-prod-uploads")
    processed = arn_of(prod, "aws:s3/bucket:Bucket", "imagepipe-prod-processed")
    listing = api_statements(prod)["ListVersionsToDelete"]
    assert listing["Action"] == ["s3:ListBucketVersions"]
    assert listing["Resource"] == [uploads, processed]
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["uploads/*", "renditions/*"]}}
    deleting = api_statements(prod)["DeleteVersions"]
    # S3 checks DeleteObject for every delete and DeleteObjectVersion besides for a named version.
    assert deleting["Action"] == ["s3:DeleteObject", "s3:DeleteObjectVersion"]
    assert deleting["Resource"] == [f"{uploads}/uploads/*", f"{processed}/renditions/*"]


def test_api_role_reads_items_writes_tombstones_and_queries_only_the_user_index(prod: Evaluation) -> None:
    table = arn_of(prod, "aws:dynamodb/table:Table", "imagepipe-prod-images")
    # DELETE replaces an item by its tombstone (PutItem) or adds the caller to one (UpdateItem); never DeleteItem
    assert api_statements(prod)["ImageMetadata"]["Action"] == [
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
    ]
    assert api_statements(prod)["ImageMetadata"]["Resource"] == [table]
    assert api_statements(prod)["ListOwnImages"] == {
        "Sid": "ListOwnImages",
        "Effect": "Allow",
        "Action": ["dynamodb:Query"],
        "Resource": [f"{table}/index/user-uploads"],
    }


def test_api_role_has_no_other_statements(dev: Evaluation) -> None:
    assert set(api_statements(dev)) == {
        "SignUploads",
        "SignRenditionDownloads",
        "ListVersionsToDelete",
        "DeleteVersions",
        "ImageMetadata",
        "ListOwnImages",
        "WriteOwnLogs",
    }
    for sid, statement in api_statements(dev).items():
        assert statement["Effect"] == "Allow", sid
        assert all("*" not in action for action in statement["Action"]), sid
