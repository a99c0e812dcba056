"""What one demo run found out: each sample's outcome, the redelivery check and the metrics."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localrun.alert_tour import AlertEmail
from localrun.metrics_report import MetricReading
from localrun.reprocess_tour import ReprocessReport
from localrun.samples import Sample


@dataclass(frozen=True)
class ImageResult:
    sample: Sample
    key: str
    status: str
    item: dict[str, Any]
    """The metadata item as the handler left it (decoded), empty if there is none."""
    files: tuple[Path, ...]
    """The local copies of ``item["renditions"]``, in the same order."""


@dataclass(frozen=True)
class DemoReport:
    stack: str
    upload_prefix: str
    """Where the samples were uploaded: ``uploads/{user}/``."""
    results: tuple[ImageResult, ...]
    redelivered_unchanged: bool
    """A second delivery of the first event left its item as it was."""
    metric_namespace: str
    metrics: tuple[MetricReading, ...]
    reprocess: ReprocessReport | None = None
    """The S3 Batch Operations job run after the renditions changed; ``item`` and ``files`` are as it left them."""
    alerts: tuple[AlertEmail, ...] = ()
    """The emails the alert formatter composed after the run."""

    @property
    def as_expected(self) -> bool:
        reprocessed = self.reprocess is None or self.reprocess.as_expected
        return all(r.status == r.sample.expected for r in self.results) and self.redelivered_unchanged and reprocessed
