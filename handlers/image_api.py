"""Lambda entry point of the image API: ``handlers.image_api.handler`` (handlers.contract.API_HANDLER).

Thin on purpose, like ``handlers.image_processor``: set up logging, stamp the request id, hand the
API Gateway proxy event to ``handlers.api.dispatch``. The boto3 clients are made when a request
first needs one and reused by every later request in the container; importing this module imports
neither boto3 nor Pillow.
"""

import os

from handlers.api.clients import api_clients
from handlers.api.dispatch import handle
from handlers.api.responses import ProxyResponse
from handlers.edge.lambda_context import LambdaContext
from handlers.telemetry.logger import configure_logging, request_scope


def handler(event: object, context: LambdaContext) -> ProxyResponse:
    configure_logging()
    with request_scope(context.aws_request_id):
        return handle(event, os.environ, api_clients(), context.aws_request_id)
