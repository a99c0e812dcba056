"""ICC profiles as LittleCMS should see them: without the float LUTs whose cost has no bound.

A v4 profile may carry D2Bx/B2Dx tags (type ``mpet``): a chain of any number of processing
elements, and LittleCMS uses D2Bx ahead of every other LUT (mm2/Little-CMS src/cmsio1.c,
``_cmsReadInputLUT``: "Float tag takes precedence"; src/cmstypes.c ``Type_MPE_Read`` takes the
element count as it comes). Building a transform evaluates the whole chain at every point of its
optimisation grid: 1,000 elements in a 100 KB profile took 0.74 s, and a JPEG may carry 16 MB of
profile. Hidden, those tags leave LittleCMS the A2Bx LUT or the matrix and curves the profile
also has, whose cost is bounded by the profile's size; a profile with nothing else is unusable,
and unusable profiles are ignored.
"""

from typing import Final

# The largest profile a JPEG can carry: 255 APP2 segments of at most 65,519 profile bytes each
# (ICC.1:2022 Annex B.4: a segment holds 65,533 bytes after its length, 14 of them the
# "ICC_PROFILE" identifier and sequence numbers). A PNG's is at most 1 MiB once inflated (Pillow's
# MAX_TEXT_CHUNK). A WebP's ICCP chunk could be most of a 50 MB upload: a profile larger than any
# JPEG can hold is no profile an editor wrote, and each use copies it twice more.
MAX_ICC_PROFILE_BYTES: Final = 255 * 65_519

_TAG_COUNT_AT: Final = 128  # after the fixed-size header
_TAG_ENTRY_LENGTH: Final = 12  # signature, offset, size
_FLOAT_LUT_TAGS: Final = frozenset({b"D2B0", b"D2B1", b"D2B2", b"D2B3", b"B2D0", b"B2D1", b"B2D2", b"B2D3"})


def without_float_luts(profile: bytes) -> bytes:
    """``profile`` with every D2Bx/B2Dx tag renamed to a signature no reader knows (its
    lower-case spelling); the bytes are otherwise unchanged, so every offset stays valid.
    A profile without such tags is returned as it is (a profile may be most of a 50 MB upload)."""
    count = int.from_bytes(profile[_TAG_COUNT_AT : _TAG_COUNT_AT + 4], "big")
    table = _TAG_COUNT_AT + 4
    entries = min(count, (len(profile) - table) // _TAG_ENTRY_LENGTH)
    float_luts = [
        at
        for at in range(table, table + entries * _TAG_ENTRY_LENGTH, _TAG_ENTRY_LENGTH)
        if profile[at : at + 4] in _FLOAT_LUT_TAGS
    ]
    if not float_luts:
        return profile
    hidden = bytearray(profile)
    for at in float_luts:
        hidden[at : at + 4] = profile[at : at + 4].lower()
    return bytes(hidden)
