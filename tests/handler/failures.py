"""Injected AWS failures: wrap a client call so the n-th one raises, as botocore hooks cannot."""

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError


def client_error(code: str, operation: str, http_status: int = 400) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": f"injected {code}"},
            "ResponseMetadata": {"HTTPStatusCode": http_status},
        },
        operation,
    )


def fail_call(
    monkeypatch: pytest.MonkeyPatch, client: Any, method: str, code: str, on_call: int = 1, http_status: int = 400
) -> Callable[[], None]:
    """Make the n-th call of ``client.method`` raise ``code``; returns a function that heals it."""
    real = getattr(client, method)
    calls = 0

    def failing(**request: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == on_call:
            raise client_error(code, method, http_status)
        return real(**request)

    monkeypatch.setattr(client, method, failing)
    return lambda: monkeypatch.setattr(client, method, real)
