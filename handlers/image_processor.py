"""Lambda entry point: ``handlers.image_processor.handler``.

Thin on purpose: set up logging, read the environment (parsed once per container), set the
invocation's deadline (every AWS call must end before it, ``handlers.aws_budget``), hand the event
to the pipeline. The boto3 clients are made on the first invocation and then reused by every later
one in the same container (importing boto3 costs about 130 ms and the first client about 105 ms
more, so nothing that merely imports this module pays for them).
"""

import os
from dataclasses import dataclass
from typing import Any, Final

from handlers.aws_budget import FINAL_MARGIN_S, CallBudget, budgeted_client, forget_session, invocation_deadline
from handlers.edge.lambda_context import LambdaContext
from handlers.edge.metadata import MetadataTable
from handlers.edge.pipeline import Pipeline
from handlers.edge.settings import processor_settings
from handlers.edge.storage import Storage
from handlers.per_container import PerContainer, PerContainerMap
from handlers.telemetry.logger import configure_logging, request_scope

# The most one call may take (16 s) when the invocation has the time; the function's default timeout is
# 60 s (components.function_defaults.TIMEOUT_SECONDS). Two attempts: a throttled PUT (S3's SlowDown)
# is retried once after a pause, what still fails is recorded and retried by Lambda.
PROCESSOR_CALL_BUDGET: Final = CallBudget(connect_timeout_s=1, read_timeout_s=4, attempts=2)
# The call that records a failure once the others gave up: it runs in the reserve.
FAILURE_RECORD_BUDGET: Final = CallBudget(connect_timeout_s=0.5, read_timeout_s=1.5, attempts=1)
# Kept back from the work's calls: recording the failure, its image.failed line, raising for a retry.
PROCESSOR_RESERVE_S: Final = FAILURE_RECORD_BUDGET.worst_case_s + FINAL_MARGIN_S


@dataclass(frozen=True)
class AwsClients:
    s3: Any
    dynamodb: Any


def aws_clients(budget: CallBudget = PROCESSOR_CALL_BUDGET) -> AwsClients:
    """The container's clients of ``budget`` (an invocation fits it to its time), created on first use."""
    return _clients.get(budget)


def failure_record_client() -> Any:
    """The container's DynamoDB client that records failures, in the invocation's reserve."""
    return _failure_client.get()


def reset_aws_clients() -> None:
    """Forget the clients, so the next invocation builds them from the environment again (tests, demo)."""
    _clients.reset()
    _failure_client.reset()
    forget_session()  # credentials too


def _create_clients(budget: CallBudget) -> AwsClients:
    return AwsClients(s3=budgeted_client("s3", budget), dynamodb=budgeted_client("dynamodb", budget))


_clients: PerContainerMap[CallBudget, AwsClients] = PerContainerMap(_create_clients)
_failure_client: PerContainer[Any] = PerContainer(
    lambda: budgeted_client("dynamodb", FAILURE_RECORD_BUDGET, last_word=True)
)


def handler(event: object, context: LambdaContext) -> None:
    configure_logging()
    with request_scope(context.aws_request_id), invocation_deadline(context, PROCESSOR_RESERVE_S) as invocation:
        settings = processor_settings(os.environ)
        clients = aws_clients(invocation.fit(PROCESSOR_CALL_BUDGET))
        table = MetadataTable(clients.dynamodb, settings.metadata_table)
        failures = MetadataTable(failure_record_client(), settings.metadata_table)
        pipeline = Pipeline(settings, Storage(clients.s3), table, context, failure_table=failures)
        pipeline.handle_event(event)
