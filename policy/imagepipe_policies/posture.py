"""What kind of stack a policy is judging: protected (real users' data) and in compliance mode or not.

A policy learns it from the pack's config, which Pulumi hands each policy separately
(`args.get_config()`, from `--policy-pack-config <file>`): every policy that depends on the posture
declares `protected` or `compliance` in its config schema, default **true**. A stack is judged strictly
unless its config file says otherwise, so a forgotten `--policy-pack-config` fails loudly on a dev
stack instead of silently waving a prod stack through. `policy/config.dev.json` sets both to false,
`policy/config.prod.json` both to true (tests/policy/test_pack.py keeps the files and the schemas in step).

The stack's name is not used: `prod-eu` or `staging` say nothing reliable about the data they hold,
and the config file states the intent where a reviewer sees it.
"""

from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

PROTECTED: Final = "protected"
COMPLIANCE: Final = "compliance"

_DESCRIPTIONS: Final = {
    PROTECTED: "The stack holds real users' data (prod): disposable settings are refused. Default true.",
    COMPLIANCE: "The stack runs in compliance mode (customer-managed keys, private subnets). Default true.",
}


def posture_schema(flag: str) -> PolicyConfigSchema:
    """The config schema of a policy that applies only when `flag` is true."""
    return PolicyConfigSchema(
        properties={flag: {"type": "boolean", "default": True, "description": _DESCRIPTIONS[flag]}}
    )


def holds(config: Mapping[str, Any], flag: str) -> bool:
    """Whether the config turns `flag` on (absent: on)."""
    return config.get(flag, True) is not False


def require(args: ResourceValidationArgs | StackValidationArgs, flag: str) -> None:
    """Mark the policy not applicable (the SDK records it) unless the stack has `flag` on."""
    if not holds(args.get_config(), flag):
        args.not_applicable(f"{flag}: false in the policy pack config")


Args = TypeVar("Args", ResourceValidationArgs, StackValidationArgs)


def only_when(flag: str, validate: Callable[[Args, ReportViolation], None]) -> Callable[[Args, ReportViolation], None]:
    """`validate`, run only on a stack with `flag` on (else the policy reports itself not applicable)."""

    def validate_when(args: Args, report: ReportViolation) -> None:
        require(args, flag)
        validate(args, report)

    return validate_when


def resource_policy_when(
    flag: str,
    *,
    name: str,
    description: str,
    validate: Callable[[ResourceValidationArgs, ReportViolation], None],
    enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY,
) -> ResourceValidationPolicy:
    """A resource policy that applies only when `flag` is on: the flag is read and declared in one place."""
    return ResourceValidationPolicy(
        name=name,
        description=description,
        validate=only_when(flag, validate),
        enforcement_level=enforcement_level,
        config_schema=posture_schema(flag),
    )


def stack_policy_when(
    flag: str,
    *,
    name: str,
    description: str,
    validate: Callable[[StackValidationArgs, ReportViolation], None],
    enforcement_level: EnforcementLevel = EnforcementLevel.MANDATORY,
) -> StackValidationPolicy:
    """A stack policy that applies only when `flag` is on: the flag is read and declared in one place."""
    return StackValidationPolicy(
        name=name,
        description=description,
        validate=only_when(flag, validate),
        enforcement_level=enforcement_level,
        config_schema=posture_schema(flag),
    )
