"""Every component checks its own inputs where they arrive, whatever language or path they came from.

A component declares its Args as a TypedDict (the types Pulumi's schema is inferred from) and, beside
it, the rules a value must also meet (``whole(128, 10240)``, ``each(email)``). ``ArgsCheck.check``
derives the type checks from the TypedDict's annotations, applies the rules, and fails with one
``InputError`` naming the component, its resource name, the field, what was given and what is allowed.
Values that are still Outputs are checked when they resolve.
"""

from components.inputs.check import ArgsCheck, FieldCheck
from components.inputs.errors import InputError, Violation
from components.inputs.rules import (
    Rule,
    at_least,
    e164,
    each,
    email,
    matches,
    non_empty,
    number,
    one_of,
    whole,
)

__all__ = [
    "ArgsCheck",
    "FieldCheck",
    "InputError",
    "Rule",
    "Violation",
    "at_least",
    "e164",
    "each",
    "email",
    "matches",
    "non_empty",
    "number",
    "one_of",
    "whole",
]
