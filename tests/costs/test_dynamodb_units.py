"""DynamoDB's item size and request units, on items sized by hand from AWS's rules."""

import pytest

from costs.dynamodb_units import item_size_bytes, read_units, write_units


@pytest.mark.parametrize(
    ("item", "size"),
    [
        ({"id": {"S": "abc"}}, 2 + 3),  # name + UTF-8 value
        ({"n": {"N": "12345"}}, 1 + 3 + 1),  # 5 significant digits: 3 bytes, plus 1
        ({"n": {"N": "-1200.00"}}, 1 + 1 + 1),  # sign and trailing zeros do not count: "12"
        ({"é": {"S": "ü"}}, 2 + 2),  # UTF-8 bytes, not characters
        ({"b": {"BOOL": True}, "z": {"NULL": True}}, 2 + 2),
        ({"l": {"L": [{"S": "a"}, {"S": "bc"}]}}, 1 + 3 + (1 + 1) + (1 + 2)),  # 3 + 1 per element
        ({"m": {"M": {"k": {"N": "100"}}}}, 1 + 3 + (1 + 1 + 2)),  # a map element's name counts
    ],
)
def test_item_size_follows_dynamodbs_rules(item: dict[str, dict[str, object]], size: int) -> None:
    assert item_size_bytes(item) == size


def test_a_write_unit_is_1_kb_and_never_less_than_one() -> None:
    assert [write_units(b) for b in (0, 1024, 1025, 2609)] == [1, 1, 2, 3]


def test_a_read_unit_is_4_kb_consistent_and_half_eventually_consistent() -> None:
    assert [read_units(b, consistent=True) for b in (0, 4096, 4097)] == [1.0, 1.0, 2.0]
    assert read_units(4096, consistent=False) == 0.5
