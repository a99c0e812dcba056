"""Hand-checkable prices for the model's tests, and price files written for the loader's."""

import json
from pathlib import Path
from typing import Any

from costs.prices import DEFAULT_PRICES_FILE, Prices


def round_prices(**changes: float) -> Prices:
    """Prices chosen so every line is easy to check by hand (each $1 per its unit unless changed)."""
    values: dict[str, Any] = {
        "region": "test-region-1",
        "lambda_gb_second_arm64": 1.0,
        "lambda_gb_second_x86_64": 2.0,
        "lambda_requests_per_million": 1.0,
        "s3_put_per_thousand": 1.0,
        "s3_get_per_thousand": 1.0,
        "s3_storage_gb_month": 1.0,
        "dynamodb_write_units_per_million": 1.0,
        "dynamodb_read_units_per_million": 1.0,
        "logs_ingestion_gb": 1.0,
        "batch_operations_job": 1.0,
        "batch_operations_objects_per_million": 1.0,
        "kms_requests_per_ten_thousand": 1.0,
    }
    values.update(changes)
    return Prices(**values)


def shipped_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DEFAULT_PRICES_FILE.read_text())
    return document


def write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document))
    return path
