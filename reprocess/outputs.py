"""What the command needs to know about a deployed stack: its ``reprocess`` output.

In real use it comes from ``pulumi stack output --json --stack STACK`` (run as a subprocess); with
``--outputs FILE`` from that command's saved output, so nothing else needs the Pulumi CLI. The output
is one object, ``ReprocessOutputs`` below, which ``__main__.py`` exports from ImagePipeline's outputs and
the stack config: its field names are written once, here.
"""

import json
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Final

# The stack export this command reads.
OUTPUT_NAME: Final = "reprocess"
PULUMI_INSTALL_URL: Final = "https://www.pulumi.com/docs/install/"


class OutputsUnavailable(Exception):
    """The stack's outputs could not be read; the message says what to do."""


@dataclass(frozen=True)
class ReprocessOutputs:
    """The ``reprocess`` export of a stack."""

    function_arn: str
    """The reprocessing function Batch Operations invokes."""
    job_role_arn: str
    """The role Batch Operations assumes for the job."""
    bucket: str
    """The bucket of manifests and completion reports."""
    manifest_prefix: str
    report_prefix: str
    fingerprint: str
    """The rendering fingerprint of the stack's renditions: an item with another is stale."""
    table: str
    """The metadata table."""
    concurrency: int
    """The reprocessing function's reserved concurrency; -1: unreserved."""
    memory_mb: int
    architecture: str

    @property
    def account_id(self) -> str:
        # arn:aws:iam::123456789012:role/name
        return self.job_role_arn.split(":")[4]

    @property
    def region(self) -> str:
        # arn:aws:lambda:eu-west-1:123456789012:function:name
        return self.function_arn.split(":")[3]

    @classmethod
    def from_json(cls, outputs: Mapping[str, Any], stack: str) -> "ReprocessOutputs":
        exported = outputs.get(OUTPUT_NAME)
        if not isinstance(exported, dict):
            raise OutputsUnavailable(
                f"stack {stack} has no {OUTPUT_NAME!r} output: deploy this version of the program first (pulumi up)"
            )
        names = [f.name for f in fields(cls)]
        missing = [name for name in names if name not in exported]
        if missing:
            raise OutputsUnavailable(
                f"stack {stack}'s {OUTPUT_NAME!r} output lacks {', '.join(missing)}: run pulumi up"
            )
        return cls(**{name: exported[name] for name in names})


Runner = Callable[..., subprocess.CompletedProcess[str]]


def read_stack_outputs(stack: str, outputs_file: Path | None = None, run: Runner = subprocess.run) -> ReprocessOutputs:
    """The stack's ``reprocess`` output, from ``outputs_file`` or the Pulumi CLI."""
    if outputs_file is not None:
        try:
            document = json.loads(outputs_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise OutputsUnavailable(f"cannot read {outputs_file}: {exc}") from None
        return ReprocessOutputs.from_json(document, stack)
    command = ["pulumi", "stack", "output", "--json", "--stack", stack]
    try:
        completed = run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise OutputsUnavailable(
            f"the Pulumi CLI is not installed ({PULUMI_INSTALL_URL}); or save `{' '.join(command)}` "
            "from a machine that has it and pass the file with --outputs"
        ) from None
    if completed.returncode != 0:
        raise OutputsUnavailable(f"`{' '.join(command)}` failed: {completed.stderr.strip() or completed.returncode}")
    try:
        document = json.loads(completed.stdout)
    except json.JSONDecodeError as exc:
        raise OutputsUnavailable(f"`{' '.join(command)}` printed no JSON: {exc}") from None
    return ReprocessOutputs.from_json(document, stack)
