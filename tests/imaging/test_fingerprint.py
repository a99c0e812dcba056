"""The rendering fingerprint: the same for the same renditions, anywhere; different for anything made differently."""

import subprocess
import sys

import pytest

from handlers.imaging.core_version import IMAGE_CORE_VERSION
from handlers.imaging.fingerprint import FINGERPRINT_LENGTH, rendering_fingerprint
from handlers.imaging.renditions import DEFAULT_RENDITIONS, OutputFormat, RenditionSpec

JPEG, WEBP, PNG = OutputFormat.JPEG, OutputFormat.WEBP, OutputFormat.PNG
THUMB = RenditionSpec("thumbnail", 150, 150, (JPEG, WEBP), (PNG,))
PREVIEW = RenditionSpec("preview", 800, 600, (JPEG, WEBP), (PNG,))
# The defaults' fingerprint with core version 1: the value items written by the pipeline carry.
DEFAULTS_V1 = "e0c9c8a0e4bc6041"


def test_the_defaults_have_the_fingerprint_items_already_carry() -> None:
    assert IMAGE_CORE_VERSION == 1
    assert rendering_fingerprint(DEFAULT_RENDITIONS) == DEFAULTS_V1
    assert len(DEFAULTS_V1) == FINGERPRINT_LENGTH


def test_another_process_computes_the_same_fingerprint() -> None:
    # Python salts hash() per process; the fingerprint must not depend on it.
    code = (
        "from handlers.imaging.fingerprint import rendering_fingerprint as f\n"
        "from handlers.imaging.renditions import DEFAULT_RENDITIONS as d\n"
        "print(f(d))"
    )
    printed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "12345"}
    ).stdout.strip()
    assert printed == DEFAULTS_V1


def test_order_of_specs_and_formats_does_not_matter() -> None:
    reordered = (
        RenditionSpec("preview", 800, 600, (WEBP, JPEG), (PNG,)),
        RenditionSpec("thumbnail", 150, 150, (WEBP, JPEG), (PNG,)),
    )
    assert rendering_fingerprint(reordered) == rendering_fingerprint((THUMB, PREVIEW))


def test_expiry_is_not_part_of_what_is_made() -> None:
    kept_90_days = RenditionSpec("thumbnail", 150, 150, (JPEG, WEBP), (PNG,), expiration_days=90)
    assert rendering_fingerprint((kept_90_days, PREVIEW)) == rendering_fingerprint((THUMB, PREVIEW))


def test_an_alpha_format_the_formats_already_make_changes_nothing() -> None:
    # PNG for transparent sources adds nothing to a rendition that is always PNG
    assert rendering_fingerprint((RenditionSpec("s", 64, 64, (PNG,), (PNG,)),)) == rendering_fingerprint(
        (RenditionSpec("s", 64, 64, (PNG,), ()),)
    )


@pytest.mark.parametrize(
    "changed",
    [
        pytest.param((THUMB,), id="a rendition dropped"),
        pytest.param((THUMB, PREVIEW, RenditionSpec("avatar", 64, 64, (WEBP,))), id="a rendition added"),
        pytest.param((RenditionSpec("thumbnail", 160, 150, (JPEG, WEBP), (PNG,)), PREVIEW), id="a width"),
        pytest.param((RenditionSpec("thumbnail", 150, 150, (JPEG,), (PNG,)), PREVIEW), id="a format dropped"),
        pytest.param((RenditionSpec("thumbnail", 150, 150, (JPEG, WEBP)), PREVIEW), id="no PNG for alpha"),
        pytest.param((RenditionSpec("thumb", 150, 150, (JPEG, WEBP), (PNG,)), PREVIEW), id="a name (its keys)"),
    ],
)
def test_anything_made_differently_changes_the_fingerprint(changed: tuple[RenditionSpec, ...]) -> None:
    assert rendering_fingerprint(changed) != rendering_fingerprint((THUMB, PREVIEW))


def test_a_new_image_core_version_changes_the_fingerprint() -> None:
    specs = (THUMB, PREVIEW)
    assert rendering_fingerprint(specs, IMAGE_CORE_VERSION + 1) != rendering_fingerprint(specs)
