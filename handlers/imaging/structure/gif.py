"""GIF: the blocks before the first image, the part of the file Pillow reads in Python.

Only the first frame is decoded, by Pillow's C decoder, so later frames cost nothing here.
"""

from typing import Final

from handlers.imaging.structure.limits import MAX_PARTS, too_complex

_SCREEN_DESCRIPTOR_END: Final = 13  # signature (6) and logical screen descriptor (7)
_SCREEN_FLAGS_AT: Final = 10
_GLOBAL_COLOUR_TABLE: Final = 0x80
_COLOUR_TABLE_BITS: Final = 0x07
_EXTENSION: Final = 0x21
_IMAGE: Final = 0x2C
_TRAILER: Final = 0x3B
_INTRODUCER_AND_LABEL: Final = 2


def census(data: bytes) -> int:
    """Extension sub-blocks and stray bytes before the first image; stops once past MAX_PARTS."""
    if len(data) < _SCREEN_DESCRIPTOR_END:
        return 0
    at, end, parts = _SCREEN_DESCRIPTOR_END, len(data), 0
    flags = data[_SCREEN_FLAGS_AT]
    if flags & _GLOBAL_COLOUR_TABLE:
        at += 3 << ((flags & _COLOUR_TABLE_BITS) + 1)
    while at < end and parts <= MAX_PARTS:
        introducer = data[at]
        if introducer in (_IMAGE, _TRAILER):
            break
        if introducer != _EXTENSION:  # a stray byte: Pillow's parser steps over it alone
            parts += 1
            at += 1
            continue
        at += _INTRODUCER_AND_LABEL
        while at < end and parts <= MAX_PARTS:  # data sub-blocks, up to a zero-length one
            size = data[at]
            parts += 1
            at += 1 + size
            if size == 0:
                break
    return parts


def check(data: bytes) -> None:
    if census(data) > MAX_PARTS:
        raise too_complex(f"GIF has more than {MAX_PARTS} blocks and stray bytes before its first image")
