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

from collections.abc import Mapping
from typing import Any, Final

from pulumi_policy import PolicyConfigSchema, ResourceValidationArgs, StackValidationArgs

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
