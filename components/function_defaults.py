"""Defaults of the image-processing function's settings, shared by ImagePipeline and the monitoring
components (which must know its timeout and concurrency) and by the stack config's keys."""

from typing import Final

from layers.build import Architecture

MEMORY_MB: Final = 1024
TIMEOUT_SECONDS: Final = 60
ARCHITECTURE: Final[Architecture] = "arm64"
UNRESERVED: Final = -1  # Lambda's own "no reserved concurrency"
LOG_RETENTION_DAYS: Final = 7
MAX_RETRY_ATTEMPTS: Final = 2
MAX_EVENT_AGE_SECONDS: Final = 21600
