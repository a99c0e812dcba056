"""The printed report: its table's shape, the dominant line, the README section and the command."""

import pytest

from costs import model
from costs.cli import main
from costs.prices import load_prices
from costs.profile import stack_profile
from costs.table import MILLION, render, report, variants
from offline.cost_section import README, render_cost_section


def table_rows(text: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("| ") and not line.startswith("| ---")
    ]


def test_the_table_has_one_row_per_line_then_the_totals_and_names_the_dominant_line() -> None:
    # GIVEN prod's report with the shipped prices
    r = report(stack_profile("prod"), load_prices())
    text = render(r)
    rows = table_rows(text)
    # THEN a header, the nine lines in the model's order, a total row
    assert rows[0] == ["line", "per upload", "per 1M uploads", "per reprocessed image", "per 1M reprocessed"]
    assert [row[0] for row in rows[1:10]] == list(model.LINES)
    assert rows[10][0] == "**total**"
    assert rows[10][2] == f"**${r.uploads.total_usd:,.2f}**"
    # AND each line's dollars are the model's
    for row, line in zip(rows[1:10], r.uploads.lines, strict=True):
        assert row[2] == (f"${line.usd:,.2f}" if line.usd >= 0.01 or line.usd == 0 else f"${line.usd:,.4f}")
    # AND the dominant line is named with its share of the total
    top = r.uploads.dominant
    assert f"Dominant line: **{top.name}**, {top.usd / r.uploads.total_usd:.0%} of uploads" in text


def test_prod_pays_kms_and_dev_does_not() -> None:
    prices = load_prices()
    dev, prod = (model.upload_estimate(stack_profile(s), MILLION, prices) for s in ("dev", "prod"))
    assert dev.line(model.KMS).usd == 0.0
    assert prod.line(model.KMS).usd > 0.0


def test_a_fourth_rendition_and_png_for_alpha_raise_the_price_and_a_quieter_log_level_lowers_it() -> None:
    fourth, png, quiet = variants(stack_profile("dev"), load_prices())
    # a fourth rendition in JPEG and WebP: 2 more PUTs of $0.005 per thousand = $10 per million, and more
    assert fourth.uploads_delta_usd > 10.0
    # PNG for alpha: 3 more PUTs per transparent upload = $15 per million, and more
    assert png.uploads_delta_usd > 15.0
    assert quiet.uploads_delta_usd < 0.0


def test_the_readme_shows_the_models_cost_section() -> None:
    assert render_cost_section() in README.read_text(), "run `python3 tasks.py snapshots`"


def test_the_command_prints_the_table_for_a_stack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dev"]) == 0
    out = capsys.readouterr().out
    assert "| **total** |" in out
    assert "Stack `dev` (eu-west-1)" in out


def test_the_command_refuses_a_wrong_price_file_with_its_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dev", "--prices", "/nonexistent/prices.json"]) == 2
    assert capsys.readouterr().err == "error: /nonexistent/prices.json: cannot be read (No such file or directory)\n"


def test_a_measured_duration_replaces_the_estimate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dev", "--duration-ms", "500"]) == 0
    assert "Billed duration per upload 500 ms: 500 ms measured." in capsys.readouterr().out
