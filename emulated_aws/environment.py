"""The environment of an emulated AWS account: one region, fake credentials, no developer profile."""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

REGION = "eu-west-1"

# Fake credentials, and no profile or config file of the developer's that could point elsewhere.
FAKE_AWS_ENVIRONMENT: Mapping[str, str | None] = {
    "AWS_ACCESS_KEY_ID": "emulated",
    "AWS_SECRET_ACCESS_KEY": "emulated",
    "AWS_SESSION_TOKEN": "emulated",
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
