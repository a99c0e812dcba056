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

_TAG_COUNT_AT: Final = 128  # after the fixed-size header
_TAG_ENTRY_LENGTH: Final = 12  # signature, offset, size
_FLOAT_LUT_TAGS: Final = frozenset({b"D2B0", b"D2B1", b"D2B2", b"D2B3", b"B2D0", b"B2D1", b"B2D2", b"B2D3"})


def without_float_luts(profile: bytes) -> bytes:
    """``profile`` with every D2Bx/B2Dx tag renamed to a signature no reader knows (its
    lower-case spelling); the bytes are otherwise unchanged, so every offset stays valid."""
    count = int.from_bytes(profile[_TAG_COUNT_AT : _TAG_COUNT_AT + 4], "big")
    table = _TAG_COUNT_AT + 4
    entries = min(count, (len(profile) - table) // _TAG_ENTRY_LENGTH)
    hidden = bytearray(profile)
    for at in range(table, table + entries * _TAG_ENTRY_LENGTH, _TAG_ENTRY_LENGTH):
        signature = profile[at : at + 4]
        if signature in _FLOAT_LUT_TAGS:
            hidden[at : at + 4] = signature.lower()
    return bytes(hidden)
