"""An AWS endpoint that has stalled: it accepts every TCP connection and never answers a byte.

Point a function's clients at it (``AWS_ENDPOINT_URL`` for every service, ``AWS_ENDPOINT_URL_S3`` or
``AWS_ENDPOINT_URL_DYNAMODB`` for one) and each attempt waits its whole read timeout, as against a
service that hangs. moto lets requests to this address through untouched: it only answers AWS's own
hostnames.
"""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field


@dataclass
class StalledEndpoint:
    url: str
    _accepted: list[socket.socket] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def connections(self) -> int:
        """How many connections clients have opened so far (one per attempt: nothing is ever reused)."""
        with self._lock:
            return len(self._accepted)

    def _keep(self, connection: socket.socket) -> None:
        with self._lock:
            self._accepted.append(connection)

    def _close_all(self) -> None:
        with self._lock:
            for connection in self._accepted:
                connection.close()


@contextmanager
def stalled_endpoint() -> Iterator[StalledEndpoint]:
    """The endpoint, listening on a free loopback port for the block; every socket closed afterwards."""
    listener = socket.create_server(("127.0.0.1", 0))
    host, port = listener.getsockname()[:2]
    endpoint = StalledEndpoint(f"http://{host}:{port}")

    def accept_forever() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # the listener was closed: the block is over
                return
            endpoint._keep(connection)  # held open, never read from, never written to

    thread = threading.Thread(target=accept_forever, name="stalled-endpoint", daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        # shutdown() wakes the blocked accept() on Linux; close() alone may not.
        with suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        thread.join(timeout=5)
        endpoint._close_all()
