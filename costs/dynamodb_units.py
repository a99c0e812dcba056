"""How DynamoDB sizes an item and turns a request into read and write request units.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html (item
size: names and values in UTF-8 bytes; a number takes 1 byte per two significant digits plus 1; a
boolean or null 1 byte; a list or map 3 bytes plus 1 byte per element) and on-demand-capacity-mode.html
(one write unit per 1 KB written; one read unit per strongly consistent read of up to 4 KB, half for an
eventually consistent one; a read of an item that does not exist still costs the minimum). A put that
replaces an item is charged for the larger of the old and new item. A global secondary index with
projection ALL is written too, by the same rule, whenever the item carries the index's key (the
pipeline's user index: every item of an upload under ``uploads/{user_id}/``).
"""

import math
from collections.abc import Mapping
from typing import Any, Final

WRITE_UNIT_BYTES: Final = 1024
READ_UNIT_BYTES: Final = 4096
_CONTAINER_OVERHEAD: Final = 3
_ELEMENT_OVERHEAD: Final = 1


def item_size_bytes(item: Mapping[str, Mapping[str, Any]]) -> int:
    """The size DynamoDB charges for an item given as low-level attribute values ({"S": ...})."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: Mapping[str, Any]) -> int:
    ((kind, payload),) = value.items()
    if kind == "S":
        return len(str(payload).encode())
    if kind == "N":
        return _number_size(str(payload))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "L":
        return _CONTAINER_OVERHEAD + sum(_ELEMENT_OVERHEAD + _value_size(v) for v in payload)
    if kind == "M":
        return _CONTAINER_OVERHEAD + sum(
            _ELEMENT_OVERHEAD + len(k.encode()) + _value_size(v) for k, v in payload.items()
        )
    raise ValueError(f"no size rule here for DynamoDB type {kind}")


def _number_size(text: str) -> int:
    digits = text.lstrip("-+").replace(".", "").strip("0") or "0"
    return math.ceil(len(digits) / 2) + 1


def write_units(item_bytes: int) -> int:
    return max(1, math.ceil(item_bytes / WRITE_UNIT_BYTES))


def read_units(item_bytes: int, consistent: bool) -> float:
    units = max(1, math.ceil(item_bytes / READ_UNIT_BYTES))
    return float(units) if consistent else units / 2
