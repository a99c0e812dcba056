"""The pipeline's buckets, table and queue as the stack declares them, created in emulated AWS.

The demo creates them in moto's server (``emulated_aws.server``), the handler's tests in moto's
in-process mock; the clients passed in decide which.
"""

from typing import Any

from handlers import contract


def create_versioned_bucket(s3: Any, name: str, region: str) -> None:
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


def create_metadata_table(dynamodb: Any, name: str) -> None:
    """Key schema, user index and time-to-live attribute from handlers.contract, as ImagePipeline declares them."""
    keys = (contract.TABLE_HASH_KEY, contract.USER_INDEX_HASH_KEY, contract.USER_INDEX_RANGE_KEY)
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": contract.TABLE_HASH_KEY, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in keys],
        GlobalSecondaryIndexes=[
            {
                "IndexName": contract.USER_INDEX_NAME,
                "KeySchema": [
                    {"AttributeName": contract.USER_INDEX_HASH_KEY, "KeyType": "HASH"},
                    {"AttributeName": contract.USER_INDEX_RANGE_KEY, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    # moto records the setting and deletes nothing: a tombstone stays until a test removes it.
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": contract.TABLE_TTL_ATTRIBUTE}
    )


def create_failure_queue(sqs: Any, name: str) -> str:
    """The queue Lambda sends an event to once its retries are exhausted; returns the queue's URL."""
    url: str = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url


def create_alert_ledger_table(dynamodb: Any, name: str) -> None:
    """The alert formatter's ledger, keyed as AlertFormatter declares it (its TTL moto does not enforce)."""
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": contract.LEDGER_HASH_KEY, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": contract.LEDGER_HASH_KEY, "AttributeType": "S"}],
    )
