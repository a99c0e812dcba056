"""The image core's own version: one of the two things a rendering fingerprint is made of.

Bump ``IMAGE_CORE_VERSION`` whenever a change makes ``process_image`` write different renditions for the
same upload and the same specs: a resampling filter, an encoder setting, colour or orientation handling,
or a Pillow upgrade that changes pixels or bytes. Every stored image then reads as not current, and
``python3 tasks.py reprocess STACK --stale-only`` re-renders them (README, "Reprocessing").
tests/imaging/test_core_version.py fails, naming this constant, when the core's output for its reference
images changes while the version stays the same.
"""

from typing import Final

IMAGE_CORE_VERSION: Final = 1
