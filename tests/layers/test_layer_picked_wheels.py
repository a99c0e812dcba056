"""What pip picked is checked before a layer is written: exact pins, wheel tags, ELF machines."""

import sys
from pathlib import Path

import pytest

from layers.build import build_layer
from layers.errors import LayerBuildError
from layers.pins import Pin, parse_pins
from layers.target_runtime import pip_platforms
from tests.layers.fake_pip import FakePip, write_requirements


def _build_arm64(tmp_path: Path, *fake_pip_options: str, requirements: str | None = None) -> None:
    reqs = write_requirements(tmp_path) if requirements is None else write_requirements(tmp_path, requirements)
    pip = FakePip(tmp_path / "pip-calls.jsonl")
    build_layer(reqs, "3.12", "arm64", tmp_path / "cache", pip=pip.command(*fake_pip_options))


def test_fallback_to_older_pillow_is_rejected_naming_what_pip_picked(tmp_path: Path) -> None:
    # GIVEN pip falls back to Pillow 12.1.0's manylinux2014 wheel (what it does without the 2_28 flag)
    fallback = ("--version", "12.1.0", "--tag", "cp312-cp312-manylinux2014_aarch64")

    # WHEN the layer is built THEN it is refused with what pip picked and what was pinned
    with pytest.raises(LayerBuildError) as raised:
        _build_arm64(tmp_path, *fallback)
    assert str(raised.value) == "pip picked Pillow 12.1.0 (manylinux2014_aarch64) but requirements pin 13.0.0"


def test_rejected_build_leaves_nothing_in_the_cache(tmp_path: Path) -> None:
    with pytest.raises(LayerBuildError):
        _build_arm64(tmp_path, "--version", "12.1.0")

    assert list((tmp_path / "cache").glob("*")) == []


def test_wheel_for_the_other_architecture_is_rejected(tmp_path: Path) -> None:
    # GIVEN pip picks the pinned version, but the x86_64 wheel for an arm64 layer
    with pytest.raises(LayerBuildError) as raised:
        _build_arm64(tmp_path, "--tag", "cp312-cp312-manylinux_2_28_x86_64")

    assert str(raised.value) == (
        "pip picked Pillow 13.0.0 tagged cp312-cp312-manylinux_2_28_x86_64, which does not run on"
        " CPython 3.12, aarch64 Linux, glibc 2.28"
    )


def test_wheel_for_another_python_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(LayerBuildError, match=r"tagged cp311-cp311-manylinux_2_28_aarch64, which does not run"):
        _build_arm64(tmp_path, "--tag", "cp311-cp311-manylinux_2_28_aarch64")


def test_shared_object_built_for_another_machine_is_rejected(tmp_path: Path) -> None:
    # GIVEN a wheel tagged aarch64 whose libraries are x86_64 (a mislabelled wheel)
    with pytest.raises(LayerBuildError) as raised:
        _build_arm64(tmp_path, "--tag", "cp312-cp312-manylinux_2_28_aarch64", "--so-machine", "x86_64")

    assert str(raised.value) == (
        "python/PIL/_imaging.cpython-312-x86_64-linux-gnu.so is built for x86_64, not aarch64"
        " (2 such files): the arm64 layer could not load it"
    )


def test_installed_distribution_that_is_not_pinned_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(LayerBuildError) as raised:
        _build_arm64(tmp_path, "--name", "olefile", "--version", "0.47")

    assert str(raised.value) == "pip installed olefile 0.47 (manylinux_2_28_aarch64), which the requirements do not pin"


def test_installed_version_of_a_second_pin_is_checked_too(tmp_path: Path) -> None:
    with pytest.raises(LayerBuildError) as raised:
        _build_arm64(tmp_path, "--name", "olefile", "--version", "0.47", requirements="olefile==0.46\nPillow==13.0.0\n")

    assert str(raised.value) == "pip picked olefile 0.47 (manylinux_2_28_aarch64) but requirements pin 0.46"


def test_pin_that_pip_did_not_install_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(LayerBuildError) as raised:
        _build_arm64(tmp_path, requirements="Pillow==13.0.0\nolefile==0.47\n")

    assert str(raised.value) == "pip did not install olefile"


def test_unconditional_dependency_that_is_not_pinned_is_rejected(tmp_path: Path) -> None:
    # GIVEN the picked wheel always needs a distribution the requirements leave out (pip runs with --no-deps)
    with pytest.raises(LayerBuildError, match=r"Pillow 13.0.0 requires 'olefile>=0.46', which the requirements"):
        _build_arm64(tmp_path, "--requires", "olefile>=0.46")


def test_extras_only_dependencies_are_not_required(tmp_path: Path) -> None:
    # Pillow's own METADATA lists olefile etc. only under extras; they are not installed
    _build_arm64(tmp_path, "--requires", 'olefile; extra == "fpx"')

    assert len(list((tmp_path / "cache").glob("*.zip"))) == 1


