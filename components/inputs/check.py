"""ArgsCheck: a component's Args type, the rules on its fields, and the checks that span fields."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

import pulumi

from components.inputs.errors import InputError, Violation
from components.inputs.rules import Rule
from components.inputs.shapes import check_keys, conform, fields_of, input_inner, unwrap_required

A = TypeVar("A", bound=Mapping[str, Any])


@dataclass(frozen=True)
class FieldCheck:
    """A check across fields: ``check(values)`` raises Violation, reported against ``field``."""

    field: str
    check: Callable[[Mapping[str, Any]], None]


def _holds_output(value: object) -> bool:
    if isinstance(value, pulumi.Output):
        return True
    if isinstance(value, list):
        return any(_holds_output(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_output(v) for v in value.values())
    return False


@dataclass(frozen=True)
class ArgsCheck(Generic[A]):
    """What a component accepts: its Args TypedDict, a rule per field where the type is not enough,
    and checks across fields. ``check`` returns the Args normalised, or raises InputError."""

    args_type: type[A]
    rules: Mapping[str, Rule] = field(default_factory=dict)
    across: tuple[FieldCheck, ...] = ()

    def __post_init__(self) -> None:
        # A rule on a field the Args do not have is a mistake in the package, not in anyone's input.
        stray = sorted({*self.rules, *(c.field for c in self.across)} - set(fields_of(self.args_type)))
        if stray:
            raise TypeError(f"{self.args_type.__name__} has no fields {stray}: rules on them would never apply")

    def rule(self, name: str) -> Rule:
        """The rule on one field, for callers that receive the value another way (the stack config)."""
        return self.rules[name]

    def check(self, component: str, resource_name: str, args: object) -> A:
        """``args`` checked and normalised; Outputs among them are checked when they resolve."""
        if not isinstance(args, Mapping):
            raise InputError(component, resource_name, "args", args, f"a mapping of inputs ({self.args_type.__name__})")
        try:
            check_keys(args, self.args_type)
        except Violation as exc:
            raise InputError.of(component, resource_name, "", exc) from None
        known = fields_of(self.args_type)
        checked = {
            name: self._field(component, resource_name, name, value, known[name]) for name, value in args.items()
        }
        for across in self.across:
            try:
                across.check(checked)
            except Violation as exc:
                raise InputError.of(component, resource_name, across.field, exc) from None
        return cast(A, checked)

    def _field(self, component: str, resource_name: str, name: str, value: object, annotation: object) -> object:
        rule = self.rules.get(name)

        def verdict(plain: object) -> object:
            """Type and rule, on a value with no Output left at the top."""
            try:
                conformed = conform(plain, annotation, nested_output)
                if rule is not None and not _holds_output(conformed):
                    rule.check(conformed)
            except Violation as exc:
                raise InputError.of(component, resource_name, name, exc) from None
            return conformed

        def nested_output(output: pulumi.Output[Any], inner: object) -> object:
            # An Output inside a list or mapping: its type is checked when it resolves.
            def resolved(v: object) -> object:
                try:
                    return conform(v, inner, nested_output)
                except Violation as exc:
                    raise InputError.of(component, resource_name, name, exc) from None

            return output.apply(resolved)

        if isinstance(value, pulumi.Output) and input_inner(unwrap_required(annotation)) is not None:
            return value.apply(verdict)
        return verdict(value)
