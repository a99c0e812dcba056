"""The demo's samples are the files a person would upload, stored the way cameras and phones store them."""

import io

from PIL import ExifTags, Image, ImageChops, ImageOps, ImageStat

from localrun.samples import lighthouse_photo, samples
from tests.localrun.scene import is_grass, is_sky, read_scene


def test_phone_portrait_is_stored_sideways_with_exif_that_turns_it_upright() -> None:
    # GIVEN the phone sample as it is uploaded
    (sample,) = [s for s in samples() if s.file_name == "phone-portrait.jpg"]
    with Image.open(io.BytesIO(sample.data)) as stored:
        # THEN its pixels lie sideways, as the sensor read them: wider than tall, the sky along the left edge
        assert stored.size == (1200, 800)
        assert stored.getexif()[ExifTags.Base.Orientation] == 6
        left_edge = ImageStat.Stat(stored.crop((0, 0, 120, 800))).mean
        assert is_sky((left_edge[0], left_edge[1], left_edge[2]))
        # WHEN a viewer applies the EXIF orientation
        upright = ImageOps.exif_transpose(stored)
    # THEN it is the upright portrait scene: taller than wide, sky at the top, grass at the bottom, tower on the left
    assert upright.size == (800, 1200)
    scene = read_scene(upright)
    assert is_sky(scene.top) and is_grass(scene.bottom)
    assert scene.red_left > 1000 and scene.red_right == 0
    # AND it matches the drawn scene but for JPEG loss and the sensor noise, which differs on every draw
    difference = ImageStat.Stat(ImageChops.difference(upright.convert("RGB"), lighthouse_photo())).mean
    assert max(difference) < 6
