"""AlertFormatter: the function between the tier topics and the people, which PipelineMonitoring creates.

CloudWatch still publishes to the tier topics. The formatter is subscribed to each with a policy that
takes only CloudWatch's own notifications (components/monitoring/alert_routing.py), composes the email
(handlers.alert_formatter) and publishes it back to the same topic, where only the email subscriptions
take it. It runs only on state changes: CloudWatch notifies on a change, never while a state lasts.

Nobody loses an alert when it fails: SNS invokes it asynchronously; Lambda retries a failed invocation
twice and then sends the notification to the formatter's failure queue (its on-failure destination),
and SNS sends there what it could not deliver to the function at all (the subscription's redrive
policy). https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html,
https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html. The catalogue's
``alert-formatter-errors`` and ``alert-formatter-failures`` alarms watch both and notify the raw topic,
whose email subscribers get CloudWatch's own text: a path that does not need the formatter.
"""

import json
from typing import Final, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import lambda_function as lambda_rules
from components.function_defaults import ARCHITECTURE, LOG_RETENTION_DAYS
from components.iam_documents import FormatterResources, alert_queue_policy, formatter_policy
from components.inputs import ArgsCheck, aws_values, whole
from components.lambda_function import (
    VPC_NEEDS_SECURITY_GROUPS,
    FunctionSettings,
    in_vpc,
    lambda_function,
    vpc_config,
)
from components.monitoring.alert_guides import formatter_environment
from components.monitoring.alert_routing import MESSAGE_BODY, cloudwatch_only
from components.monitoring.catalogue import Tier
from components.naming import LongestName, max_prefix, name_prefix, prefix_rule
from components.type_tokens import component_options, type_token
from handlers import contract
from handlers.alerts.ledger import STALE_AFTER_S

FUNCTION_STEM: Final = "alert-formatter"
# Evidence calls have short timeouts (handlers/alerts/clients.py); publishing comes last. Shorter than
# the ledger's STALE_AFTER_S, so a live invocation's claim is never taken over.
TIMEOUT_SECONDS: Final = 30
assert TIMEOUT_SECONDS < STALE_AFTER_S
MEMORY_MB: Final = 256
# Retried twice, then to the failure queue; an hour is long enough for a throttled burst of alarms.
MAX_EVENT_AGE_SECONDS: Final = 3600
# SQS keeps a message at most 14 days.
QUEUE_RETENTION_SECONDS: Final = 14 * 86400
evidence_lines: Final = whole(1, 20)


class AlertFormatterArgs(TypedDict):
    critical_topic_arn: pulumi.Input[str]
    """Topic of the critical tier (AlertingSNS's critical_topic_arn)."""
    performance_topic_arn: pulumi.Input[str]
    """Topic of the performance tier."""
    log_alerts_topic_arn: pulumi.Input[str]
    """Topic of the log-alerts tier."""
    alerts_key_arn: pulumi.Input[str]
    """The topics' KMS key (AlertingSNS's key_arn): the ledger and the failure queue use it too."""
    log_group_name: pulumi.Input[str]
    """The log group whose lines are the evidence (ImagePipeline's log_group_name)."""
    alarm_guides: pulumi.Input[str]
    """The alarms' guides as JSON (components/monitoring/alert_guides.py builds them from the catalogue)."""
    stack: str
    """What the subjects call the stack, e.g. `imagepipe-prod`."""
    dashboard_url: pulumi.Input[str]
    """Linked from every email."""
    runbook_url: NotRequired[str]
    """Where the runbook is published; each email links its alarm's section. No link by default."""
    evidence_lines: NotRequired[int]
    """How many matching log lines an email shows (1-20); default 5."""
    name_prefix: NotRequired[str]
    """Prefix of every physical name (`{prefix}-alert-formatter`); default `{project}-{stack}-{name}`."""
    tags: NotRequired[dict[str, str]]
    """Tags for every taggable child; none by default."""
    architecture: NotRequired[str]
    """`arm64` or `x86_64`; default arm64."""
    log_retention_days: NotRequired[int]
    """Retention of the function's log group; default 7."""
    log_kms_key_arn: NotRequired[pulumi.Input[str]]
    """KMS key of the function's log group (compliance mode's logs key); none by default."""
    subnet_ids: NotRequired[pulumi.Input[list[str]]]
    """Private subnets to run in (compliance mode); with security_group_ids."""
    security_group_ids: NotRequired[pulumi.Input[list[str]]]
    """Security groups of the function in those subnets."""


