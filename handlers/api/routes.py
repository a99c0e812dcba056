"""The API's routes: API Gateway resource path and method to the operation that serves it.

Written by hand: a handful of routes does not earn a framework's import time (powertools'
APIGatewayRestResolver alone costs about 0.12 s of cold start).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from handlers.api.clients import ApiClients
from handlers.api.errors import MethodNotAllowed, NotFound
from handlers.api.images import delete_image, get_image
from handlers.api.listing import list_images
from handlers.api.proxy_event import ApiRequest
from handlers.api.responses import ApiResponse
from handlers.api.settings import ApiSettings
from handlers.api.uploads import create_upload
from handlers.contract import API_IMAGE_PATH, API_IMAGES_PATH

# An operation serves one method of one route for an identified caller (the user id).
Operation = Callable[[ApiRequest, str, ApiSettings, ApiClients], ApiResponse]

# Answered for every route, without identity: browsers send preflights without credentials.
PREFLIGHT_METHOD: Final = "OPTIONS"


@dataclass(frozen=True)
class Route:
    resource: str
    operations: Mapping[str, Operation]

    @property
    def allowed_methods(self) -> tuple[str, ...]:
        return (*self.operations, PREFLIGHT_METHOD)

    def operation(self, method: str) -> Operation:
        operation = self.operations.get(method)
        if operation is None:
            raise MethodNotAllowed(method, self.allowed_methods)
        return operation


ROUTES: Final = {
    route.resource: route
    for route in (
        Route(API_IMAGES_PATH, {"GET": list_images, "POST": create_upload}),
        Route(API_IMAGE_PATH, {"GET": get_image, "DELETE": delete_image}),
    )
}


def find_route(resource: str) -> Route:
    route = ROUTES.get(resource)
    if route is None:
        raise NotFound("no such resource")
    return route
