"""One version string: pyproject.toml's, reported by the plugin (see test_plugin_as_a_stranger), carried by
the schema and named by the changelog's newest entry."""

import json
import re
import tomllib

from components.type_tokens import VERSION
from program.config import ROOT

_RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2}|Unreleased)$", re.MULTILINE)


def changelog_versions() -> list[str]:
    return [match[1] for match in _RELEASE.finditer((ROOT / "CHANGELOG.md").read_text())]


def test_package_version_is_pyprojects() -> None:
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"] == VERSION


def test_committed_schema_carries_the_package_version() -> None:
    assert json.loads((ROOT / "schema.json").read_text())["version"] == VERSION


def test_changelogs_newest_entry_is_the_package_version() -> None:
    assert changelog_versions()[0] == VERSION


def test_changelog_lists_each_version_once_newest_first() -> None:
    versions = changelog_versions()
    as_numbers = [tuple(int(part) for part in version.split(".")) for version in versions]

    assert versions[-1] == "0.1.0"
    assert as_numbers == sorted(set(as_numbers), reverse=True)


def test_only_the_newest_entry_may_be_unreleased() -> None:
    dates = [match[2] for match in _RELEASE.finditer((ROOT / "CHANGELOG.md").read_text())]
    assert "Unreleased" not in dates[1:]
