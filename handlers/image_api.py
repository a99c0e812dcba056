"""Lambda entry point of the image API: ``handlers.image_api.handler`` (handlers.contract.API_HANDLER).

Thin on purpose, like ``handlers.image_processor``: set up logging, stamp the request id, set the
invocation's deadline (every AWS call must end before it, ``handlers.aws_budget``), hand the API
Gateway proxy event to ``handlers.api.dispatch``. The boto3 clients are made when a request first
needs one and reused by every later request in the container; importing this module imports neither
boto3 nor Pillow.
"""

import os

from handlers.api.clients import API_CALL_BUDGET, API_RESERVE_S, api_clients
from handlers.api.dispatch import handle
from handlers.api.responses import ProxyResponse
from handlers.aws_budget import invocation_deadline
from handlers.contract import API_GATEWAY_TIMEOUT_S
from handlers.edge.lambda_context import LambdaContext
from handlers.telemetry.logger import configure_logging, request_scope


def handler(event: object, context: LambdaContext) -> ProxyResponse:
    configure_logging()
    # Every AWS call ends, answered or given up, while the function and API Gateway still wait for it.
    deadline = invocation_deadline(context, API_RESERVE_S, limit_s=API_GATEWAY_TIMEOUT_S)
    with request_scope(context.aws_request_id), deadline as invocation:
        clients = api_clients(invocation.fit(API_CALL_BUDGET))
        return handle(event, os.environ, clients, context.aws_request_id)
