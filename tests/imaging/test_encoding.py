"""How renditions are encoded, where the choice shows in the file a client downloads."""

from handlers.imaging import OutputFormat
from tests import imagefactories as f
from tests.imaging.outputs import only, process

# zlib's header records how hard the compressor worked (RFC 1950 FLEVEL): 0 is "fastest"
# (levels 0-1), 2 is Pillow's default level 6.
FASTEST = 0
STORED = 0  # a deflate block type: the bytes copied uncompressed (level 0)


def test_png_rendition_is_deflated_at_the_fastest_level_but_still_compressed() -> None:
    # GIVEN a PNG with alpha, which gets a PNG rendition
    result = process(f.png(f.half_transparent_rgba()))
    # WHEN the rendition's image data is read
    [idat, *_] = [body for kind, body in f.png_chunks(only(result, OutputFormat.PNG).data) if kind == b"IDAT"]
    # THEN it was deflated at the fastest level (see PNG_COMPRESS_LEVEL for the measurements),
    # in compressed blocks, not stored ones
    flevel, first_block_type = idat[1] >> 6, (idat[2] >> 1) & 0b11
    assert flevel == FASTEST
    assert first_block_type != STORED
