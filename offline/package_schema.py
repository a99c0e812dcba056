"""The component package's schema, inferred offline the way `pulumi package add` infers it.

`schema.json` at the repository root is this, committed: a change to a component's public
interface (an Args field, its type or docstring, an output) shows in review as a diff there.
"""

import json

from pulumi.provider.experimental.component import ComponentProvider

from components.hosted import COMPONENTS
from components.type_tokens import PACKAGE, VERSION
from offline.generated_files import write_if_changed
from program.config import ROOT

SCHEMA = ROOT / "schema.json"


def package_provider() -> ComponentProvider:
    return ComponentProvider(list(COMPONENTS), PACKAGE, version=VERSION)


def render_schema() -> str:
    schema = package_provider().schema
    if schema is None:
        raise RuntimeError("the component provider inferred no schema")
    return json.dumps(json.loads(schema), indent=2, sort_keys=True) + "\n"


def sync_schema() -> bool:
    return write_if_changed(SCHEMA, render_schema())
