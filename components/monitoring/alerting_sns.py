"""AlertingSNS: the three alert tiers (seed 002) as encrypted SNS topics with their subscribers."""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.iam_documents import alarm_topic_key_policy, alarm_topic_policy
from components.monitoring.catalogue import Tier
from components.naming import Naming


@dataclass
class AlertingSNSArgs:
    naming: Naming
    """Topic and key names derive from project and stack."""
    tags: Mapping[str, str]
    """Standard tags."""
    emails: Mapping[Tier, Sequence[str]]
    """Email subscribers per tier."""
    critical_sms: Sequence[str] = field(default_factory=tuple)
    """Phone numbers (E.164) that get critical alerts by SMS; critical tier only."""


class AlertingSNS(pulumi.ComponentResource):
    """Critical (email + SMS), performance (email) and log-alerts (email) topics."""

    topics: dict[Tier, aws.sns.Topic]
    key: aws.kms.Key

    def __init__(self, name: str, args: AlertingSNSArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("imagepipe:alerting:AlertingSNS", name, None, opts)
        self._args = args
        child = pulumi.ResourceOptions(parent=self)
        identity = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self))
        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self))
        self.key = self._topic_key(identity.account_id, child)
        self.topics = {}
        for tier in Tier:
            topic = self._topic(tier, child)
            self._topic_policy(tier, topic, identity.account_id, region.region, child)
            self._subscriptions(tier, topic, child)
            self.topics[tier] = topic
        self.register_outputs({f"{tier.value}_topic_arn": t.arn for tier, t in self.topics.items()})

    def _topic_key(self, account_id: pulumi.Output[str], opts: pulumi.ResourceOptions) -> aws.kms.Key:
        # CloudWatch alarms cannot publish to topics under the AWS-managed SNS key: its policy
        # cannot be edited to let cloudwatch.amazonaws.com use it.
        n = self._args.naming
        key = aws.kms.Key(
            n.name("alerts-key"),
            description=f"Encrypts the {n.prefix} alert topics; usable by CloudWatch alarms",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=account_id.apply(lambda account: json.dumps(alarm_topic_key_policy(account))),
            tags=dict(self._args.tags),
            opts=opts,
        )
        aws.kms.Alias(n.name("alerts-key-alias"), name=f"alias/{n.name('alerts')}", target_key_id=key.key_id, opts=opts)
        return key

    def _topic(self, tier: Tier, opts: pulumi.ResourceOptions) -> aws.sns.Topic:
        name = self._args.naming.name("alerts", tier.value)
        return aws.sns.Topic(
            name,
            name=name,
            display_name=f"{self._args.naming.prefix} {tier.value}",
            kms_master_key_id=self.key.arn,
            tags=dict(self._args.tags),
            opts=opts,
        )

    def _topic_policy(
        self,
        tier: Tier,
        topic: aws.sns.Topic,
        account_id: pulumi.Output[str],
        region: pulumi.Output[str],
        opts: pulumi.ResourceOptions,
    ) -> aws.sns.TopicPolicy:
        policy = pulumi.Output.all(topic.arn, account_id, region).apply(
            lambda v: json.dumps(alarm_topic_policy(topic_arn=v[0], account_id=v[1], region=v[2]))
        )
        return aws.sns.TopicPolicy(
            self._args.naming.name("alerts", tier.value, "policy"), arn=topic.arn, policy=policy, opts=opts
        )

    def _subscriptions(self, tier: Tier, topic: aws.sns.Topic, opts: pulumi.ResourceOptions) -> None:
        endpoints = [("email", e) for e in self._args.emails.get(tier, ())]
        if tier is Tier.CRITICAL:
            endpoints += [("sms", phone) for phone in self._args.critical_sms]
        for protocol, endpoint in endpoints:
            # Named by endpoint, not position: removing one subscriber leaves the others untouched.
            digest = hashlib.sha256(endpoint.encode()).hexdigest()[:8]
            aws.sns.TopicSubscription(
                self._args.naming.name("alerts", tier.value, protocol, digest),
                topic=topic.arn,
                protocol=protocol,
                endpoint=endpoint,
                opts=opts,
            )
