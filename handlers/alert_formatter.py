"""Lambda entry point of the alert formatter: ``handlers.alert_formatter.handler`` (contract.ALERT_HANDLER).

SNS invokes it asynchronously with one record per notification
(https://docs.aws.amazon.com/sns/latest/dg/sns-lambda-as-subscriber.html); its subscription's filter
policy lets through only CloudWatch's own alarm messages, never the emails it publishes itself.
Importing this module imports no boto3.
"""

import logging
import os
from typing import Any, Final

from handlers.alerts.clients import alert_clients
from handlers.alerts.errors import NotAnAlarm
from handlers.alerts.formatter import handle_notification
from handlers.alerts.notification import parse_record
from handlers.alerts.settings import load_alert_settings
from handlers.edge.lambda_context import LambdaContext
from handlers.telemetry import events as ev
from handlers.telemetry.logger import configure_logging, log_event, request_scope

LOGGER: Final = logging.getLogger("handlers.alerts")


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, list[str]]:
    """Every record's outcome (``sent``, ``duplicate``, ``ignored``); a failure to publish fails the invocation."""
    configure_logging()
    with request_scope(context.aws_request_id):
        settings = load_alert_settings(os.environ)
        outcomes: list[str] = []
        for record in event.get("Records", []) if isinstance(event, dict) else []:
            try:
                notification = parse_record(record)
            except NotAnAlarm as exc:
                log_event(LOGGER, ev.Level.WARNING, ev.LogEvent.ALERT_IGNORED, {ev.FIELD_DETAIL: str(exc)[:300]})
                outcomes.append("ignored")
                continue
            outcomes.append(handle_notification(settings, alert_clients(), notification).status)
        return {"outcomes": outcomes}
