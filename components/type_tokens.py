"""The package's name and version, and the components' type tokens: ``imagepipe:index:<Component>``.

That is the token Pulumi gives each component of the package (``pulumi package add``), so the
program and every consumer register the same types. Stacks deployed before the package knew the
components by older tokens; each component aliases its old token so those stacks keep every
resource (tests/infra/test_existing_stacks_survive.py).
"""

import re
import tomllib
from pathlib import Path
from typing import Final

import pulumi

PACKAGE: Final = "imagepipe"
PYPROJECT: Final = Path(__file__).resolve().parents[1] / "pyproject.toml"


def _package_version() -> str:
    """`[project] version` in pyproject.toml: the one place the version is written.

    The plugin reports it (GetPluginInfo) and the schema carries it; CHANGELOG.md's newest entry
    must name it (tests/package/test_version.py).
    """
    version = tomllib.loads(PYPROJECT.read_text())["project"]["version"]
    # The CLI resolves `@<version>` to the tag v<version> (pulumi/pulumi sdk/go/common/workspace/plugins.go,
    # gitSource.Download): a plain semver release.
    if not isinstance(version, str) or not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise ValueError(f"{PYPROJECT}: [project] version must look like 1.2.3, not {version!r}")
    return version


VERSION: Final = _package_version()

# The tokens of the components before they were a package, by component.
_OLD_TYPES: Final = {
    "SecureBucket": "imagepipe:storage:SecureBucket",
    "ImagePipeline": "imagepipe:pipeline:ImagePipeline",
    "AlertingSNS": "imagepipe:alerting:AlertingSNS",
    "MetricFilters": "imagepipe:observability:MetricFilters",
    "Alarms": "imagepipe:observability:Alarms",
    "Dashboard": "imagepipe:observability:Dashboard",
}


def type_token(component: type[pulumi.ComponentResource]) -> str:
    return f"{PACKAGE}:index:{component.__name__}"


def component_options(
    component: type[pulumi.ComponentResource], opts: pulumi.ResourceOptions | None
) -> pulumi.ResourceOptions:
    """``opts`` plus an alias to the component's token from before the package, where it had one."""
    old = _OLD_TYPES.get(component.__name__)
    own = pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=old)] if old else None)
    return pulumi.ResourceOptions.merge(own, opts)


def moved_from_stack_root(component: type[pulumi.ComponentResource]) -> pulumi.Alias:
    """For a component that used to sit directly under the stack and now has a parent."""
    return pulumi.Alias(type_=_OLD_TYPES[component.__name__], parent=pulumi.ROOT_STACK_RESOURCE)
