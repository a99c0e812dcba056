"""Lambda entry point of the scheduled cleanup: ``handlers.cleanup_handler.handler`` (contract.CLEANUP_HANDLER).

Thin on purpose, like ``handlers.image_processor``: set up logging, stamp the request id, set the
invocation's deadline (every AWS call must end before it, ``handlers.aws_budget``), read the
environment, run ``handlers.cleanup.job``. EventBridge Scheduler sends an input of its own choosing;
the payload is ignored, so no event can widen or redirect what the function deletes: the buckets,
the table and the age come from the environment only. Importing this module imports no boto3.
"""

import os
from datetime import UTC, datetime

from handlers.aws_budget import invocation_deadline
from handlers.cleanup.clients import CLEANUP_CALL_BUDGET, CLEANUP_RESERVE_S, cleanup_clients
from handlers.cleanup.job import run_cleanup
from handlers.cleanup.settings import load_cleanup_settings
from handlers.edge.lambda_context import LambdaContext
from handlers.telemetry.logger import configure_logging, request_scope


def utc_now() -> datetime:
    """The moment the cutoff is measured back from (the tests move it: moto stamps real times)."""
    return datetime.now(UTC)


def handler(event: object, context: LambdaContext) -> dict[str, object]:
    """Run one cleanup and return its summary (what the ``cleanup.completed`` line says)."""
    del event  # the schedule's input carries nothing the function acts on
    configure_logging()
    with request_scope(context.aws_request_id), invocation_deadline(context, CLEANUP_RESERVE_S) as invocation:
        # Settings first: a missing or refused setting (MAX_AGE_DAYS below 1) stops before any request.
        settings = load_cleanup_settings(os.environ)
        clients = cleanup_clients(invocation.fit(CLEANUP_CALL_BUDGET))
        return run_cleanup(settings, clients.s3, clients.dynamodb, now=utc_now()).summary()
