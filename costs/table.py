"""The cost report as Markdown: the per-million table, the dominant line, throughput, storage, what moves
the price. ``tasks.py cost STACK`` prints it; the README holds it for dev and prod (offline/cost_section.py).
"""

from dataclasses import dataclass, replace
from typing import Final

from costs import model, usage
from costs.model import Estimate
from costs.prices import Prices
from costs.profile import MEASURED, StackProfile, Workload
from costs.throughput import TEN_MILLION, Throughput, reprocess_throughput
from handlers.imaging.renditions import RenditionSpec

MILLION: Final = 1_000_000
# The variants the README prices against the stack as it is.
FOURTH_RENDITION: Final = RenditionSpec("large", 1600, 1600)
QUIET_LOG_LEVEL: Final = "WARN"


@dataclass(frozen=True)
class Report:
    profile: StackProfile
    prices: Prices
    workload: Workload
    uploads: Estimate
    reprocess: Estimate
    throughput: Throughput


def report(profile: StackProfile, prices: Prices, workload: Workload = MEASURED) -> Report:
    return Report(
        profile=profile,
        prices=prices,
        workload=workload,
        uploads=model.upload_estimate(profile, MILLION, prices, workload),
        reprocess=model.reprocess_estimate(profile, MILLION, prices, workload),
        throughput=reprocess_throughput(profile, workload),
    )


def usd(value: float) -> str:
    return f"${value:,.2f}" if value >= 0.01 or value == 0 else f"${value:,.4f}"


def _quantity(line: model.CostLine) -> str:
    per_image = line.quantity / MILLION
    if not per_image:
        return "-"
    if line.unit == "GB":
        return f"{per_image * model.GB:,.0f} B"
    return f"{per_image:,.3g} {line.unit}"


