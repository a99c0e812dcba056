"""Reading a function's settings from its environment: every function's, with errors that name the variable."""

from collections.abc import Callable, Iterable, Mapping
from typing import Generic, TypeVar

T = TypeVar("T")


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


class SettingsReader(Generic[T]):
    """``load`` over the variables ``names`` only, run again only when one of their values changes.

    On Lambda the environment never changes, so a container parses its settings once and every
    later invocation reuses them; a test or the demo that changes a variable gets them read afresh.
    ``load`` sees no variable outside ``names``, so a reader that forgot one fails instead of
    silently keeping a stale value. An error is never kept: the next call reads again.
    """

    def __init__(self, names: Iterable[str], load: Callable[[Mapping[str, str]], T]) -> None:
        self._names = tuple(names)
        self._load = load
        self._last: tuple[tuple[str | None, ...], T] | None = None

    def __call__(self, environ: Mapping[str, str]) -> T:
        values = tuple(environ.get(name) for name in self._names)
        last = self._last  # one read: a concurrent call replaces the tuple whole, never half of it
        if last is not None and last[0] == values:
            return last[1]
        settings = self._load(
            {name: value for name, value in zip(self._names, values, strict=True) if value is not None}
        )
        self._last = (values, settings)
        return settings
