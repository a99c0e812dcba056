"""ImagePipeline: buckets, function, log group, trigger, async failure path, table and a least-privilege role."""

import json
from typing import Any

from handlers import contract
from handlers.imaging.renditions import renditions_from_json
from offline.runtime import Evaluation, RecordedResource
from tests.infra.policy_reading import statements

FUNCTION = "aws:lambda/function:Function"
BUCKET = "aws:s3/bucket:Bucket"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


def uploads(ev: Evaluation) -> RecordedResource:
    (b,) = [r for r in ev.of_type(BUCKET) if r.name.endswith("-uploads")]
    return b


def processed(ev: Evaluation) -> RecordedResource:
    (b,) = [r for r in ev.of_type(BUCKET) if r.name.endswith("-processed")]
    return b


def processor(ev: Evaluation) -> RecordedResource:
    return ev.one(FUNCTION, f"imagepipe-{ev.stack}-image-processor")


def processor_logs(ev: Evaluation) -> RecordedResource:
    return ev.one("aws:cloudwatch/logGroup:LogGroup", f"imagepipe-{ev.stack}-image-processor-logs")


def function(ev: Evaluation) -> dict[str, Any]:
    return processor(ev).inputs


def processor_statements(ev: Evaluation) -> dict[str, dict[str, Any]]:
    return statements(ev.one(ROLE_POLICY, f"imagepipe-{ev.stack}-image-processor-policy").inputs["policy"])


def test_upload_processed_and_reprocessing_buckets_are_three_secure_buckets(dev: Evaluation) -> None:
    secure = {r.name for r in dev.of_type("imagepipe:index:SecureBucket")}
    assert secure == {"imagepipe-dev-uploads", "imagepipe-dev-processed", "imagepipe-dev-reprocess"}
    assert uploads(dev).outputs["bucket"] != processed(dev).outputs["bucket"]


def test_only_the_upload_bucket_notifies_the_function(dev: Evaluation) -> None:
    (notification,) = dev.of_type("aws:s3/bucketNotification:BucketNotification")
    assert notification.inputs["bucket"] == uploads(dev).outputs["bucket"]
    (target,) = notification.inputs["lambdaFunctions"]
    assert target["events"] == ["s3:ObjectCreated:*"]
    assert target["filterPrefix"] == contract.UPLOAD_PREFIX == "uploads/"
    assert target["lambdaFunctionArn"] == processor(dev).outputs["arn"]


def test_notification_waits_for_the_invoke_permission(dev: Evaluation) -> None:
    notification = dev.one("aws:s3/bucketNotification:BucketNotification")
    permission = dev.one("aws:lambda/permission:Permission", "imagepipe-dev-image-processor-s3-invoke")
    assert permission.urn in notification.dependencies


def test_s3_may_invoke_only_from_the_upload_bucket_of_this_account(dev: Evaluation) -> None:
    permission = dev.one("aws:lambda/permission:Permission", "imagepipe-dev-image-processor-s3-invoke").inputs
    assert permission["action"] == "lambda:InvokeFunction"
    assert permission["principal"] == "s3.amazonaws.com"
    assert permission["sourceArn"] == uploads(dev).outputs["arn"]
    assert permission["sourceAccount"] == "123456789012"
    assert permission["function"] == "imagepipe-dev-image-processor"


def test_function_runs_python_312_with_json_logs(dev: Evaluation) -> None:
    f = function(dev)
    assert f["runtime"] == "python3.12"
    assert f["handler"] == "handlers.image_processor.handler"
    assert f["loggingConfig"]["logFormat"] == "JSON"
    assert f["loggingConfig"]["logGroup"] == "/aws/lambda/imagepipe-dev-image-processor"


def test_function_size_and_concurrency_come_from_stack_config(dev: Evaluation, prod: Evaluation) -> None:
    assert (function(dev)["memorySize"], function(dev)["timeout"]) == (1152, 60)
    assert function(dev)["architectures"] == ["arm64"]
    # Dev reserves nothing: new accounts' reduced quota refuses any reservation (AWS keeps 100 unreserved).
    assert "reservedConcurrentExecutions" not in function(dev)
    assert function(prod)["reservedConcurrentExecutions"] == 50


