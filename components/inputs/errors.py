"""What a refused input says: the component, its resource name, the field, what was given, what is allowed."""

from typing import Final

# A given value is quoted, never echoed whole: a list of a million items or a 7 MB string must not
# become a 7 MB error message.
MAX_SHOWN: Final = 80


def quoted(value: object) -> str:
    """A short repr of the value, truncated."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def shown(value: object) -> str:
    """``'512' (a string)``: a short, truncated repr of the value and the kind of thing it is."""
    return "nothing" if value is None else f"{quoted(value)} ({kind_of(value)})"


def kind_of(value: object) -> str:
    kinds: dict[type, str] = {
        bool: "a boolean",
        int: "a whole number",
        float: "a number",
        str: "a string",
        list: "a list",
        tuple: "a list",
        dict: "a mapping",
    }
    for kind, noun in kinds.items():
        if type(value) is kind:
            return noun
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"


class Violation(ValueError):
    """A value breaks a rule. ``at`` is a path below the field (``[2].width``); ``detail`` says more."""

    def __init__(self, allowed: str, given: object, at: str = "", detail: str | None = None) -> None:
        super().__init__(allowed)
        self.allowed = allowed
        self.given = given
        self.at = at
        self.detail = detail

    def below(self, step: str) -> "Violation":
        """The same violation, seen from one level up (``step`` is ``[2]`` or ``.width``)."""
        return Violation(self.allowed, self.given, step + self.at, self.detail)


class InputError(ValueError):
    """A component refused one of its inputs. Raised before any child is created."""

    def __init__(self, component: str, resource_name: str, field: str, given: object, allowed: str) -> None:
        self.component = component
        self.resource_name = resource_name
        self.field = field
        self.given = given
        self.allowed = allowed
        super().__init__(f"{component} {resource_name!r}: {field} must be {allowed}; got {shown(given)}")

    @classmethod
    def of(cls, component: str, resource_name: str, field: str, violation: Violation) -> "InputError":
        allowed = violation.allowed if violation.detail is None else f"{violation.allowed} ({violation.detail})"
        return cls(component, resource_name, field + violation.at, violation.given, allowed)