MAX_PREFIX: Final = max_prefix(
    LongestName(f"-{FUNCTION_STEM}-role", 64, autonamed=True),
    LongestName(f"-{FUNCTION_STEM}", 64),
    LongestName(f"-{FUNCTION_STEM}-failures", 80),
)
INPUTS: Final = ArgsCheck(
    AlertFormatterArgs,
    {
        "alerts_key_arn": aws_values.kms_key_arn,
        "evidence_lines": evidence_lines,
        "name_prefix": prefix_rule(MAX_PREFIX),
        "tags": aws_values.tags,
        "architecture": lambda_rules.architecture,
        "log_retention_days": aws_values.log_retention_days,
        "log_kms_key_arn": aws_values.kms_key_arn,
    },
    across=(VPC_NEEDS_SECURITY_GROUPS,),
)


class AlertFormatter(pulumi.ComponentResource):
    """The function that turns the tier topics' alarm notifications into emails with the evidence."""

    function_name: pulumi.Output[str]
    """The formatter function."""
    log_group_arn: pulumi.Output[str]
    """The formatter's own log group (an auditor reads it with the others)."""
    failure_queue_name: pulumi.Output[str]
    """Where notifications the formatter could not turn into emails wait."""
    ledger_table_name: pulumi.Output[str]
    """The formatter's record of the state changes it has mailed."""

    def __init__(self, name: str, args: AlertFormatterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        args = INPUTS.check("AlertFormatter", name, args)
        super().__init__(type_token(AlertFormatter), name, None, component_options(AlertFormatter, opts))
        prefix = name_prefix(args.get("name_prefix"), name, MAX_PREFIX)
        tags = dict(args.get("tags", {}))
        child = pulumi.ResourceOptions(parent=self)
        key = args["alerts_key_arn"]
        topics = {
            Tier.CRITICAL: args["critical_topic_arn"],
            Tier.PERFORMANCE: args["performance_topic_arn"],
            Tier.LOG_ALERTS: args["log_alerts_topic_arn"],
        }
        identity = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self))
        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self))

        ledger = aws.dynamodb.Table(
            f"{prefix}-alert-ledger",
            name=f"{prefix}-alert-ledger",
            billing_mode="PAY_PER_REQUEST",
            hash_key=contract.LEDGER_HASH_KEY,
            attributes=[aws.dynamodb.TableAttributeArgs(name=contract.LEDGER_HASH_KEY, type="S")],
            ttl=aws.dynamodb.TableTtlArgs(attribute_name=contract.LEDGER_TTL_ATTRIBUTE, enabled=True),
            # Records that expire within days: nothing to restore.
            point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=False),
            server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True, kms_key_arn=key),
            tags=tags,
            opts=child,
        )
        queue = aws.sqs.Queue(
            f"{prefix}-{FUNCTION_STEM}-failures",
            name=f"{prefix}-{FUNCTION_STEM}-failures",
            message_retention_seconds=QUEUE_RETENTION_SECONDS,
            kms_master_key_id=key,
            tags=tags,
            opts=child,
        )
        aws.sqs.QueuePolicy(
            f"{prefix}-{FUNCTION_STEM}-failures-policy",
            queue_url=queue.url,
            policy=pulumi.Output.all(queue.arn, *topics.values()).apply(
                lambda v: json.dumps(alert_queue_policy(v[0], list(v[1:])))
            ),
            opts=child,
        )
        watched = args["log_group_name"]
        environment = pulumi.Output.all(args["alarm_guides"], ledger.name, args["dashboard_url"]).apply(
            lambda v: _environment(args, v[0], v[1], v[2])
        )

        def policy(log_group_arn: pulumi.Output[str]) -> pulumi.Output[str]:
            return pulumi.Output.all(
                watched, identity.account_id, region.region, ledger.arn, queue.arn, key, log_group_arn, *topics.values()
            ).apply(
                lambda v: json.dumps(
                    formatter_policy(
                        FormatterResources(
                            watched_log_group_arns=(f"arn:aws:logs:{v[2]}:{v[1]}:log-group:{v[0]}",),
                            topic_arns=tuple(v[7:]),
                            alerts_key_arn=v[5],
                            ledger_table_arn=v[3],
                            failure_queue_arn=v[4],
                            log_group_arn=v[6],
                            in_vpc=in_vpc(args),
                        )
                    )
                )
            )

        settings = FunctionSettings(
            prefix=prefix,
            stem=FUNCTION_STEM,
            handler=contract.ALERT_HANDLER,
            memory_mb=MEMORY_MB,
            timeout_s=TIMEOUT_SECONDS,
            architecture=args.get("architecture", ARCHITECTURE),
            environment=environment,
            log_retention_days=args.get("log_retention_days", LOG_RETENTION_DAYS),
            tags=tags,
            log_kms_key_arn=args.get("log_kms_key_arn"),
            vpc=vpc_config(args),
        )
        formatter = lambda_function(settings, policy, child)
        function = formatter.function
        aws.lambda_.FunctionEventInvokeConfig(
            f"{prefix}-{FUNCTION_STEM}-async",
            function_name=function.name,
            maximum_retry_attempts=2,
            maximum_event_age_in_seconds=MAX_EVENT_AGE_SECONDS,
            destination_config=aws.lambda_.FunctionEventInvokeConfigDestinationConfigArgs(
                on_failure=aws.lambda_.FunctionEventInvokeConfigDestinationConfigOnFailureArgs(destination=queue.arn)
            ),
            opts=child,
        )
        for tier, topic in topics.items():
            permission = aws.lambda_.Permission(
                f"{prefix}-{FUNCTION_STEM}-{tier.value}-invoke",
                action="lambda:InvokeFunction",
                function=function.name,
                principal="sns.amazonaws.com",
                source_arn=topic,
                opts=child,
            )
            aws.sns.TopicSubscription(
                f"{prefix}-{FUNCTION_STEM}-{tier.value}",
                topic=topic,
                protocol="lambda",
                endpoint=function.arn,
                filter_policy=cloudwatch_only(),
                filter_policy_scope=MESSAGE_BODY,
                redrive_policy=queue.arn.apply(lambda arn: json.dumps({"deadLetterTargetArn": arn})),
                opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[permission])),
            )
        self.function_name = function.name
        self.log_group_arn = formatter.log_group.arn
        self.failure_queue_name = queue.name
        self.ledger_table_name = ledger.name
        self.register_outputs(
            {
                "function_name": self.function_name,
                "log_group_arn": self.log_group_arn,
                "failure_queue_name": self.failure_queue_name,
                "ledger_table_name": self.ledger_table_name,
            }
        )


def _environment(args: AlertFormatterArgs, guides: str, ledger: str, dashboard: str) -> dict[str, str]:
    return dict(
        formatter_environment(
            stack=args["stack"],
            guides_json=guides,
            ledger_table=ledger,
            evidence_lines=args.get("evidence_lines", contract.DEFAULT_EVIDENCE_LINES),
            dashboard_url=dashboard,
            runbook_url=args.get("runbook_url"),
        )
    )
