"""The model's arithmetic on cases checked by hand: round prices, a one-second image, one rendition."""

import math

import pytest

from costs import measured, model, usage
from costs.model import LINES, reprocess_estimate, upload_estimate
from costs.profile import Workload
from costs.usage import LOG_EVENT_OVERHEAD_BYTES
from handlers.imaging.renditions import DEFAULT_RENDITIONS
from tests.costs.prices_files import round_prices
from tests.costs.profiles import ONE_SECOND, profile

LOG_BYTES = measured.PROCESSED_LOG_LINE_BYTES + LOG_EVENT_OVERHEAD_BYTES  # 618


def usd(estimate: model.Estimate) -> dict[str, float]:
    return {line.name: round(line.usd, 9) for line in estimate.lines}


def test_a_thousand_uploads_cost_each_line_as_computed_by_hand() -> None:
    # GIVEN one JPEG rendition, one billed second per image at 1024 MB, $1 per unit of every price
    estimate = upload_estimate(profile(), 1000, round_prices(), ONE_SECOND)
    # THEN each line is usage x 1000 x its unit price
    assert usd(estimate) == {
        "Lambda compute": 1000.0,  # 1 GB-s each
        "Lambda requests": 0.001,  # 1,000 of $1 per million
        "S3 PUT": 2.0,  # the upload and the rendition: 2,000 of $1 per thousand
        "S3 GET": 1.0,  # the original, read once
        "DynamoDB writes": 0.002,  # a 901-byte item: 1 unit to the table, 1 to the user index
        "DynamoDB reads": 0.001,  # one consistent read of an item not there yet: the minimum
        "CloudWatch Logs": round(1000 * LOG_BYTES / 2**30, 9),  # one INFO line each
        "Batch Operations": 0.0,
        "KMS": 0.0,
    }
    assert [line.name for line in estimate.lines] == list(LINES)
    assert math.isclose(estimate.total_usd, sum(usd(estimate).values()), rel_tol=1e-9)
    assert estimate.dominant.name == "Lambda compute"


def test_reprocessing_pays_the_job_and_each_object_and_no_upload() -> None:
    # GIVEN the same images reprocessed in one Batch Operations job
    estimate = reprocess_estimate(profile(), 1000, round_prices(), ONE_SECOND)
    # THEN there is no upload PUT, and Batch Operations is $1 for the job plus 1,000 objects at $1 per million
    assert usd(estimate)["S3 PUT"] == 1.0
    assert usd(estimate)["Batch Operations"] == 1.001
    # AND the item read is of the stored item (under 4 KB: one unit)
    assert usd(estimate)["DynamoDB reads"] == 0.001


def test_two_jobs_pay_two_job_fees() -> None:
    estimate = reprocess_estimate(profile(), 1000, round_prices(), ONE_SECOND, jobs=2)
    assert usd(estimate)["Batch Operations"] == 2.001


def test_images_already_current_cost_one_read_and_no_write() -> None:
    # GIVEN every image already current
    estimate = reprocess_estimate(profile(), 1000, round_prices(), ONE_SECOND, current_share=1.0)
    # THEN no object is read or written, no item is written, and the invocation is one round trip (20 ms)
    u = usd(estimate)
    assert (u["S3 PUT"], u["S3 GET"], u["DynamoDB writes"]) == (0.0, 0.0, 0.0)
    assert u["DynamoDB reads"] == 0.001
    assert estimate.usage.billed_ms == 20
    assert u["Lambda compute"] == 1000 * 0.02


def test_transparent_sources_add_their_alpha_formats() -> None:
    # GIVEN half the uploads transparent: they get the PNG besides the JPEG
    estimate = upload_estimate(profile(), 1000, round_prices(), Workload(duration_ms=1000, alpha_share=0.5))
    # THEN 2.5 PUTs per upload on average
    assert usd(estimate)["S3 PUT"] == 2.5


def test_x86_64_uses_its_own_gb_second_price() -> None:
    estimate = upload_estimate(profile(architecture="x86_64"), 1000, round_prices(), ONE_SECOND)
    assert usd(estimate)["Lambda compute"] == 2000.0


def test_a_log_level_above_info_drops_the_processed_line() -> None:
    estimate = upload_estimate(profile(log_level="WARN"), 1000, round_prices(), ONE_SECOND)
    assert usd(estimate)["CloudWatch Logs"] == 0.0


def test_with_a_kms_key_s3_bucket_keys_leave_2_point_7_percent_of_object_requests_to_kms() -> None:
    # GIVEN compliance mode: a customer key, S3 bucket keys on both buckets
    estimate = upload_estimate(profile(kms=True), 10_000, round_prices(), ONE_SECOND)
    # THEN 3 object requests per upload (1 GET, 2 PUT) x 2.7 % reach KMS: 810 requests at $1 per 10,000
    kms = estimate.line(model.KMS)
    assert math.isclose(kms.quantity, 810)
    assert math.isclose(kms.usd, 0.081)


def test_without_a_duration_cpu_time_is_scaled_by_lambdas_cpu_share_plus_a_round_trip_per_request() -> None:
    # GIVEN 100 ms of CPU measured on a full core, and a function of 512 MB (1769/512 of a vCPU less)
    image = measured.BenchFigure("test", cpu_ms=100.0, peak_rss_mib=1, source_bytes=1, rendition_bytes=1, measured="")
    u = usage.upload_usage(profile(memory_mb=512), Workload(image=image))
    # THEN 100 x 1769/512 = 345.5 ms, plus 4 requests (item read, GET, PUT, item write) x 20 ms, billed whole
    assert u.billed_ms == math.ceil(100 * 1769 / 512 + 4 * 20)
    assert math.isclose(u.gb_seconds, 0.5 * 426 / 1000)


def test_more_memory_than_one_vcpu_buys_no_speed() -> None:
    assert usage.cpu_scale(1769) == 1.0
    assert usage.cpu_scale(3008) == 1.0
    assert math.isclose(usage.cpu_scale(1024), 1769 / 1024)


def test_the_default_renditions_make_six_objects_and_nine_for_a_transparent_source() -> None:
    p = profile(renditions=DEFAULT_RENDITIONS)
    assert usage.renditions_made(p, has_alpha=False) == 6
    assert usage.renditions_made(p, has_alpha=True) == 9


def test_a_share_outside_0_to_1_is_refused() -> None:
    with pytest.raises(ValueError, match=r"a share must be from 0 to 1, got 1\.5"):
        reprocess_estimate(profile(), 1, round_prices(), current_share=1.5)


def test_storage_is_priced_per_gb_month_apart_from_the_table() -> None:
    # 1,024 images of 1 MiB = 1 GiB at $1 per GB-month
    assert model.monthly_storage_usd(1024, 2**20, round_prices()) == 1.0
