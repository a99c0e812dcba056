"""AlertingSNS: the three alert tiers (seed 002) as encrypted SNS topics with their subscribers."""

import hashlib
import json
from typing import Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.iam_documents import alarm_topic_key_policy, alarm_topic_policy
from components.inputs import ArgsCheck, aws_values, e164, email, non_empty
from components.inputs.rules import unique
from components.monitoring.alert_routing import MESSAGE_ATTRIBUTES, MESSAGE_BODY, cloudwatch_only, composed_only
from components.monitoring.catalogue import Tier
from components.naming import LongestName, max_prefix, name_prefix, prefix_rule
from components.type_tokens import component_options, type_token


class AlertingSNSArgs(TypedDict):
    name_prefix: NotRequired[str]
    """Prefix of physical names (`{prefix}-alerts-critical`); default `{project}-{stack}-{name}`, shortened to fit."""
    tags: NotRequired[dict[str, str]]
    """Tags for the key and the topics; none by default."""
    critical_emails: NotRequired[list[str]]
    """Who is told when uploads are not being processed; left out: nobody by email."""
    performance_emails: NotRequired[list[str]]
    """Who is told when the pipeline is slow or saturated; left out: nobody by email."""
    log_alerts_emails: NotRequired[list[str]]
    """Who is told about signals from the handler's log lines; left out: nobody by email."""
    critical_sms: NotRequired[list[str]]
    """Phone numbers (E.164) that get critical alerts by SMS; critical tier only."""
    composed_emails: NotRequired[bool]
    """Email recipients get the alert formatter's emails (PipelineMonitoring with alerts_key_arn composes them)
    instead of CloudWatch's text, and a raw topic reaches all of them without the formatter. Default false."""


# The raw topic's name: what reaches email recipients without the formatter.
RAW_TOPIC: Final = "direct"
# Topic names and key aliases allow 256 characters.
MAX_PREFIX: Final = max_prefix(
    *(LongestName(f"-alerts-{tier.value}", 256) for tier in Tier),
    LongestName(f"-alerts-{RAW_TOPIC}", 256),
    LongestName("-alerts", 256 - len("alias/")),
)
# A list given empty is a mistake, not a choice: leave it out to subscribe nobody by email. Repeats
# would subscribe one address twice.
_EMAILS: Final = unique(non_empty(email))
INPUTS: Final = ArgsCheck(
    AlertingSNSArgs,
    {
        "name_prefix": prefix_rule(MAX_PREFIX),
        "tags": aws_values.tags,
        "critical_emails": _EMAILS,
        "performance_emails": _EMAILS,
        "log_alerts_emails": _EMAILS,
        "critical_sms": unique(non_empty(e164)),
    },
)


