"""The one source of prices: the shipped file loads whole, and a wrong file is refused by name."""

from pathlib import Path
from typing import Any

import pytest

from costs.prices import DEFAULT_PRICES_FILE, PRICE_NAMES, PriceFileError, load_prices
from tests.costs.prices_files import shipped_document, write


def test_shipped_prices_give_every_price_with_a_source_and_the_day_it_was_read() -> None:
    # WHEN the shipped file is loaded
    prices = load_prices()
    # THEN it is for us-east-1, and every price has a URL and a date
    assert prices.region == "us-east-1"
    assert set(prices.sources) == set(PRICE_NAMES)
    for name, source in prices.sources.items():
        assert source.url.startswith("https://"), name
        assert source.seen == "2026-12-04", name
    # AND the figures the report is built on are the published ones
    assert (prices.lambda_gb_second_arm64, prices.lambda_gb_second_x86_64) == (0.0000133334, 0.0000166667)
    assert (prices.s3_put_per_thousand, prices.s3_get_per_thousand) == (0.005, 0.0004)
    assert (prices.dynamodb_write_units_per_million, prices.dynamodb_read_units_per_million) == (0.625, 0.125)
    assert prices.kms_requests_per_ten_thousand == 0.03


def test_the_one_unconfirmed_price_is_marked_as_an_assumption() -> None:
    assert load_prices().assumptions == ("batch_operations_objects_per_million",)


def test_a_copy_with_another_regions_figures_replaces_them(tmp_path: Path) -> None:
    # GIVEN a copy of the shipped file for eu-west-1 with another DynamoDB write price
    document = shipped_document()
    document["region"] = "eu-west-1"
    document["prices"]["dynamodb_write_units_per_million"]["usd"] = 0.7068
    # WHEN it is loaded
    prices = load_prices(write(tmp_path / "eu.json", document))
    # THEN that price and region are used, and nothing else changed
    assert prices.region == "eu-west-1"
    assert prices.dynamodb_write_units_per_million == 0.7068
    assert prices.s3_put_per_thousand == load_prices().s3_put_per_thousand


def _refusal(tmp_path: Path, document: object) -> str:
    path = write(tmp_path / "prices.json", document)
    with pytest.raises(PriceFileError) as caught:
        load_prices(path)
    return str(caught.value).removeprefix(f"{path}: ")


def _with(change: dict[str, Any] | None = None, **entry: object) -> dict[str, Any]:
    document = shipped_document()
    if change:
        document.update(change)
    for name, value in entry.items():
        document["prices"][name] = value
    return document


def test_a_missing_file_is_named() -> None:
    with pytest.raises(PriceFileError) as caught:
        load_prices(Path("/nonexistent/prices.json"))
    assert str(caught.value) == "/nonexistent/prices.json: cannot be read (No such file or directory)"


def test_a_file_that_is_not_json_says_where(tmp_path: Path) -> None:
    path = tmp_path / "prices.json"
    path.write_text('{"region": "eu-west-1",\n  "prices": {oops}}')
    with pytest.raises(PriceFileError) as caught:
        load_prices(path)
    assert str(caught.value) == f"{path}: not valid JSON (Expecting property name enclosed in double quotes at line 2)"


def test_a_file_without_a_region_is_refused(tmp_path: Path) -> None:
    document = shipped_document()
    del document["region"]
    assert _refusal(tmp_path, document) == ("'region' must name the AWS region the prices are for, e.g. \"eu-west-1\"")


def test_another_currency_is_refused(tmp_path: Path) -> None:
    assert _refusal(tmp_path, _with({"currency": "EUR"})) == (
        "'currency' must be \"USD\" (the model adds dollars), got 'EUR'"
    )


def test_an_unknown_price_is_named_with_the_known_ones(tmp_path: Path) -> None:
    document = _with(lambda_gb_seconds_arm64={"usd": 1, "source": "https://example.com"})
    assert _refusal(tmp_path, document) == (
        f"unknown price 'lambda_gb_seconds_arm64'; known prices: {', '.join(PRICE_NAMES)}"
    )


def test_a_missing_price_is_named(tmp_path: Path) -> None:
    document = shipped_document()
    del document["prices"]["kms_requests_per_ten_thousand"]
    assert _refusal(tmp_path, document) == "missing price(s) kms_requests_per_ten_thousand: a file gives every price"


@pytest.mark.parametrize("usd", [-0.01, "0.005", True, None, float("inf")])
def test_a_price_that_is_not_a_non_negative_number_is_refused(tmp_path: Path, usd: object) -> None:
    document = shipped_document()
    document["prices"]["s3_put_per_thousand"]["usd"] = usd
    assert _refusal(tmp_path, document) == (
        f"prices.s3_put_per_thousand.usd must be a number of dollars, 0 or more, got {usd!r}"
    )


def test_a_price_without_a_source_is_refused(tmp_path: Path) -> None:
    assert _refusal(tmp_path, _with(s3_get_per_thousand={"usd": 0.0004})) == (
        "prices.s3_get_per_thousand.source must say where the figure comes from (a URL)"
    )


def test_the_default_file_is_the_shipped_one() -> None:
    assert DEFAULT_PRICES_FILE.name == "prices.json"
    assert DEFAULT_PRICES_FILE.parent.name == "costs"
