"""No upload bytes, however mangled, make the handler crash or ask for a retry."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.contract import ImageStatus
from tests.handler import images
from tests.handler.deployment import Deployment

# Small valid files of each kind: mutations of them reach deep into the decoders.
SEEDS = (
    images.jpeg((64, 32)),
    images.exif_rotated_jpeg((64, 32)),
    images.png_with_alpha((40, 20)),
    images.png_16_bit((40, 20)),
    images.animated_gif((30, 15)),
)


def _overwrite(seed: bytes, at: float, patch: bytes) -> bytes:
    i = int(at * len(seed))
    return seed[:i] + patch + seed[i + len(patch) :]


def _truncate(seed: bytes, keep: float) -> bytes:
    return seed[: int(keep * len(seed))]


unit = st.floats(min_value=0, max_value=1)
upload_bytes = st.one_of(
    st.binary(max_size=256),
    st.builds(_overwrite, st.sampled_from(SEEDS), unit, st.binary(min_size=1, max_size=16)),
    st.builds(_truncate, st.sampled_from(SEEDS), unit),
)
_names = itertools.count()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=upload_bytes)
def test_any_bytes_end_completed_or_rejected(aws: Deployment, data: bytes) -> None:
    # GIVEN an upload of arbitrary bytes (a fresh key per example)
    upload = aws.upload(f"fuzz-{next(_names)}.jpg", data)
    # WHEN the handler runs
    aws.invoke(upload.event())
    # THEN it returned normally and the upload has a final status
    item = aws.item(upload.key)
    assert item is not None
    assert item["status"] in (ImageStatus.COMPLETED, ImageStatus.REJECTED)
