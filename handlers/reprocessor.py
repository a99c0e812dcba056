"""Lambda entry point of the reprocessing function: ``handlers.reprocessor.handler``.

S3 Batch Operations invokes it synchronously, one LambdaInvoke invocation (schema 2.0) per task, with
the same code, layer and environment as the image processor: the same settings (renditions, limits)
and the same per-record pipeline (``Pipeline.reprocess``). It is a function of its own so that a job's
load and failures stay off the image processor's alarms, which page people, and so that its reserved
concurrency caps how hard a job drives S3, DynamoDB and the account's concurrency.

It never raises for a task: each one is answered (Succeeded, TemporaryFailure, PermanentFailure), and
Batch Operations retries the temporary ones. Only an event that is not an invocation at all fails.
"""

import os

from handlers.aws_budget import invocation_deadline
from handlers.batch.answer import answer
from handlers.batch.invocation import parse_invocation
from handlers.batch.results import response
from handlers.edge.lambda_context import LambdaContext
from handlers.edge.metadata import MetadataTable
from handlers.edge.pipeline import Pipeline
from handlers.edge.settings import processor_settings
from handlers.edge.storage import Storage
from handlers.image_processor import PROCESSOR_CALL_BUDGET, PROCESSOR_RESERVE_S, aws_clients, failure_record_client
from handlers.telemetry.logger import configure_logging, request_scope


def handler(event: object, context: LambdaContext) -> dict[str, object]:
    configure_logging()
    # The image processor's call budgets and reserve: every call ends before the invocation must answer,
    # and a call that would not is a TemporaryFailure Batch Operations retries.
    with request_scope(context.aws_request_id), invocation_deadline(context, PROCESSOR_RESERVE_S) as deadline:
        invocation = parse_invocation(event)
        settings = processor_settings(os.environ)
        clients = aws_clients(deadline.fit(PROCESSOR_CALL_BUDGET))
        table = MetadataTable(clients.dynamodb, settings.metadata_table)
        failures = MetadataTable(failure_record_client(), settings.metadata_table)
        pipeline = Pipeline(settings, Storage(clients.s3), table, context, failure_table=failures)
        results = answer(invocation, pipeline.reprocess, settings.fingerprint)
        return response(invocation.schema_version, invocation.invocation_id, results)
