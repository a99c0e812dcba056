"""Lambda entry point: ``handlers.image_processor.handler``.

Thin on purpose: set up logging, read the environment (parsed once per container), hand the event
to the pipeline. The boto3 clients are made on the first invocation and then reused by every later
one in the same container (importing boto3 costs about 130 ms and the first client about 105 ms
more, so nothing that merely imports this module pays for them).
"""

import os
from dataclasses import dataclass
from typing import Any

from handlers.edge.lambda_context import LambdaContext
from handlers.edge.metadata import MetadataTable
from handlers.edge.pipeline import Pipeline
from handlers.edge.settings import processor_settings
from handlers.edge.storage import Storage
from handlers.per_container import PerContainer
from handlers.telemetry.logger import configure_logging, request_scope


@dataclass(frozen=True)
class AwsClients:
    s3: Any
    dynamodb: Any


def aws_clients() -> AwsClients:
    """The container's clients, created on the first invocation."""
    return _clients.get()


def reset_aws_clients() -> None:
    """Forget the clients, so the next invocation builds them from the environment again (tests, demo)."""
    _clients.reset()


def _create_clients() -> AwsClients:
    import boto3
    from botocore.config import Config

    # Standard retries back off on throttling and 5xx; what still fails is retried by Lambda.
    config = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=5, read_timeout=30)
    session = boto3.session.Session()
    return AwsClients(s3=session.client("s3", config=config), dynamodb=session.client("dynamodb", config=config))


_clients: PerContainer[AwsClients] = PerContainer(_create_clients)


def handler(event: object, context: LambdaContext) -> None:
    configure_logging()
    with request_scope(context.aws_request_id):
        settings = processor_settings(os.environ)
        clients = aws_clients()
        pipeline = Pipeline(
            settings, Storage(clients.s3), MetadataTable(clients.dynamodb, settings.metadata_table), context
        )
        pipeline.handle_event(event)
