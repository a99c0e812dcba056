"""The example consumer under examples/thumbnails, evaluated under the mocks like the program itself."""

import runpy

from offline.runtime import Evaluation, run_under_mocks
from program.config import ROOT

EXAMPLE = ROOT / "examples" / "thumbnails"
EXAMPLE_PROJECT = "thumbnails"
EXAMPLE_SNAPSHOT = ROOT / "tests" / "snapshots" / "example-thumbnails.json"


def evaluate_example(config: dict[str, str] | None = None, stack: str = "dev") -> Evaluation:
    program = str(EXAMPLE / "__main__.py")
    return run_under_mocks(
        lambda: runpy.run_path(program, run_name="__main__"), stack=stack, config=config, project=EXAMPLE_PROJECT
    )
