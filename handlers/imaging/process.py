"""``process_image``: the bytes of one upload in, its renditions out.

One decode per image: the header is checked, a JPEG is decoded at the smallest scale that still
covers the largest rendition, the largest rendition is made from the decoded pixels strip by
strip (``downscale``), and every smaller rendition is resized from the previous, larger one. Each
image is dropped as soon as the next smaller one exists, so the peak memory is the decode plus a
reduced copy of it plus the largest rendition (``memory`` holds the measured figure).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, JpegImagePlugin

from handlers.imaging.color import has_transparency
from handlers.imaging.decode import decoding, open_image, without_decoder
from handlers.imaging.downscale import srgb_at_size
from handlers.imaging.encode import encode
from handlers.imaging.orientation import make_upright, read_orientation, stored_size, upright_size
from handlers.imaging.renditions import OutputFormat, RenditionSpec
from handlers.imaging.resize import Size, cascade, fit_within, request_draft
from handlers.imaging.types import Limits, ProcessedImage, Rendition, SourceInfo

# MPO (multi-picture JPEG from some cameras) is a JPEG whose first picture is the photo.
_FORMAT_NAMES = {"MPO": "JPEG"}


def process_image(data: bytes, specs: Sequence[RenditionSpec], limits: Limits) -> ProcessedImage:
    """Decode ``data`` once and make every rendition in ``specs``.

    Raises ``Rejected`` for any input that cannot become renditions, and nothing else for any
    input bytes.
    """
    source, top = _decode_largest(data, specs, limits)
    sizes = {spec.name: fit_within((source.width, source.height), (spec.width, spec.height)) for spec in specs}
    formats = {spec.name: spec.formats_for(source.has_alpha) for spec in specs}
    # Specs whose boxes fit the image to the same size share one resize and one encode.
    wanted: dict[Size, set[OutputFormat]] = {}
    for spec in specs:
        wanted.setdefault(sizes[spec.name], set()).update(formats[spec.name])
    encoded: dict[tuple[Size, OutputFormat], bytes] = {}
    if top is not None:
        for size, image in cascade(top, sorted(wanted, reverse=True)):
            for fmt in wanted[size]:
                encoded[size, fmt] = encode(image, fmt)
    renditions = tuple(
        Rendition(spec.name, fmt, *sizes[spec.name], encoded[sizes[spec.name], fmt])
        for spec in specs
        for fmt in formats[spec.name]
    )
    return ProcessedImage(source, renditions)


def _decode_largest(
    data: bytes, specs: Sequence[RenditionSpec], limits: Limits
) -> tuple[SourceInfo, Image.Image | None]:
    """What the source is, and its largest rendition upright (None when there are no specs).

    The decoded pixels live only in this frame: they are freed on return.
    """
    decoded = _decode(data, specs, limits)
    with decoding(decoded.format):
        alpha = has_transparency(decoded.pixels)
        # Resized before turning upright: the transpose then moves the fewest pixels.
        target = None if decoded.largest is None else stored_size(decoded.largest, decoded.orientation)
        top = None if target is None else srgb_at_size(decoded.pixels, target, alpha)
    width, height = upright_size(decoded.stored_size, decoded.orientation)
    source = SourceInfo(decoded.format, width, height, alpha, len(data))
    return source, None if top is None else make_upright(top, decoded.orientation)


@dataclass(frozen=True)
class _Decoded:
    format: str
    stored_size: Size  # as the header says, before any reduced-scale decode
    orientation: int
    largest: Size | None  # the largest rendition, upright
    pixels: Image.Image  # decoded, at reduced scale if the format allows


def _decode(data: bytes, specs: Sequence[RenditionSpec], limits: Limits) -> _Decoded:
    """Decode ``data`` at the smallest scale that still covers the largest rendition.

    The image file object, and whatever its decoder holds, is dropped on return.
    """
    image = open_image(data, limits)
    format_name = _FORMAT_NAMES.get(image.format or "", image.format or "")
    with decoding(format_name):
        if not isinstance(image, JpegImagePlugin.JpegImageFile):
            # Only JPEG decodes at reduced scale; PNG reads its EXIF from after the pixel data,
            # so load now to keep a decode error from passing as an unreadable EXIF block.
            image.load()
        orientation = read_orientation(image)
        stored = image.size
        upright = upright_size(stored, orientation)
        largest = max((fit_within(upright, (spec.width, spec.height)) for spec in specs), default=None)
        if largest is not None:
            request_draft(image, stored_size(largest, orientation))
        image.load()
        return _Decoded(format_name, stored, orientation, largest, without_decoder(image))
