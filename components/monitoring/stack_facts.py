"""The facts alarm thresholds depend on, taken from a stack's config."""

from components.config import StackConfig
from components.monitoring.catalogue import StackFacts, Tier


def stack_facts(config: StackConfig) -> StackFacts:
    return StackFacts(
        timeout_s=config.function.timeout_s,
        reserved_concurrency=config.function.reserved_concurrency,
        expect_traffic=config.alerting.expect_traffic,
        no_traffic_minutes=config.alerting.no_traffic_minutes,
        overrides=dict(config.alerting.alarm_thresholds),
    )


def tier_emails(config: StackConfig) -> dict[Tier, tuple[str, ...]]:
    """alertEmail hears every tier; tierEmails adds people per tier."""
    a = config.alerting
    return {tier: tuple(dict.fromkeys((a.alert_email, *a.tier_emails.get(tier.value, ())))) for tier in Tier}
