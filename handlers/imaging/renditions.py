"""Rendition specifications: what sizes and formats to make, parsed from JSON.

The same parser validates the stack config (``components/``) and the function's
``RENDITIONS`` environment variable, so both accept exactly the same documents.
"""

import json
import re
from dataclasses import dataclass, replace
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

    @property
    def holds_alpha(self) -> bool:
        """WebP and PNG keep transparency; JPEG is flattened onto a background."""
        return self is not OutputFormat.JPEG


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
    # Extra formats made only when the source has transparency. Transparent sources keep their alpha
    # in every format of `formats` that can hold it; these are written besides.
    alpha_formats: tuple[OutputFormat, ...] = ()
    # Days after which the lifecycle rule of the processed bucket expires this rendition's objects
    # (by their Type tag); None: never. Infrastructure only: the function does not read it.
    expiration_days: int | None = None

    def formats_for(self, has_alpha: bool) -> tuple[OutputFormat, ...]:
        extra = tuple(f for f in self.alpha_formats if f not in self.formats) if has_alpha else ()
        return self.formats + extra

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "name": self.name,
            "width": self.width,
            "height": self.height,
            "formats": [f.value for f in self.formats],
            "alpha_formats": [f.value for f in self.alpha_formats],
        }
        if self.expiration_days is not None:
            document["expiration_days"] = self.expiration_days
        return document

    def rendering(self) -> "RenditionSpec":
        """What the function needs of this rendition (what it makes, not how long it is kept)."""
        return replace(self, expiration_days=None)


def default_alpha_formats(formats: tuple[OutputFormat, ...]) -> tuple[OutputFormat, ...]:
    """PNG for transparent sources only where none of the rendition's formats keeps alpha itself."""
    return () if any(f.holds_alpha for f in formats) else (OutputFormat.PNG,)


# Seeds 000 (150x150, 800x600) and 004 (300x300); seed 002 writes PNG for transparent sources, so the
# defaults ask for it (WebP would keep the alpha on its own).
DEFAULT_RENDITIONS: tuple[RenditionSpec, ...] = (
    RenditionSpec("thumbnail", 150, 150, alpha_formats=(OutputFormat.PNG,)),
    RenditionSpec("small", 300, 300, alpha_formats=(OutputFormat.PNG,)),
    RenditionSpec("preview", 800, 600, alpha_formats=(OutputFormat.PNG,)),
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
    unknown = set(raw) - {"name", "width", "height", "formats", "alpha_formats", "expiration_days"}
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
    given_alpha = raw.get("alpha_formats")
    return RenditionSpec(
        name=name,
        width=_positive_edge(entry, "width", raw.get("width")),
        height=_positive_edge(entry, "height", raw.get("height")),
        formats=formats,
        alpha_formats=default_alpha_formats(formats)
        if given_alpha is None
        else _formats(entry, "alpha_formats", given_alpha),
        expiration_days=_expiration_days(entry, raw.get("expiration_days")),
    )


def _expiration_days(entry: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RenditionSpecError(f"{entry}: expiration_days must be a whole number of at least 1, got {value!r}")
    return value


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
    """The function's RENDITIONS: what it makes (expiry is the bucket's business, not the function's)."""
    return json.dumps([s.rendering().to_json() for s in specs], separators=(",", ":"))
