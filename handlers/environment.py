"""Reading a function's settings from its environment: every function's, with errors that name the variable."""

from collections.abc import Mapping


class SettingsError(ValueError):
    """The function is misconfigured: a deployment problem, not a problem with any request or upload."""


def required(environ: Mapping[str, str], name: str, meaning: str) -> str:
    """The variable's value; missing or blank is an error saying what it must name."""
    value = environ.get(name, "").strip()
    if not value:
        raise SettingsError(f"{name} is not set; it must name {meaning}")
    return value


def positive(environ: Mapping[str, str], name: str, default: int) -> int:
    """A positive whole number, or ``default`` when the variable is unset."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a positive whole number, got {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{name} must be a positive whole number, got {value}")
    return value
