"""Whatever the bytes, process_image returns renditions or raises Rejected: nothing else escapes."""

import io
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from handlers.imaging import Limits, ProcessedImage, Rejected, RenditionSpec, process_image
from handlers.imaging.renditions import OutputFormat
from tests import imagefactories as f
from tests.imaging.outputs import OBJECT_ADDRESS

SPECS = (
    RenditionSpec("small", 24, 24),
    RenditionSpec("tiny", 8, 8, formats=(OutputFormat.WEBP, OutputFormat.PNG)),
)
# A mutated header may claim any size up to the cap; a small cap keeps every example fast.
LIMITS = Limits(max_bytes=1 << 20, max_pixels=250_000)
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _seeds() -> list[bytes]:
    quadrants = f.quadrants((48, 32))
    return [
        f.save(quadrants, "JPEG", quality=80),
        f.save(quadrants, "JPEG", quality=80, progressive=True, exif=f.exif_block(6, gps=True)),
        f.save(quadrants.convert("CMYK"), "JPEG"),
        f.save(quadrants, "JPEG", icc_profile=f.icc_profile("RGB ", 1.0, "lin")),
        f.png(f.half_transparent_rgba((48, 32)), icc_profile=f.icc_profile("RGB ", 1.0, "lin")),
        f.png(f.palette_with_transparency((48, 32))),
        f.png(f.grey16_gradient(48, 8)),
        f.png(f.halves("I;16", 1000, 38550, (48, 32)), transparency=1000),
        f.png(f.halves("1", 1, 0, (48, 32)), transparency=1),
        f.png(quadrants, exif=f.exif_block(3)),
        f.png(f.half_transparent_rgba((48, 32)).convert("LA")),
        f.png(quadrants.convert("1")),
        f.animated("PNG", [f.RED, f.GREEN]),
        f.save(quadrants, "WEBP"),
        f.save(f.half_transparent_rgba((48, 32)), "WEBP", lossless=True),
        f.animated("WEBP", [f.RED, f.GREEN]),
        f.animated("GIF", [f.RED, f.GREEN, f.BLUE]),
        f.save(f.palette_with_transparency((48, 32)), "GIF"),
    ]


SEEDS = _seeds()

Mutation = Callable[[bytes], bytes]


@st.composite
def mutation(draw: st.DrawFn) -> Mutation:
    """One edit at a random place: overwrite, insert, delete, truncate or repeat a span."""
    kind = draw(st.sampled_from(["overwrite", "insert", "delete", "truncate", "repeat"]))
    where = draw(st.floats(min_value=0.0, max_value=1.0))
    junk = draw(st.binary(min_size=1, max_size=8))
    span = draw(st.integers(min_value=1, max_value=64))

    def apply(data: bytes) -> bytes:
        at = int(where * len(data))
        if kind == "overwrite":
            return data[:at] + junk + data[at + len(junk) :]
        if kind == "insert":
            return data[:at] + junk + data[at:]
        if kind == "delete":
            return data[:at] + data[at + span :]
        if kind == "truncate":
            return data[:at]
        return data[:at] + data[at : at + span] * 2 + data[at + span :]

    return apply


def _renditions_or_rejected(data: bytes) -> ProcessedImage | Rejected:
    try:
        result = process_image(data, SPECS, LIMITS)
    except Rejected as rejected:
        assert not OBJECT_ADDRESS.search(rejected.detail), rejected.detail  # same bytes, same detail
        return rejected
    for rendition in result.renditions:
        box = next(spec for spec in SPECS if spec.name == rendition.name)
        assert 1 <= rendition.width <= box.width and 1 <= rendition.height <= box.height
        assert rendition.data
    return result


@PROPERTY
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_give_renditions_or_rejected(data: bytes) -> None:
    _renditions_or_rejected(data)


@PROPERTY
@given(
    st.sampled_from([b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"RIFF\x00\x10\x00\x00WEBPVP8 "]), st.binary()
)
def test_bytes_after_a_valid_signature_give_renditions_or_rejected(magic: bytes, tail: bytes) -> None:
    _renditions_or_rejected(magic + tail)


@PROPERTY
@given(st.sampled_from(SEEDS), st.lists(mutation(), min_size=1, max_size=4))
def test_mutated_valid_images_give_renditions_or_rejected(seed: bytes, mutations: list[Mutation]) -> None:
    data = seed
    for mutate in mutations:
        data = mutate(data)
    _renditions_or_rejected(data)


def test_every_seed_is_a_valid_image() -> None:
    # The mutation test is only as good as its seeds: each must process cleanly as is.
    for seed in SEEDS:
        assert isinstance(_renditions_or_rejected(seed), ProcessedImage), Image.open(io.BytesIO(seed)).format
