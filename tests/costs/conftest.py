"""The handler's moto deployment (tests/handler), for measuring what one image really costs."""

from tests.handler.conftest import aws

__all__ = ["aws"]