class AlertingSNS(pulumi.ComponentResource):
    """Critical (email + SMS), performance (email) and log-alerts (email) topics under one customer-managed key."""

    critical_topic_arn: pulumi.Output[str]
    """Topic of the critical tier."""
    performance_topic_arn: pulumi.Output[str]
    """Topic of the performance tier."""
    log_alerts_topic_arn: pulumi.Output[str]
    """Topic of the log-alerts tier."""
    key_arn: pulumi.Output[str]
    """The KMS key that encrypts the topics; CloudWatch alarms may use it."""
    raw_topic_arn: pulumi.Output[str]
    """With composed_emails: the direct topic every email recipient is subscribed to, where the formatter's own
    alarms go as CloudWatch's text (PipelineMonitoring's raw_alerts_topic_arn). Without: empty."""

    def __init__(self, name: str, args: AlertingSNSArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("AlertingSNS", name, args)
        super().__init__(type_token(AlertingSNS), name, None, component_options(AlertingSNS, opts))
        self._args = args
        self._prefix = name_prefix(args.get("name_prefix"), name, MAX_PREFIX)
        self._tags = dict(args.get("tags", {}))
        child = pulumi.ResourceOptions(parent=self)
        identity = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self))
        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self))
        self.key = self._topic_key(identity.account_id, child)
        self.topics: dict[Tier, aws.sns.Topic] = {}
        for tier in Tier:
            topic = self._topic(tier, child)
            self._topic_policy(tier, topic, identity.account_id, region.region, child)
            self._subscriptions(tier, topic, child)
            self.topics[tier] = topic
        self.raw_topic = None
        if args.get("composed_emails", False):
            self.raw_topic = self._direct_topic(identity.account_id, region.region, child)
        self.critical_topic_arn = self.topics[Tier.CRITICAL].arn
        self.performance_topic_arn = self.topics[Tier.PERFORMANCE].arn
        self.log_alerts_topic_arn = self.topics[Tier.LOG_ALERTS].arn
        self.key_arn = self.key.arn
        # Empty without composed emails: a formatter wired to it would send every recipient a second email.
        self.raw_topic_arn = pulumi.Output.from_input("") if self.raw_topic is None else self.raw_topic.arn
        self.register_outputs(
            {
                "raw_topic_arn": self.raw_topic_arn,
                "critical_topic_arn": self.critical_topic_arn,
                "performance_topic_arn": self.performance_topic_arn,
                "log_alerts_topic_arn": self.log_alerts_topic_arn,
                "key_arn": self.key_arn,
            }
        )

    def _child_name(self, *parts: str) -> str:
        return "-".join((self._prefix, *parts))

    def _emails(self, tier: Tier) -> list[str]:
        by_tier = {
            Tier.CRITICAL: self._args.get("critical_emails", []),
            Tier.PERFORMANCE: self._args.get("performance_emails", []),
            Tier.LOG_ALERTS: self._args.get("log_alerts_emails", []),
        }
        return list(by_tier[tier])

    def _topic_key(self, account_id: pulumi.Output[str], opts: pulumi.ResourceOptions) -> aws.kms.Key:
        # CloudWatch alarms cannot publish to topics under the AWS-managed SNS key: its policy
        # cannot be edited to let cloudwatch.amazonaws.com use it.
        key = aws.kms.Key(
            self._child_name("alerts-key"),
            description=f"Encrypts the {self._prefix} alert topics; usable by CloudWatch alarms",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=account_id.apply(lambda account: json.dumps(alarm_topic_key_policy(account))),
            tags=self._tags,
            opts=opts,
        )
        aws.kms.Alias(
            self._child_name("alerts-key-alias"),
            name=f"alias/{self._child_name('alerts')}",
            target_key_id=key.key_id,
            opts=opts,
        )
        return key

    def _topic(self, tier: Tier, opts: pulumi.ResourceOptions) -> aws.sns.Topic:
        name = self._child_name("alerts", tier.value)
        return aws.sns.Topic(
            name,
            name=name,
            display_name=f"{self._prefix} {tier.value}",
            kms_master_key_id=self.key.arn,
            tags=self._tags,
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
            self._child_name("alerts", tier.value, "policy"), arn=topic.arn, policy=policy, opts=opts
        )

    def _subscriptions(self, tier: Tier, topic: aws.sns.Topic, opts: pulumi.ResourceOptions) -> None:
        composed = self._args.get("composed_emails", False)
        # (protocol, endpoint, filter policy, its scope): see components/monitoring/alert_routing.py.
        endpoints: list[tuple[str, str, str | None, str | None]] = [
            ("email", e, composed_only(), MESSAGE_ATTRIBUTES) if composed else ("email", e, None, None)
            for e in self._emails(tier)
        ]
        if tier is Tier.CRITICAL:
            # A short text, CloudWatch's own: never an email the formatter composed.
            endpoints += [("sms", p, cloudwatch_only(), MESSAGE_BODY) for p in self._args.get("critical_sms", [])]
        for protocol, endpoint, policy, scope in endpoints:
            self._subscription(tier.value, topic, protocol, endpoint, policy, scope, opts)

    def _subscription(
        self,
        topic_name: str,
        topic: aws.sns.Topic,
        protocol: str,
        endpoint: str,
        policy: str | None,
        scope: str | None,
        opts: pulumi.ResourceOptions,
    ) -> None:
        # Named by endpoint, not position: removing one subscriber leaves the others untouched.
        digest = hashlib.sha256(endpoint.encode()).hexdigest()[:8]
        aws.sns.TopicSubscription(
            self._child_name("alerts", topic_name, protocol, digest),
            topic=topic.arn,
            protocol=protocol,
            endpoint=endpoint,
            filter_policy=policy,
            filter_policy_scope=scope,
            opts=opts,
        )

    def _direct_topic(
        self, account_id: pulumi.Output[str], region: pulumi.Output[str], opts: pulumi.ResourceOptions
    ) -> aws.sns.Topic:
        """CloudWatch's own text to every email recipient of every tier: the formatter's own alarms use it."""
        name = self._child_name("alerts", RAW_TOPIC)
        topic = aws.sns.Topic(
            name,
            name=name,
            display_name=f"{self._prefix} alerts (direct)",
            kms_master_key_id=self.key.arn,
            tags=self._tags,
            opts=opts,
        )
        policy = pulumi.Output.all(topic.arn, account_id, region).apply(
            lambda v: json.dumps(alarm_topic_policy(topic_arn=v[0], account_id=v[1], region=v[2]))
        )
        aws.sns.TopicPolicy(self._child_name("alerts", RAW_TOPIC, "policy"), arn=topic.arn, policy=policy, opts=opts)
        everyone = dict.fromkeys(e for tier in Tier for e in self._emails(tier))
        for email_address in everyone:
            self._subscription(RAW_TOPIC, topic, "email", email_address, None, None, opts)
        return topic
