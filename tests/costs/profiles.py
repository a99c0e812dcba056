"""Small stack profiles whose every figure is easy to check by hand."""

from dataclasses import replace

from costs.profile import StackProfile, Workload
from handlers.imaging.renditions import OutputFormat, RenditionSpec

ONE_JPEG_THUMB = RenditionSpec("thumb", 100, 100, formats=(OutputFormat.JPEG,), alpha_formats=(OutputFormat.PNG,))


def profile(**changes: object) -> StackProfile:
    """1024 MB arm64, one JPEG rendition (PNG besides for transparent sources), INFO logs, no KMS, 10 reserved."""
    base = StackProfile(
        stack="test",
        region="test-region-1",
        memory_mb=1024,
        architecture="arm64",
        renditions=(ONE_JPEG_THUMB,),
        log_level="INFO",
        kms=False,
        reserved_concurrency=10,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# One second billed per rendering image: 1 GB-s at 1024 MB.
ONE_SECOND = Workload(duration_ms=1000)
