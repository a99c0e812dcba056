"""Renditions carry pixels only: no EXIF (GPS), XMP, ICC profile or comment from the upload."""

import pytest

from handlers.imaging import OutputFormat, RenditionSpec
from tests import imagefactories as f
from tests.imaging.outputs import decode, process

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
ALL_FORMATS = RenditionSpec("r", 100, 100, formats=(OutputFormat.JPEG, OutputFormat.WEBP, OutputFormat.PNG))
# What JPEG (APP1/APP2 segments), PNG (chunks) and WebP (chunks) hold metadata in.
METADATA_MARKERS = (
    b"Exif\x00\x00",
    b"http://ns.adobe.com/xap",
    b"ICC_PROFILE",
    b"iCCP",
    b"eXIf",
    b"tEXt",
    b"ICCP",
    b"XMP ",
)


def _jpeg_with_everything() -> bytes:
    return f.save(
        f.quadrants((64, 48)),
        "JPEG",
        quality=90,
        exif=f.exif_block(1, gps=True),
        xmp=XMP,
        icc_profile=f.icc_profile("RGB ", 2.2, "camera"),
        comment=b"shot at home",
    )


def _png_with_everything() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Comment", "shot at home")
    text.add_text("XML:com.adobe.xmp", XMP.decode())
    return f.png(
        f.half_transparent_rgba(),
        exif=f.exif_block(1, gps=True),
        icc_profile=f.icc_profile("RGB ", 2.2, "camera"),
        pnginfo=text,
    )


def _webp_with_everything() -> bytes:
    return f.save(
        f.quadrants((64, 48)),
        "WEBP",
        exif=f.exif_block(1, gps=True),
        xmp=XMP,
        icc_profile=f.icc_profile("RGB ", 2.2, "camera"),
    )


SOURCES = {"jpeg": _jpeg_with_everything, "png": _png_with_everything, "webp": _webp_with_everything}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_no_metadata_reaches_any_rendition(source: str) -> None:
    # GIVEN an upload carrying EXIF with GPS, XMP, an ICC profile and a comment
    data = SOURCES[source]()
    assert any(chunk in data for chunk in (b"Exif", b"eXIf", b"EXIF"))
    # WHEN rendered as JPEG, WebP and PNG
    result = process(data, ALL_FORMATS)
    # THEN no rendition holds any of it, neither as Pillow reads it nor anywhere in its bytes
    assert {r.format for r in result.renditions} == set(OutputFormat)
    for rendition in result.renditions:
        image = decode(rendition)
        assert not {"exif", "icc_profile", "xmp", "comment", "Comment", "XML:com.adobe.xmp"} & set(image.info)
        assert not image.getexif()
        assert not [marker for marker in METADATA_MARKERS if marker in rendition.data], rendition.format
