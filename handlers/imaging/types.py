"""Values the image core takes and returns."""

from dataclasses import dataclass

from handlers.imaging.renditions import OutputFormat


@dataclass(frozen=True)
class Limits:
    """Checked before any pixel buffer exists."""

    max_bytes: int
    max_pixels: int


@dataclass(frozen=True)
class SourceInfo:
    """What the upload is, as decoded from its content (never its name)."""

    format: str  # Pillow's name: JPEG, PNG, WEBP, GIF
    width: int  # after EXIF orientation
    height: int
    has_alpha: bool
    size_bytes: int


@dataclass(frozen=True)
class Rendition:
    name: str
    format: OutputFormat
    width: int
    height: int
    data: bytes

    @property
    def content_type(self) -> str:
        return self.format.content_type


@dataclass(frozen=True)
class ProcessedImage:
    source: SourceInfo
    renditions: tuple[Rendition, ...]
