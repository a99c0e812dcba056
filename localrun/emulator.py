"""An AWS emulator for one run: moto's server on a free loopback port, fake credentials.

``local_aws()`` starts the server, points boto3 at it through ``AWS_ENDPOINT_URL`` (so the
handler's code is the code that runs on Lambda) and, on exit, wipes the emulator's state, stops
the server, closes its socket and puts every environment variable back as it was.
"""

import logging
import os
import time
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

REGION = "eu-west-1"

# Fake credentials, and no profile or config file of the developer's that could point elsewhere.
FAKE_AWS_ENVIRONMENT: Mapping[str, str | None] = {
    "AWS_ACCESS_KEY_ID": "localrun",
    "AWS_SECRET_ACCESS_KEY": "localrun",
    "AWS_SESSION_TOKEN": "localrun",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_PROFILE": None,
}


@contextmanager
def patched_environ(changes: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, for None, remove) variables inside the block; restore exactly afterwards."""
    saved = {name: os.environ.get(name) for name in changes}
    try:
        for name, value in changes.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass(frozen=True)
class LocalAws:
    endpoint_url: str
    session: boto3.session.Session = field(repr=False)

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.endpoint_url)


@contextmanager
def local_aws() -> Iterator[LocalAws]:
    # Port 0: the operating system picks a free port, so two runs never collide.
    # werkzeug would write one line per request to stderr; the demo's story is the handler's lines.
    werkzeug = logging.getLogger("werkzeug")
    werkzeug_level = werkzeug.level
    werkzeug.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        try:
            with patched_environ({**FAKE_AWS_ENVIRONMENT, "AWS_ENDPOINT_URL": endpoint}):
                yield LocalAws(endpoint, boto3.session.Session(region_name=REGION))
        finally:
            # The emulator's state lives in this process: leave none behind for whatever runs next.
            reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
            with urllib.request.urlopen(reset, timeout=5):
                pass
    finally:
        server.stop()
        # moto 5.2.5's stop() leaves the listening socket open; close it so the port is free again.
        if server._server is not None:
            server._server.server_close()
        werkzeug.setLevel(werkzeug_level)


@dataclass
class LocalLambdaContext:
    """What Lambda hands the handler: a request id and the time left before the timeout."""

    timeout_ms: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_name: str = "image-processor"
    _deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))
