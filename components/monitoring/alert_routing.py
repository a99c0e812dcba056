"""Who hears what on a tier topic, once the alert formatter composes the emails: SNS filter policies.

CloudWatch publishes an alarm's JSON notification with no message attributes; the formatter publishes
its email as plain text with the attribute ``contract.ALERT_ATTRIBUTE``. So:

- email subscriptions take only messages carrying that attribute (scope MessageAttributes, the
  default): the composed email, never CloudWatch's raw text;
- SMS subscriptions and the formatter's own take only CloudWatch's JSON (scope MessageBody, a policy
  on its ``AlarmName`` key): the short raw text by SMS, and the formatter never hears itself.

Not ``{"exists": false}`` on the attribute for the second: SNS documents that ``"exists": false``
"only matches if at least one attribute is present. An empty set of attributes results in the filter
not matching" (https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html), and
CloudWatch's notifications carry none: such a policy would drop every alarm. (moto matches it anyway;
tests/alerts/test_routing.py pins our side.) Body policies "assume that the message payload is a
well-formed JSON object" (https://docs.aws.amazon.com/sns/latest/dg/message-filtering.html); the
formatter's plain-text email is none, so it matches no body policy. FilterPolicyScope:
https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html. Setting or changing either
on an existing subscription is SetSubscriptionAttributes, in place (hashicorp/terraform-provider-aws
internal/service/sns/topic_subscription.go: only topic_arn, protocol and endpoint force a new one).
"""

import json
from typing import Final

from handlers import contract

MESSAGE_ATTRIBUTES: Final = "MessageAttributes"
MESSAGE_BODY: Final = "MessageBody"
# The formatter's emails only.
COMPOSED_ONLY: Final = {contract.ALERT_ATTRIBUTE: [contract.ALERT_ATTRIBUTE_VALUE]}
# CloudWatch's alarm notifications only: every one names its alarm.
CLOUDWATCH_ONLY: Final = {"AlarmName": [{"exists": True}]}


def composed_only() -> str:
    return json.dumps(COMPOSED_ONLY, sort_keys=True)


def cloudwatch_only() -> str:
    return json.dumps(CLOUDWATCH_ONLY, sort_keys=True)
