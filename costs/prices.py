"""Unit prices: one JSON file of list prices (costs/prices.json), each with its source and the day it was read.

The shipped file is the one source of the defaults; ``--prices FILE`` takes another file of the same
shape (a copy with another region's figures). A file must name its region and give every price the
model uses, each a non-negative number: a wrong file is refused with a message that names the file,
the entry and what was wrong, never half-read.
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Final

DEFAULT_PRICES_FILE: Final = Path(__file__).resolve().parent / "prices.json"


class PriceFileError(ValueError):
    """The price file cannot be used as it is: fix the entry the message names, or use the shipped file."""


@dataclass(frozen=True)
class PriceSource:
    """Where one figure comes from."""

    url: str
    seen: str  # the day the figure was read, YYYY-MM-DD
    note: str = ""
    assumption: bool = False  # True: not found in any source read; the note says why the figure is used


@dataclass(frozen=True)
class Prices:
    """USD list prices, each per the unit its name says (GB = 2**30 bytes)."""

    region: str
    lambda_gb_second_arm64: float
    lambda_gb_second_x86_64: float
    lambda_requests_per_million: float
    s3_put_per_thousand: float
    s3_get_per_thousand: float
    s3_storage_gb_month: float
    dynamodb_write_units_per_million: float
    dynamodb_read_units_per_million: float
    logs_ingestion_gb: float
    batch_operations_job: float
    batch_operations_objects_per_million: float
    kms_requests_per_ten_thousand: float
    sources: Mapping[str, PriceSource] = field(default_factory=dict, compare=False)

    def lambda_gb_second(self, architecture: str) -> float:
        if architecture == "arm64":
            return self.lambda_gb_second_arm64
        if architecture == "x86_64":
            return self.lambda_gb_second_x86_64
        raise ValueError(f"no Lambda price for architecture {architecture!r}: arm64 or x86_64")

    @property
    def assumptions(self) -> tuple[str, ...]:
        """The prices no source confirmed, by name."""
        return tuple(name for name, source in self.sources.items() if source.assumption)


PRICE_NAMES: Final = tuple(f.name for f in fields(Prices) if f.name not in ("region", "sources"))


def load_prices(path: Path = DEFAULT_PRICES_FILE) -> Prices:
    """Read and check a price file; PriceFileError names the first thing wrong with it."""
    try:
        document: object = json.loads(path.read_text())
    except OSError as exc:
        raise PriceFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise PriceFileError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(document, dict):
        raise PriceFileError(f"{path}: must be a JSON object with 'region' and 'prices'")
    region = document.get("region")
    if not isinstance(region, str) or not region:
        raise PriceFileError(f"{path}: 'region' must name the AWS region the prices are for, e.g. \"eu-west-1\"")
    currency = document.get("currency", "USD")
    if currency != "USD":
        raise PriceFileError(f"{path}: 'currency' must be \"USD\" (the model adds dollars), got {currency!r}")
    entries = document.get("prices")
    if not isinstance(entries, dict):
        raise PriceFileError(f"{path}: 'prices' must be an object of price entries")
    unknown = sorted(set(entries) - set(PRICE_NAMES))
    if unknown:
        raise PriceFileError(f"{path}: unknown price {unknown[0]!r}; known prices: {', '.join(PRICE_NAMES)}")
    missing = [name for name in PRICE_NAMES if name not in entries]
    if missing:
        raise PriceFileError(f"{path}: missing price(s) {', '.join(missing)}: a file gives every price")
    values: dict[str, float] = {}
    sources: dict[str, PriceSource] = {}
    for name in PRICE_NAMES:
        values[name], sources[name] = _entry(path, name, entries[name])
    return Prices(region=region, sources=sources, **values)


def _entry(path: Path, name: str, entry: object) -> tuple[float, PriceSource]:
    where = f"{path}: prices.{name}"
    if not isinstance(entry, dict):
        raise PriceFileError(f"{where} must be an object with 'usd' and 'source'")
    usd = entry.get("usd")
    if isinstance(usd, bool) or not isinstance(usd, int | float) or not math.isfinite(usd) or usd < 0:
        raise PriceFileError(f"{where}.usd must be a number of dollars, 0 or more, got {usd!r}")
    url, seen, note = entry.get("source"), entry.get("seen", ""), entry.get("note", "")
    if not isinstance(url, str) or not url:
        raise PriceFileError(f"{where}.source must say where the figure comes from (a URL)")
    if not isinstance(seen, str) or not isinstance(note, str):
        raise PriceFileError(f"{where}: 'seen' and 'note' must be text")
    assumption = entry.get("assumption", False)
    if not isinstance(assumption, bool):
        raise PriceFileError(f"{where}.assumption must be true or false, got {assumption!r}")
    return float(usd), PriceSource(url=url, seen=seen, note=note, assumption=assumption)
