"""Defaults of the image-processing function's settings, shared by ImagePipeline and the monitoring
components (which must know its timeout and concurrency) and by the stack config's keys."""

from typing import Final

from layers.build import Architecture

# The least memory that decodes the worst upload of the default caps (50 MP, 50 MiB): 1109 MB by the
# image core's measured figure (handlers/imaging/memory.py); 1024 left a WebP of 46-50 MP to die.
MEMORY_MB: Final = 1152
TIMEOUT_SECONDS: Final = 60
ARCHITECTURE: Final[Architecture] = "arm64"
UNRESERVED: Final = -1  # Lambda's own "no reserved concurrency"
LOG_RETENTION_DAYS: Final = 7
MAX_RETRY_ATTEMPTS: Final = 2
MAX_EVENT_AGE_SECONDS: Final = 21600
