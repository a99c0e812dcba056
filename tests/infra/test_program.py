"""__main__.py composes the components and exports what users need."""

import pytest

from offline.runtime import Evaluation, evaluate_program
from program.config import ConfigError, stack_file_values


def test_exports_name_buckets_upload_location_function_table_and_queue(dev: Evaluation) -> None:
    upload = dev.exports["upload_bucket"]
    assert dev.exports["upload_location"] == f"s3://{upload}/uploads/"
    assert dev.exports["processed_bucket"] != upload
    assert dev.exports["function_name"] == "imagepipe-dev-image-processor"
    assert dev.exports["function_arn"].endswith(":function:imagepipe-dev-image-processor")
    assert dev.exports["metadata_table"] == "imagepipe-dev-images"
    assert dev.exports["failure_queue_url"].endswith("/imagepipe-dev-image-processor-failures")


def test_a_bad_config_value_stops_the_program_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"imagepipe:timeoutSeconds must be a whole number from 1 to 900, got 1200"):
        evaluate_program("dev", {**stack_file_values("dev"), "timeoutSeconds": "1200"})


def test_a_misspelt_key_in_the_stack_config_stops_the_program() -> None:
    with pytest.raises(ConfigError, match=r"imagepipe:memoryMB is not a known key"):
        evaluate_program("dev", {**stack_file_values("dev"), "memoryMB": "2048"})
