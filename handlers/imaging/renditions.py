"""Rendition specifications: what sizes and formats to make, parsed from JSON.

The same parser validates the stack config (``components/``) and the function's
``RENDITIONS`` environment variable, so both accept exactly the same documents.
"""

import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class OutputFormat(StrEnum):
    JPEG = "jpeg"
    WEBP = "webp"
    PNG = "png"

    @property
    def content_type(self) -> str:
        return f"image/{self.value}"

    @property
    def extension(self) -> str:
        return "jpg" if self is OutputFormat.JPEG else self.value


# Seed 002: JPEG q85 and WebP q80.
JPEG_QUALITY = 85
WEBP_QUALITY = 80

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
# Larger than any sane rendition; keeps a typo (150000) from costing a whole Lambda.
MAX_RENDITION_EDGE = 4096


@dataclass(frozen=True)
class RenditionSpec:
    """One rendition: fit inside width x height, never upscale, in each format."""

    name: str
    width: int
    height: int
    formats: tuple[OutputFormat, ...] = (OutputFormat.JPEG, OutputFormat.WEBP)
    # Extra formats made only when the source has transparency (JPEG cannot hold alpha).
    alpha_formats: tuple[OutputFormat, ...] = field(default=(OutputFormat.PNG,))

    def formats_for(self, has_alpha: bool) -> tuple[OutputFormat, ...]:
        extra = tuple(f for f in self.alpha_formats if f not in self.formats) if has_alpha else ()
        return self.formats + extra

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "width": self.width,
            "height": self.height,
            "formats": [f.value for f in self.formats],
            "alpha_formats": [f.value for f in self.alpha_formats],
        }


# Seeds 000 (150x150, 800x600) and 004 (300x300).
DEFAULT_RENDITIONS: tuple[RenditionSpec, ...] = (
    RenditionSpec("thumbnail", 150, 150),
    RenditionSpec("small", 300, 300),
    RenditionSpec("preview", 800, 600),
)


class RenditionSpecError(ValueError):
    """A rendition document is malformed; the message names the entry and the rule."""


def _positive_edge(entry: str, key: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RENDITION_EDGE:
        raise RenditionSpecError(f"{entry}: {key} must be a whole number from 1 to {MAX_RENDITION_EDGE}, got {value!r}")
    return value


def _formats(entry: str, key: str, value: object) -> tuple[OutputFormat, ...]:
    allowed = ", ".join(f.value for f in OutputFormat)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RenditionSpecError(f"{entry}: {key} must be a list of formats ({allowed}), got {value!r}")
    out: list[OutputFormat] = []
    for v in value:
        try:
            fmt = OutputFormat(v.lower())
        except ValueError:
            raise RenditionSpecError(f"{entry}: unknown format {v!r} in {key}; allowed: {allowed}") from None
        if fmt not in out:
            out.append(fmt)
    return tuple(out)


def parse_rendition(raw: object, index: int = 0) -> RenditionSpec:
    entry = f"renditions[{index}]"
    if not isinstance(raw, dict):
        raise RenditionSpecError(f"{entry} must be an object, got {raw!r}")
    unknown = set(raw) - {"name", "width", "height", "formats", "alpha_formats"}
    if unknown:
        raise RenditionSpecError(f"{entry}: unknown keys {sorted(unknown)}")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise RenditionSpecError(
            f"{entry}: name must be lower-case letters, digits or '-', starting with a letter, got {name!r}"
        )
    entry = f"renditions[{index}] ({name})"
    formats = _formats(entry, "formats", raw.get("formats", ["jpeg", "webp"]))
    if not formats:
        raise RenditionSpecError(f"{entry}: formats must name at least one format")
    return RenditionSpec(
        name=name,
        width=_positive_edge(entry, "width", raw.get("width")),
        height=_positive_edge(entry, "height", raw.get("height")),
        formats=formats,
        alpha_formats=_formats(entry, "alpha_formats", raw.get("alpha_formats", ["png"])),
    )


def parse_renditions(raw: object) -> tuple[RenditionSpec, ...]:
    """Validate a list of rendition objects (already decoded from JSON or YAML)."""
    if not isinstance(raw, list) or not raw:
        raise RenditionSpecError(f"renditions must be a non-empty list, got {raw!r}")
    specs = tuple(parse_rendition(item, i) for i, item in enumerate(raw))
    names = [s.name for s in specs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise RenditionSpecError(f"renditions: duplicate names {duplicates}")
    return specs


def renditions_from_json(text: str) -> tuple[RenditionSpec, ...]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RenditionSpecError(f"renditions is not valid JSON: {exc}") from None
    return parse_renditions(raw)


def renditions_to_json(specs: tuple[RenditionSpec, ...]) -> str:
    return json.dumps([s.to_json() for s in specs], separators=(",", ":"))