def test_tracing_is_active_in_prod_and_pass_through_in_dev(dev: Evaluation, prod: Evaluation) -> None:
    assert function(prod)["tracingConfig"] == {"mode": "Active"}
    assert function(dev)["tracingConfig"] == {"mode": "PassThrough"}


def test_function_uses_the_pillow_layer_for_its_architecture(dev: Evaluation) -> None:
    layer = dev.one("aws:lambda/layerVersion:LayerVersion")
    assert function(dev)["layers"] == [layer.outputs["arn"]]
    assert layer.inputs["compatibleArchitectures"] == ["arm64"]
    assert layer.inputs["compatibleRuntimes"] == ["python3.12"]


def test_log_group_exists_before_the_function_with_retention_from_config(dev: Evaluation, prod: Evaluation) -> None:
    log_group = processor_logs(dev)
    assert log_group.inputs["name"] == function(dev)["loggingConfig"]["logGroup"]
    assert log_group.urn in processor(dev).dependencies
    assert log_group.inputs["retentionInDays"] == 7
    assert processor_logs(prod).inputs["retentionInDays"] == 90


def test_environment_names_the_processed_bucket_table_and_renditions(dev: Evaluation) -> None:
    env = function(dev)["environment"]["variables"]
    assert env[contract.ENV_PROCESSED_BUCKET] == processed(dev).outputs["bucket"]
    assert env[contract.ENV_METADATA_TABLE] == "imagepipe-dev-images"
    names = [s.name for s in renditions_from_json(env[contract.ENV_RENDITIONS])]
    assert names == ["thumbnail", "small", "preview"]
    assert env[contract.ENV_MAX_PIXELS] == "50000000"


def test_async_invocations_retry_then_go_to_an_encrypted_failure_queue(dev: Evaluation) -> None:
    invoke = dev.one(
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "imagepipe-dev-image-processor-async"
    ).inputs
    queue = dev.one("aws:sqs/queue:Queue", "imagepipe-dev-image-processor-failures")
    assert invoke["maximumRetryAttempts"] == 2
    assert invoke["maximumEventAgeInSeconds"] == 3600
    assert invoke["destinationConfig"] == {"onFailure": {"destination": queue.outputs["arn"]}}
    assert queue.inputs["sqsManagedSseEnabled"] is True


def test_event_age_comes_from_stack_config(prod: Evaluation) -> None:
    invoke = prod.one(
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "imagepipe-prod-image-processor-async"
    ).inputs
    assert invoke["maximumEventAgeInSeconds"] == 21600


def test_metadata_table_is_on_demand_recoverable_and_encrypted(dev: Evaluation) -> None:
    table = dev.one("aws:dynamodb/table:Table", "imagepipe-dev-images").inputs
    assert table["billingMode"] == "PAY_PER_REQUEST"
    assert table["pointInTimeRecovery"] == {"enabled": True}
    assert table["hashKey"] == contract.TABLE_HASH_KEY


