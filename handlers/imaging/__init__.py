"""The image core: pure functions on bytes and Pillow images. No boto3, no AWS.

``process_image(data, specs, limits)`` turns the bytes of one upload into renditions or
raises ``Rejected`` with a reason.
"""

from handlers.imaging.errors import Rejected, RejectReason
from handlers.imaging.process import process_image
from handlers.imaging.renditions import DEFAULT_RENDITIONS, OutputFormat, RenditionSpec
from handlers.imaging.types import Limits, ProcessedImage, Rendition, SourceInfo

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
