"""The image core: pure functions on bytes and Pillow images. No boto3, no AWS.

``process_image(data, specs, limits)`` turns the bytes of one upload into renditions or
raises ``Rejected`` with a reason.

Only the Lambda layer has Pillow: importing this package, the rendition spec
(``handlers.imaging.renditions``) or the other data-only modules never imports it. The names
below that need Pillow are imported on first use.
"""

import importlib
from typing import TYPE_CHECKING, Any, Final

from handlers.imaging.errors import Rejected, RejectReason
from handlers.imaging.renditions import DEFAULT_RENDITIONS, OutputFormat, RenditionSpec
from handlers.imaging.types import Limits, ProcessedImage, Rendition, SourceInfo

if TYPE_CHECKING:
    from handlers.imaging.process import process_image

# Public names whose module imports Pillow, by that module.
_NEEDS_PILLOW: Final = {"process_image": "handlers.imaging.process"}

__all__ = [
    "DEFAULT_RENDITIONS",
    "Limits",
    "OutputFormat",
    "ProcessedImage",
    "RejectReason",
    "Rejected",
    "Rendition",
    "RenditionSpec",
    "SourceInfo",
    "process_image",
]


def __getattr__(name: str) -> Any:
    """PEP 562: `handlers.imaging.process_image` imports Pillow only when it is asked for."""
    if name in _NEEDS_PILLOW:
        return getattr(importlib.import_module(_NEEDS_PILLOW[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
