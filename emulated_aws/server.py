"""AWS emulated for one run: moto's server on a free loopback port, fake credentials.

``local_aws()`` starts the server, points boto3 at it through ``AWS_ENDPOINT_URL`` (so the
handler's code is the code that runs on Lambda) and, on exit, wipes the emulator's state, stops
the server, closes its socket and puts every environment variable back as it was.
"""

import logging
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from emulated_aws.environment import FAKE_AWS_ENVIRONMENT, REGION, patched_environ


@dataclass(frozen=True)
class LocalAws:
    """The running emulator: its endpoint, and clients of any service pointed at it."""

    endpoint_url: str
    session: boto3.session.Session = field(repr=False)

    def client(self, service: str) -> Any:
        return self.session.client(service, endpoint_url=self.endpoint_url)


@contextmanager
def local_aws() -> Iterator[LocalAws]:
    """moto's server and the fake AWS environment for the block; nothing of either left afterwards."""
    # Port 0: the operating system picks a free port, so two runs never collide.
    # werkzeug would write one line per request to stderr; a run's story is the handler's lines.
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
