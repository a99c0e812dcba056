"""SNS topics are encrypted with a customer-managed key."""

from policy.imagepipe_policies import resource_types as t
from policy.imagepipe_policies.topics import SNS_TOPIC_ENCRYPTED
from tests.policy.engine import judge, resource_args
from tests.policy.handmade import KEY_ARN, UNKNOWN


def messages(**props: object) -> list[str]:
    return judge(SNS_TOPIC_ENCRYPTED, resource_args(t.TOPIC, {"name": "alerts-critical", **props}, "critical")).messages


def test_a_topic_under_a_customer_managed_key_passes_also_before_the_key_exists() -> None:
    assert messages(kmsMasterKeyId=KEY_ARN) == []
    assert messages(kmsMasterKeyId=UNKNOWN) == []  # a preview: the key's ARN is another resource's output


def test_an_unencrypted_topic_is_refused() -> None:
    assert messages() == ["topic critical is not encrypted: set kmsMasterKeyId to a customer-managed key"]


def test_a_topic_under_the_aws_managed_key_is_refused_because_alarms_cannot_publish_to_it() -> None:
    assert messages(kmsMasterKeyId="alias/aws/sns") == [
        "topic critical is encrypted with the AWS-managed key alias/aws/sns: CloudWatch alarms and S3 cannot publish "
        "to it (their service principals may not use that key); use a customer-managed key"
    ]
