"""Which wheels and dependencies the layer takes: pip's own rules (packaging's tags and markers) for the
Lambda runtime, never for the machine that runs the build."""

import pytest
from packaging.requirements import Requirement
from pip._internal.utils.compatibility_tags import get_supported

from layers.target_runtime import manylinux_platforms, requirement_applies, supported_tags, tag_fits


@pytest.mark.parametrize(
    ("tag", "fits"),
    [
        ("cp312-cp312-manylinux_2_28_aarch64", True),
        ("cp312-cp312-manylinux_2_27_aarch64", True),
        ("cp312-cp312-manylinux2014_aarch64", True),
        ("cp38-abi3-manylinux_2_17_aarch64", True),
        ("cp312-none-any", True),
        ("py3-none-any", True),
        ("py2.py3-none-any", True),
        ("cp312-cp312-manylinux_2_34_aarch64", False),
        ("cp312-cp312-manylinux_2_16_aarch64", False),
        ("cp312-cp312-manylinux1_aarch64", False),
        ("cp312-cp312-manylinux_2_28_x86_64", False),
        ("cp312-cp312-musllinux_1_2_aarch64", False),
        ("cp312-cp312-linux_aarch64", False),
        ("cp312-cp312-macosx_11_0_arm64", False),
        ("cp312-cp312d-manylinux_2_28_aarch64", False),
        ("cp313-cp313-manylinux_2_28_aarch64", False),
        ("cp313-abi3-manylinux_2_28_aarch64", False),
        ("cp311-none-any", False),
        ("py3-none-manylinux2014_x86_64", False),
        ("not-a-tag", False),
        ("cp312", False),
    ],
)
def test_wheel_tags_that_run_on_python_312_arm64_lambda(tag: str, fits: bool) -> None:
    assert tag_fits(tag, "3.12", "aarch64") is fits


def test_stable_abi_wheel_for_any_platform_is_refused() -> None:
    # abi3 promises a compiled extension: no interpreter installs one tagged for every platform
    # (the hand-written rules before packaging accepted it)
    assert tag_fits("cp312-abi3-any", "3.12", "aarch64") is False


@pytest.mark.parametrize("tag", ["py312-none-manylinux_2_28_aarch64", "py312-none-any", "py30-none-any"])
def test_pure_python_wheels_for_an_older_python_3_run_on_313(tag: str) -> None:
    # packaging's compatible_tags: py3X-none-* for every X up to the runtime's (the old rules refused these)
    assert tag_fits(tag, "3.13", "aarch64") is True


def test_arm64_platforms_run_from_glibc_2_28_down_to_manylinux2014() -> None:
    assert list(manylinux_platforms("aarch64")) == [
        *(f"manylinux_2_{minor}_aarch64" for minor in range(28, 17, -1)),
        "manylinux_2_17_aarch64",
        "manylinux2014_aarch64",
    ]


def test_x86_64_platforms_go_down_to_glibc_2_5_with_every_legacy_name() -> None:
    platforms = list(manylinux_platforms("x86_64"))

    assert (platforms[0], platforms[-2], platforms[-1]) == (
        "manylinux_2_28_x86_64",
        "manylinux_2_5_x86_64",
        "manylinux1_x86_64",
    )
    assert [p for p in platforms if not p.startswith("manylinux_")] == [
        "manylinux2014_x86_64",
        "manylinux2010_x86_64",
        "manylinux1_x86_64",
    ]
    assert len(platforms) == 24 + 3


@pytest.mark.parametrize(("python_version", "machine"), [("3.12", "aarch64"), ("3.12", "x86_64"), ("3.13", "aarch64")])
def test_supported_tags_are_the_ones_pip_computes_for_that_target(python_version: str, machine: str) -> None:
    # GIVEN pip's own tag computation for CPython python_version with the same platforms and ABI
    nodot = python_version.replace(".", "")
    platforms = list(manylinux_platforms(machine))
    pips = {str(tag) for tag in get_supported(version=nodot, platforms=platforms, impl="cp", abis=[f"cp{nodot}"])}

    # THEN ours are exactly those (not this machine's: its Python is 3.11)
    assert {str(tag) for tag in supported_tags(python_version, machine)} == pips


@pytest.mark.parametrize(
    ("requires_dist", "applies"),
    [
        ("olefile>=0.46", True),
        ('olefile; extra == "fpx"', False),
        ('olefile; python_version >= "3.12"', True),
        ('olefile; python_version < "3.12"', False),
        ('olefile; python_full_version >= "3.12.0"', True),
        ('olefile; sys_platform == "win32"', False),
        ('olefile; platform_system == "Linux" and implementation_name == "cpython"', True),
        ('olefile; platform_machine == "aarch64"', True),
        ('olefile; platform_machine == "x86_64"', False),
    ],
)
def test_dependency_markers_are_evaluated_for_the_arm64_python_312_lambda(requires_dist: str, applies: bool) -> None:
    # This machine is x86_64 with Python 3.11: a marker read against it would give the opposite answer
    # for python_version and platform_machine.
    assert requirement_applies(Requirement(requires_dist), "3.12", "aarch64") is applies