def render(r: Report) -> str:
    u, b = r.uploads, r.reprocess
    rows = [
        "| line | per upload | per 1M uploads | per reprocessed image | per 1M reprocessed |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for up, re in zip(u.lines, b.lines, strict=True):
        rows.append(f"| {up.name} | {_quantity(up)} | {usd(up.usd)} | {_quantity(re)} | {usd(re.usd)} |")
    rows.append(f"| **total** | | **{usd(u.total_usd)}** | | **{usd(b.total_usd)}** |")
    return "\n".join(
        [
            _header(r),
            "",
            *rows,
            "",
            f"Dominant line: {_dominance(u)} of uploads; {_dominance(b)} of reprocessing "
            f"(one job: {usd(r.prices.batch_operations_job)}).",
            "",
            *_throughput(r),
            "",
            _storage(r),
        ]
    )


def _header(r: Report) -> str:
    p, w, uu = r.profile, r.workload, r.uploads.usage
    made = usage.renditions_made(p, has_alpha=False)
    duration = (
        f"{w.duration_ms:g} ms measured"
        if w.duration_ms is not None
        else f"{w.image.cpu_ms:g} ms CPU ({w.image.case}, `tasks.py bench`) x {usage.cpu_scale(p.memory_mb):.2f} "
        f"for {p.memory_mb} MB's CPU share + {w.round_trip_ms:g} ms per AWS request (assumed)"
    )
    assumed = ", ".join(r.prices.assumptions)
    notes = [
        f"Stack `{p.stack}` ({p.region}): {p.memory_mb} MB {p.architecture}, {len(p.renditions)} renditions "
        f"= {made} objects per image ({w.alpha_share:.0%} transparent sources), log level {p.log_level}, "
        f"{'customer-managed KMS key with S3 bucket keys' if p.kms else 'no KMS key'}.",
        f"Billed duration per upload {uu.billed_ms:.0f} ms: {duration}.",
        f"Prices: {r.prices.region} list prices (costs/prices.json, each with its source and date)"
        + (f"; assumed, not confirmed by a source: {assumed}" if assumed else "")
        + ".",
    ]
    if r.prices.region != p.region:
        notes.append(f"The stack runs in {p.region}: pass `--prices` with that region's figures for its real price.")
    return "\n".join(f"- {n}" for n in notes)


def _dominance(e: Estimate) -> str:
    top = e.dominant
    share = top.usd / e.total_usd if e.total_usd else 0.0
    return f"**{top.name}**, {share:.0%}"


def _throughput(r: Report) -> list[str]:
    t = r.throughput
    one_user = replace(t, one_user=True)
    hours = t.seconds_for(TEN_MILLION) / 3600
    limits = ", ".join(
        f"{limit.name}{' (one user)' if limit.per_prefix else ''} {limit.images_per_second:,.0f}/s ({limit.why})"
        for limit in t.limits
    )
    return [
        f"Throughput at concurrency {t.concurrency}"
        + (
            " (reserved)"
            if r.profile.reserved_concurrency is not None
            else " (unreserved: the account's default quota)"
        )
        + f": **{t.images_per_second:,.0f} images/s**, limited first by **{t.first_limit.name}**; "
        f"10 million images of many users reprocessed in **{hours:,.1f} h** "
        f"(after {t.ramp_seconds:.0f} s of Lambda scaling). "
        + (
            f"One user's images go at most {one_user.images_per_second:,.0f}/s ({one_user.first_limit.name}) "
            "until S3 partitions the prefix further. "
            if one_user.first_limit != t.first_limit
            else ""
        )
        + f"Limits, slowest first: {limits}. "
        "S3 Batch Operations publishes no invocation rate of its own: the function's concurrency bounds it.",
    ]


def _storage(r: Report) -> str:
    image = r.workload.image
    originals = model.monthly_storage_usd(MILLION, image.source_bytes, r.prices)
    renditions = model.monthly_storage_usd(MILLION, image.rendition_bytes, r.prices)
    return (
        f"Not in the table, paid every month while kept (S3 Standard, before any lifecycle transition): "
        f"a million {image.case} originals {usd(originals)}, their renditions {usd(renditions)}."
    )


@dataclass(frozen=True)
class Variant:
    change: str
    uploads_delta_usd: float
    uploads_delta_share: float


def variants(profile: StackProfile, prices: Prices, workload: Workload = MEASURED) -> tuple[Variant, ...]:
    """What a config choice moves the price per million uploads by, computed by the model."""
    base = model.upload_estimate(profile, MILLION, prices, workload).total_usd

    def delta(change: str, p: StackProfile, w: Workload, against: float = base) -> Variant:
        other = model.upload_estimate(p, MILLION, prices, w).total_usd
        return Variant(change, other - against, (other - against) / against)

    fourth = replace(FOURTH_RENDITION, formats=profile.renditions[0].formats)
    transparent = replace(workload, alpha_share=1.0)
    without_png = profile.with_renditions(tuple(replace(s, alpha_formats=()) for s in profile.renditions))
    no_png_total = model.upload_estimate(without_png, MILLION, prices, transparent).total_usd
    return (
        delta(
            f"a fourth rendition ({fourth.width}x{fourth.height}, {' + '.join(f.value for f in fourth.formats)})",
            profile.with_renditions((*profile.renditions, fourth)),
            workload,
        ),
        delta("PNG for alpha, if every upload is transparent", profile, transparent, against=no_png_total),
        delta(
            f"log level {QUIET_LOG_LEVEL} instead of {profile.log_level} (loses the image.processed lines the "
            "success and processing-time metrics count)",
            replace(profile, log_level=QUIET_LOG_LEVEL),
            workload,
        ),
    )


def render_variants(profile: StackProfile, prices: Prices, workload: Workload = MEASURED) -> str:
    rows = ["| change (per 1M uploads) | price moves by |", "| --- | ---: |"]
    for v in variants(profile, prices, workload):
        sign = "+" if v.uploads_delta_usd >= 0 else "-"
        rows.append(f"| {v.change} | {sign}{usd(abs(v.uploads_delta_usd))} ({v.uploads_delta_share:+.0%}) |")
    return "\n".join(rows)
