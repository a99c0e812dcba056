"""The demo's contact sheet: one static HTML page showing what happened to each sample.

``render_contact_sheet`` is pure: a run's report in, the page out. The page is self-contained (inline
CSS, no scripts, nothing fetched from the network); it shows the renditions through relative links to
the copies the demo wrote next to it, so the folder can be opened, moved or zipped as it is.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from handlers.batch.results import ResultCode
from handlers.contract import ImageStatus
from localrun.metrics_report import MetricReading, describe
from localrun.reprocess_tour import ReprocessReport
from localrun.results import DemoReport, ImageResult

FILE_NAME = "index.html"

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1180px; padding: 24px; color: #1d2329; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
code { font: 13px ui-monospace, monospace; background: #eef1f4; padding: 1px 5px; border-radius: 4px; }
.lead { color: #4a5560; margin: 0 0 24px; }
.sample { border: 1px solid #d8dee4; border-radius: 10px; padding: 16px 18px; margin: 0 0 18px; }
.sample > p { margin: 6px 0 0; }
.about { color: #4a5560; }
.status { font-size: 13px; font-weight: 600; padding: 2px 9px; border-radius: 999px; color: #fff; }
.status.completed { background: #1f7a4d; }
.status.rejected { background: #b25e09; }
.status.failed { background: #b3261e; }
.unexpected { color: #b3261e; font-weight: 600; }
.reason { background: #fff4e5; border-left: 4px solid #b25e09; padding: 8px 12px; }
.renditions { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-end; margin-top: 14px; }
figure { margin: 0; min-width: 160px; max-width: 100%; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid #d8dee4; background-color: #fff;
  background-image: linear-gradient(45deg, #d5d9de 25%, transparent 25%, transparent 75%, #d5d9de 75%),
    linear-gradient(45deg, #d5d9de 25%, transparent 25%, transparent 75%, #d5d9de 75%);
  background-size: 16px 16px; background-position: 0 0, 8px 8px; }
figcaption { font-size: 13px; color: #4a5560; margin-top: 4px; }
figcaption b { color: #1d2329; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #d8dee4; vertical-align: top; }
th { background: #f4f6f8; }
td.value { font-variant-numeric: tabular-nums; }
"""


def render_contact_sheet(report: DemoReport, folder: Path) -> str:
    """The page for ``folder/index.html``; every rendition file in ``report`` lies under ``folder``."""
    title = f"imagepipe demo: stack {report.stack}"
    counts = Counter(r.status for r in report.results)
    outcome = ", ".join(f"{n} {status}" for status, n in counts.items())
    redelivery = "left its item unchanged" if report.redelivered_unchanged else "CHANGED its item (it must not)"
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="lead">{len(report.results)} samples uploaded under <code>{escape(report.upload_prefix)}</code>: '
        f"{escape(outcome)}. A second delivery of the first event {escape(redelivery)}. "
        "Each rendition is shown at its real size (narrowed only to fit the window); "
        "a checkerboard behind it shows transparency."
        f"{_reprocess_lead(report.reprocess)}</p>",
        *(_sample(number, result, folder) for number, result in enumerate(report.results, 1)),
        *([_reprocess(report.reprocess)] if report.reprocess is not None else []),
        _metrics(report.metrics, report.metric_namespace),
        _alerts(report, folder),
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _sample(number: int, result: ImageResult, folder: Path) -> str:
    item, status = result.item, result.status
    lines = [
        f'<section class="sample" id="sample-{number}">',
        f'<h2><span class="status {escape(status)}">{escape(status)}</span> '
        f"<code>{escape(result.sample.file_name)}</code></h2>",
        f'<p class="about">{escape(result.sample.description)}</p>',
    ]
    if status != result.sample.expected:
        lines.append(f'<p class="unexpected">expected {escape(result.sample.expected)}</p>')
    if status == ImageStatus.COMPLETED:
        renditions = item["renditions"]
        total = sum(r["bytes"] for r in renditions)
        lines.append(
            f"<p>uploaded {escape(_source(item))}; {len(renditions)} renditions, {total:,} bytes, "
            f"in {item['timings_ms']['total']} ms</p>"
        )
        by_name: dict[str, list[str]] = {}  # one row per rendition, its formats side by side
        for rendition, path in zip(renditions, result.files, strict=True):
            by_name.setdefault(rendition["name"], []).append(_figure(rendition, path, folder))
        lines.extend(f'<div class="renditions">{"".join(figures)}</div>' for figures in by_name.values())
    elif status == ImageStatus.REJECTED:
        detail = f" {escape(str(item['detail']))}" if item.get("detail") else ""
        lines.append(f'<p class="reason">reason <code>{escape(str(item["reason"]))}</code>{detail}</p>')
    else:
        error = " ".join(str(item[k]) for k in ("error_code", "error_message") if item.get(k))
        lines.append(f'<p class="reason">{escape(error or "the event ended in the failure queue")}</p>')
    lines.append("</section>")
    return "\n".join(lines)


