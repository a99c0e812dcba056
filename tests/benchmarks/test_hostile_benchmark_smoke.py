"""The hostile-file benchmark still measures both sides and prints one row per attack (no time is asserted)."""

from benchmarks import hostile
from handlers.imaging.structure.limits import MAX_JPEG_SCANS, MAX_PARTS


def test_attack_is_measured_on_pillow_alone_and_on_the_core() -> None:
    # GIVEN the PNG empty-chunk attack, just over the parts limit
    [attack] = [a for a in hostile.ATTACKS if a.name == "PNG, {n} empty chunks"]
    # WHEN measured THEN both CPU times are there and the core's outcome is its rejection
    cost = hostile.measure(attack, MAX_PARTS + 1)
    assert cost.pillow_seconds > 0 and cost.core_seconds >= 0
    assert cost.outcome == f"decompression_bomb: PNG has more than {MAX_PARTS} chunks"
    assert hostile.format_cost(cost).startswith(f"  PNG, {MAX_PARTS + 1:,} empty chunks ")


def test_worst_accepted_jpeg_is_made_into_renditions() -> None:
    cost = hostile.worst_accepted_jpeg(64)
    assert (cost.attack, cost.outcome) == (f"JPEG 64x64, {MAX_JPEG_SCANS} scans (accepted)", "renditions made")
