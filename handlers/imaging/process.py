"""``process_image``: the bytes of one upload in, its renditions out.

One decode per image: the header is checked, a JPEG is decoded at the smallest scale that still
covers the largest rendition, and every smaller rendition is resized from the previous, larger
one. Each image is dropped as soon as the next smaller one exists, so the peak memory is the
reduced decode plus the largest rendition.
"""

from collections.abc import Sequence

from PIL import Image, JpegImagePlugin

from handlers.imaging.color import to_srgb
from handlers.imaging.decode import decoding, open_image
from handlers.imaging.encode import encode
from handlers.imaging.orientation import make_upright, read_orientation, stored_size, upright_size
from handlers.imaging.renditions import OutputFormat, RenditionSpec
from handlers.imaging.resize import Size, cascade, fit_within, request_draft, resize_to
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
    image = open_image(data, limits)
    format_name = _FORMAT_NAMES.get(image.format or "", image.format or "")
    with decoding(format_name):
        if not isinstance(image, JpegImagePlugin.JpegImageFile):
            # Only JPEG decodes at reduced scale; PNG reads its EXIF from after the pixel data,
            # so load now to keep a decode error from passing as an unreadable EXIF block.
            image.load()
        orientation = read_orientation(image)
        upright = upright_size(image.size, orientation)
        largest = max((fit_within(upright, (spec.width, spec.height)) for spec in specs), default=None)
        if largest is not None:
            request_draft(image, stored_size(largest, orientation))
        pixels = to_srgb(image)
    source = SourceInfo(format_name, upright[0], upright[1], pixels.mode == "RGBA", len(data))
    if largest is None:
        return source, None
    # Resize before turning upright: the transpose then moves the fewest pixels.
    return source, make_upright(resize_to(pixels, stored_size(largest, orientation)), orientation)