def _source(item: Mapping[str, Any]) -> str:
    size = f", {item['size_bytes']:,} bytes" if "size_bytes" in item else ""
    return f"{item['format']} {item['width']}x{item['height']}{size}"


def _figure(rendition: Mapping[str, Any], path: Path, folder: Path) -> str:
    src = escape(quote(path.relative_to(folder).as_posix()))
    name, fmt = escape(str(rendition["name"])), escape(str(rendition["format"]).upper())
    width, height = int(rendition["width"]), int(rendition["height"])
    return (
        f'<figure style="width: {width}px"><a href="{src}">'
        f'<img src="{src}" width="{width}" height="{height}" alt="{name} {fmt}"></a>'
        f"<figcaption><b>{name}</b> {fmt}<br>{width}x{height}, "
        f"{int(rendition['bytes']):,} bytes</figcaption></figure>"
    )


def _reprocess_lead(report: ReprocessReport | None) -> str:
    if report is None:
        return ""
    return escape(
        f" The renditions are shown as an S3 Batch Operations job left them, after the stack's renditions changed"
        f" ({report.dropped} dropped, {report.added.name} added): see its report below."
    )


def _reprocess(report: ReprocessReport) -> str:
    """The job's completion report: one row per task, as Batch Operations would write it."""
    rendered = len(report.with_code(ResultCode.SUCCEEDED, "rendered"))
    current = len(report.with_code(ResultCode.SUCCEEDED, "already_current"))
    failed = len([t for t in report.tasks if t.code != ResultCode.SUCCEEDED])
    rows = "\n".join(
        f"<tr><td><code>{escape(t.key.rsplit('/', 1)[-1])}</code></td><td>{escape(t.code)}</td>"
        f"<td>{escape(t.text)}</td></tr>"
        for t in report.tasks
    )
    return (
        '<section class="reprocess">\n'
        "<h2>Reprocessed by an S3 Batch Operations job after the renditions changed</h2>\n"
        f'<p class="about">dropped <code>{escape(report.dropped)}</code>, '
        f"added <code>{escape(report.added.name)}</code> ({report.added.width}x{report.added.height}); "
        f"fingerprint <code>{escape(report.fingerprint_before)}</code> "
        f"&rarr; <code>{escape(report.fingerprint_after)}</code>; "
        f"manifest <code>{escape(report.manifest_key)}</code>, "
        f"{len(report.tasks)} tasks, {report.concurrency} at a time: {rendered} rendered again, "
        f"{current} already current, {failed} failed</p>\n"
        "<table>\n<thead><tr><th>original</th><th>result code</th><th>result string</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</section>"
    )


def _metrics(readings: Iterable[MetricReading], namespace: str) -> str:
    rows = "\n".join(
        f"<tr><td>{escape(r.metric.name)}</td><td>{escape(r.metric.unit.value)}</td>"
        f'<td class="value">{escape(describe(r))}</td><td><code>{escape(r.metric.filter_pattern)}</code></td></tr>'
        for r in readings
    )
    return (
        '<section class="metrics">\n'
        f"<h2>Metrics the CloudWatch filters would record from this run's log lines</h2>\n"
        f'<p class="about">namespace <code>{escape(namespace)}</code></p>\n'
        "<table>\n<thead><tr><th>metric</th><th>unit</th><th>recorded</th><th>filter pattern</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</section>"
    )


def _alerts(report: DemoReport, folder: Path) -> str:
    if not report.alerts:
        return ""
    rows = "\n".join(
        f"<tr><td>{escape(a.tier)}</td><td>{escape(a.state)}</td><td>"
        f'<a href="{escape(quote(a.file.resolve().relative_to(folder).as_posix()))}">{escape(a.subject)}</a></td></tr>'
        for a in report.alerts
    )
    return (
        '<section class="alerts">\n'
        "<h2>Alert emails the formatter composed from this run's log lines</h2>\n"
        '<p class="about">One alarm of each tier, as CloudWatch would notify it, and one recovery; each '
        "email is the plain text its recipients would read.</p>\n"
        "<table>\n<thead><tr><th>tier</th><th>state</th><th>subject</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</section>"
    )