def test_pip_failure_is_reported_with_pips_own_message(tmp_path: Path) -> None:
    requirements = write_requirements(tmp_path)
    pip = (
        sys.executable,
        "-c",
        "import sys; sys.exit('ERROR: No matching distribution found for Pillow==13.0.0')",
    )

    with pytest.raises(LayerBuildError) as raised:
        build_layer(requirements, "3.12", "x86_64", tmp_path / "cache", pip=pip)

    assert str(raised.value) == (
        "pip install failed with exit code 1:\nERROR: No matching distribution found for Pillow==13.0.0"
    )


def test_pip_is_asked_for_cpython_312_manylinux_2_28_and_2014_wheels_only(tmp_path: Path) -> None:
    # GIVEN a build for arm64
    _build_arm64(tmp_path)

    # THEN pip was asked for wheels of the runtime, not of this machine
    [call] = FakePip(tmp_path / "pip-calls.jsonl").calls()
    flags = " ".join(call)
    assert "--only-binary=:all: --implementation cp --python-version 3.12" in flags
    assert "--platform manylinux_2_28_aarch64 --platform manylinux2014_aarch64" in flags
    assert "--no-deps --no-compile" in flags
    assert Path(call[call.index("--target") + 1]).name == "python"
    assert call[-2:] == ["--requirement", str(tmp_path / "requirements.txt")]


def test_pip_platforms_for_x86_64() -> None:
    assert pip_platforms("x86_64") == ("manylinux_2_28_x86_64", "manylinux2014_x86_64")


def test_requirements_comments_and_blank_lines_are_ignored() -> None:
    text = "# the layer\n\nPillow == 13.0.0  # pinned for the layer\n"

    assert parse_pins(text) == (Pin("Pillow", "13.0.0"),)


@pytest.mark.parametrize("line", ["Pillow>=13", "Pillow", "Pillow==13.*", "Pillow[avif]==13.0.0", "-e ."])
def test_requirement_that_is_not_an_exact_pin_is_rejected(line: str) -> None:
    with pytest.raises(LayerBuildError) as raised:
        parse_pins(f"# layer\n{line}\n", source="requirements.txt")

    assert str(raised.value) == f"requirements.txt:2: {line!r} is not an exact pin (name==version)"


def test_project_pinned_twice_under_different_spellings_is_rejected() -> None:
    with pytest.raises(LayerBuildError, match=r"requirements.txt:2: pillow is pinned twice"):
        parse_pins("Pillow==13.0.0\npillow==13.0.0\n", source="requirements.txt")


def test_requirements_that_pin_nothing_are_rejected() -> None:
    with pytest.raises(LayerBuildError, match=r"requirements.txt pins nothing"):
        parse_pins("# nothing yet\n", source="requirements.txt")


def test_unknown_architecture_is_refused_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"architecture must be one of arm64, x86_64, not 'aarch64'"):
        build_layer(write_requirements(tmp_path), "3.12", "aarch64", tmp_path, pip=())  # type: ignore[arg-type]


def test_dependency_that_only_the_lambda_machine_needs_must_be_pinned(tmp_path: Path) -> None:
    # GIVEN a dependency pip installs on aarch64 only (this machine is x86_64: read here, it would not apply)
    with pytest.raises(LayerBuildError) as raised:
        _build_arm64(tmp_path, "--requires", 'olefile; platform_machine == "aarch64"')

    assert str(raised.value) == (
        "Pillow 13.0.0 requires 'olefile; platform_machine == \"aarch64\"', which the requirements do not pin"
        " (pip runs with --no-deps: the requirements must list every distribution)"
    )


def test_dependency_for_an_older_python_is_not_required(tmp_path: Path) -> None:
    _build_arm64(tmp_path, "--requires", 'olefile; python_version < "3.12"')

    assert len(list((tmp_path / "cache").glob("*.zip"))) == 1


def test_pinned_dependency_outside_the_range_the_wheel_requires_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(LayerBuildError) as raised:
        _build_arm64(tmp_path, "--requires", "olefile>=0.46", requirements="olefile==0.45\nPillow==13.0.0\n")

    assert str(raised.value) == "Pillow 13.0.0 requires 'olefile>=0.46', but the requirements pin olefile 0.45"


def test_unreadable_dependency_is_rejected_naming_it(tmp_path: Path) -> None:
    with pytest.raises(LayerBuildError, match=r"^Pillow 13.0.0 has an unreadable Requires-Dist 'olefile >> 1': "):
        _build_arm64(tmp_path, "--requires", "olefile >> 1")

    assert list((tmp_path / "cache").glob("*")) == []
