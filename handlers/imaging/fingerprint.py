"""The rendering fingerprint: what produced an image's renditions, as one short stable string.

Made of the rendering specs only (name, size, formats, alpha formats: what the function makes, not how
long the bucket keeps it, see ``RenditionSpec.rendering``) and the image core's version. The same specs
give the same fingerprint in every process and on every machine: canonical JSON (sorted keys, specs
sorted by name, formats sorted, alpha formats that a spec's formats already cover dropped) hashed with
SHA-256, never ``hash()``, which Python salts per process. Specs that make the same renditions therefore
share a fingerprint; any change to what is made changes it.

The function stores it on every completed item; the stack exports the one its config gives, and the
reprocess command selects the items whose fingerprint differs. Imports no Pillow.
"""

import hashlib
import json
from collections.abc import Sequence
from typing import Final

from handlers.imaging.core_version import IMAGE_CORE_VERSION
from handlers.imaging.renditions import RenditionSpec

# 16 hex digits (64 bits): short enough for a log field and a report line, far from any collision.
FINGERPRINT_LENGTH: Final = 16


def rendering_fingerprint(specs: Sequence[RenditionSpec], core_version: int = IMAGE_CORE_VERSION) -> str:
    """The fingerprint of renditions made by image core ``core_version`` from ``specs``."""
    document = {
        "core": core_version,
        "renditions": sorted((_canonical(spec) for spec in specs), key=lambda entry: str(entry["name"])),
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def _canonical(spec: RenditionSpec) -> dict[str, object]:
    rendering = spec.rendering()
    formats = sorted(f.value for f in rendering.formats)
    # An alpha format the spec makes anyway adds nothing (RenditionSpec.formats_for).
    extra = sorted({f.value for f in rendering.alpha_formats} - set(formats))
    return {
        "name": rendering.name,
        "width": rendering.width,
        "height": rendering.height,
        "formats": formats,
        "alpha_formats": extra,
    }