def test_without_a_kms_key_each_service_encrypts_with_its_own_key_not_the_aws_managed_one(dev: Evaluation) -> None:
    # What the README and the kmsKeyArn help text promise for an empty kmsKeyArn.
    # DynamoDB: no SSE block is its AWS-owned key; enabled=true without a key would be the aws/dynamodb KMS key.
    assert "serverSideEncryption" not in dev.one("aws:dynamodb/table:Table", "imagepipe-dev-images").inputs
    sse = dev.of_type("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert [s.inputs["rules"][0]["applyServerSideEncryptionByDefault"] for s in sse] == [{"sseAlgorithm": "AES256"}] * 3
    queue = dev.one("aws:sqs/queue:Queue", "imagepipe-dev-image-processor-failures").inputs
    assert (queue.get("sqsManagedSseEnabled"), queue.get("kmsMasterKeyId")) == (True, None)
    assert "kmsKeyId" not in processor_logs(dev).inputs


def test_metadata_table_indexes_one_users_uploads_by_time(dev: Evaluation) -> None:
    (index,) = dev.one("aws:dynamodb/table:Table", "imagepipe-dev-images").inputs["globalSecondaryIndexes"]
    assert index["name"] == contract.USER_INDEX_NAME
    assert index["keySchemas"] == [
        {"attributeName": "user_id", "keyType": "HASH"},
        {"attributeName": "uploaded_at", "keyType": "RANGE"},
    ]
    assert index["projectionType"] == "ALL"


def test_prod_table_is_protected_from_deletion(dev: Evaluation, prod: Evaluation) -> None:
    assert prod.one("aws:dynamodb/table:Table", "imagepipe-prod-images").inputs["deletionProtectionEnabled"] is True
    assert dev.one("aws:dynamodb/table:Table", "imagepipe-dev-images").inputs["deletionProtectionEnabled"] is False


def test_role_can_only_be_assumed_by_lambda(dev: Evaluation) -> None:
    (trust,) = statements(
        dev.one("aws:iam/role:Role", "imagepipe-dev-image-processor-role").inputs["assumeRolePolicy"]
    ).values()
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert trust["Action"] == ["sts:AssumeRole"]


def test_role_reads_only_objects_under_the_upload_prefix(dev: Evaluation) -> None:
    read = processor_statements(dev)["ReadUploads"]
    assert read["Action"] == ["s3:GetObject", "s3:GetObjectVersion"]
    assert read["Resource"] == [f"{uploads(dev).outputs['arn']}/uploads/*"]


def test_role_writes_and_tags_only_renditions_in_the_processed_bucket(dev: Evaluation) -> None:
    write = processor_statements(dev)["WriteRenditions"]
    assert write["Action"] == ["s3:PutObject", "s3:PutObjectTagging"]
    assert write["Resource"] == [f"{processed(dev).outputs['arn']}/renditions/*"]


def test_role_writes_only_its_own_log_group(dev: Evaluation) -> None:
    logs = processor_statements(dev)["WriteOwnLogs"]
    assert logs["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert logs["Resource"] == [f"{processor_logs(dev).outputs['arn']}:*"]


def test_role_uses_only_its_table_and_its_indexes(dev: Evaluation) -> None:
    table_arn = dev.one("aws:dynamodb/table:Table", "imagepipe-dev-images").outputs["arn"]
    metadata = processor_statements(dev)["ImageMetadata"]
    assert metadata["Action"] == ["dynamodb:GetItem", "dynamodb:PutItem"]
    assert metadata["Resource"] == [table_arn]


def test_role_may_list_only_the_upload_prefix_so_a_deleted_upload_reads_as_not_found(dev: Evaluation) -> None:
    # Without s3:ListBucket S3 answers a GET of a deleted key with 403 AccessDenied, which pages on-call.
    listing = processor_statements(dev)["ListUploadsForMissingKeys"]
    assert listing["Action"] == ["s3:ListBucket"]
    assert listing["Resource"] == [uploads(dev).outputs["arn"]]
    assert listing["Condition"] == {"StringLike": {"s3:prefix": "uploads/*"}}


def test_role_deletes_versions_for_good_only_under_the_two_prefixes(dev: Evaluation) -> None:
    # What the upload of an image its owner deleted left behind: the original's version, the renditions.
    deleting = processor_statements(dev)["RemoveWhatDeletedImagesLeft"]
    # S3 checks DeleteObject for every delete and DeleteObjectVersion besides for a named version.
    assert deleting["Action"] == ["s3:DeleteObject", "s3:DeleteObjectVersion"]
    assert deleting["Resource"] == [
        f"{uploads(dev).outputs['arn']}/uploads/*",
        f"{processed(dev).outputs['arn']}/renditions/*",
    ]


def test_role_lists_versions_only_under_the_renditions_prefix(dev: Evaluation) -> None:
    listing = processor_statements(dev)["ListDeletedImagesRenditions"]
    assert listing["Action"] == ["s3:ListBucketVersions"]
    assert listing["Resource"] == [processed(dev).outputs["arn"]]
    assert listing["Condition"] == {"StringLike": {"s3:prefix": "renditions/*"}}


def test_metadata_table_expires_tombstones_by_their_ttl_attribute(dev: Evaluation, prod: Evaluation) -> None:
    for stack in (dev, prod):
        assert stack.one("aws:dynamodb/table:Table", f"imagepipe-{stack.stack}-images").inputs["ttl"] == {
            "attributeName": contract.TABLE_TTL_ATTRIBUTE,
            "enabled": True,
        }


def test_role_sends_only_to_its_failure_queue(dev: Evaluation) -> None:
    send = processor_statements(dev)["SendToFailureQueue"]
    assert send["Action"] == ["sqs:SendMessage"]
    assert send["Resource"] == [dev.one("aws:sqs/queue:Queue", "imagepipe-dev-image-processor-failures").outputs["arn"]]


def test_role_has_exactly_the_statements_the_handler_needs(dev: Evaluation, prod: Evaluation) -> None:
    needed = {
        "ReadUploads",
        "ListUploadsForMissingKeys",
        "WriteRenditions",
        "RemoveRenditionsNoLongerMade",
        "RemoveWhatDeletedImagesLeft",
        "ListDeletedImagesRenditions",
        "WriteOwnLogs",
        "ImageMetadata",
        "SendToFailureQueue",
    }
    assert set(processor_statements(dev)) == needed
    # Prod runs in compliance mode: inside a VPC, whose network interfaces Lambda manages.
    assert set(processor_statements(prod)) == needed | {"XRayTraces", "UseDataKey", "LambdaVpcNetworking"}
    assert all(s["Effect"] == "Allow" for s in processor_statements(prod).values())


def test_no_wildcard_action_or_resource_except_xray(prod: Evaluation) -> None:
    for sid, statement in processor_statements(prod).items():
        assert all("*" not in action for action in statement["Action"]), sid
        if sid == "XRayTraces":
            # X-Ray's PutTraceSegments has no resource-level permissions.
            assert statement["Resource"] == ["*"]
            assert statement["Action"] == ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        elif sid == "LambdaVpcNetworking":
            # EC2's network-interface actions accept only "*" (AWSLambdaVPCAccessExecutionRole).
            assert statement["Resource"] == ["*"]
            assert all(action.startswith("ec2:") for action in statement["Action"])
        else:
            assert all(not resource.endswith(":*") or sid == "WriteOwnLogs" for resource in statement["Resource"])
            assert "*" not in statement["Resource"], sid


def test_kms_key_from_config_encrypts_table_queue_logs_and_buckets_and_the_role_may_use_it() -> None:
    from offline.runtime import evaluate_program
    from program.config import stack_file_values

    key = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    ev = evaluate_program("prod", {**stack_file_values("prod"), "kmsKeyArn": key, "compliance": "false"})
    assert ev.one("aws:dynamodb/table:Table", "imagepipe-prod-images").inputs["serverSideEncryption"] == {
        "enabled": True,
        "kmsKeyArn": key,
    }
    assert ev.one("aws:sqs/queue:Queue", "imagepipe-prod-image-processor-failures").inputs["kmsMasterKeyId"] == key
    assert processor_logs(ev).inputs["kmsKeyId"] == key
    sse = ev.of_type("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert {s.inputs["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] for s in sse} == {key}
    use = statements(ev.one(ROLE_POLICY, "imagepipe-prod-image-processor-policy").inputs["policy"])["UseDataKey"]
    assert use["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert use["Resource"] == [key]


def test_processed_bucket_expires_thumbnails_by_the_tag_the_handler_writes(dev: Evaluation) -> None:
    lifecycles = {
        r.name: r.inputs for r in dev.of_type("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    }
    rules = {rule["id"]: rule for rule in lifecycles["imagepipe-dev-processed-lifecycle"]["rules"]}
    tag = {"key": contract.RENDITION_TAG_KEY, "value": contract.THUMBNAIL_TAG_VALUE}
    assert rules["expire-type-thumbnail"]["filter"] == {"tag": tag}
    assert rules["expire-type-thumbnail"]["expiration"] == {"days": 90}
    upload_rules = lifecycles["imagepipe-dev-uploads-lifecycle"]["rules"]
    assert not any("expiration" in rule for rule in upload_rules)


def test_pipeline_children_are_parented_to_the_component(dev: Evaluation) -> None:
    pipeline = dev.one("imagepipe:index:ImagePipeline")
    direct = [r for r in dev.resources if r.parent_urn == pipeline.urn]
    assert {r.type for r in direct} >= {
        FUNCTION,
        "aws:dynamodb/table:Table",
        "imagepipe:index:SecureBucket",
    }
    assert all(r.parent_urn for r in dev.resources if r is not pipeline)


def test_policy_documents_are_valid_json(dev: Evaluation) -> None:
    for r in dev.of_type(ROLE_POLICY) + dev.of_type("aws:s3/bucketPolicy:BucketPolicy"):
        assert json.loads(r.inputs["policy"])["Version"] == "2012-10-17"
