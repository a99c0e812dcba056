"""Who hears what on a tier topic: email recipients only the composed email, SMS and the formatter only
CloudWatch's own notification, under the filter policies the components deploy."""

import json

from components.monitoring.alert_routing import CLOUDWATCH_ONLY, COMPOSED_ONLY
from tests.alerts.alert_deployment import AlertWorld


def test_cloudwatchs_notification_reaches_sms_and_the_formatter_and_the_email_reaches_only_email(
    aws: AlertWorld,
) -> None:
    # GIVEN CloudWatch publishes an alarm's notification to the tier topic
    event = aws.notification("rejected-uploads")
    aws.sns.publish(TopicArn=aws.topic_arn, Message=event["Records"][0]["Sns"]["Message"])
    # WHEN the formatter handles it and publishes its email to the same topic
    aws.invoke(event)
    # THEN email recipients get the email only; SMS and the formatter get CloudWatch's message only
    (email,) = aws.inbox("email")
    assert email["Subject"].startswith("[LOG-ALERTS] imagepipe-test: rejected uploads")
    for raw_only in ("sms", "formatter"):
        (message,) = aws.inbox(raw_only)
        assert json.loads(message["Message"])["AlarmName"] == "imagepipe-test-rejected-uploads-log-alerts"


def test_no_policy_relies_on_exists_false_which_never_matches_an_attributeless_message() -> None:
    # SNS: '"exists": false only matches if at least one attribute is present' (moto matches it anyway),
    # and CloudWatch's notifications carry no attributes.
    for policy in (COMPOSED_ONLY, CLOUDWATCH_ONLY):
        assert '"exists": false' not in json.dumps(policy)
    assert CLOUDWATCH_ONLY == {"AlarmName": [{"exists": True}]}
    assert COMPOSED_ONLY == {"imagepipe_alert": ["composed"]}
