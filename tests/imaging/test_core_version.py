"""IMAGE_CORE_VERSION moves with the image core's output: a change that alters renditions must bump it.

The renditions of two reference uploads are digested (names, formats, sizes and bytes). A change to
resizing, encoding, colour handling or Pillow itself changes a digest; the test then fails and says to
bump the version (so ``--stale-only`` re-renders every stored image) and record the new digests here.
"""

import hashlib

from handlers.imaging import DEFAULT_RENDITIONS, Limits, process_image
from handlers.imaging.core_version import IMAGE_CORE_VERSION
from tests import imagefactories as factories

# What each version of the core makes of the reference uploads (Pillow 13.0.0's wheel).
REFERENCE_DIGESTS = {
    1: {"photo": "03faf0281946b26f", "transparent": "9affa47afbea31f9"},
}
LIMITS = Limits(max_bytes=50_000_000, max_pixels=50_000_000)


def renditions_digest(data: bytes) -> str:
    digest = hashlib.sha256()
    for r in process_image(data, DEFAULT_RENDITIONS, LIMITS).renditions:
        digest.update(f"{r.name}.{r.format.value} {r.width}x{r.height} ".encode())
        digest.update(hashlib.sha256(r.data).digest())
    return digest.hexdigest()[:16]


def test_the_core_makes_what_its_version_recorded() -> None:
    # GIVEN the reference uploads
    made = {
        "photo": renditions_digest(factories.save(factories.quadrants((1200, 900)), "JPEG", quality=90)),
        "transparent": renditions_digest(factories.png(factories.half_transparent_rgba((600, 300)))),
    }
    # THEN the core makes exactly what this version of it made when the version was recorded
    assert made == REFERENCE_DIGESTS.get(IMAGE_CORE_VERSION), (
        "the image core's renditions changed: bump IMAGE_CORE_VERSION in handlers/imaging/core_version.py "
        f"and record {made} for it in REFERENCE_DIGESTS"
    )
