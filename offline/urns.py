"""URNs as the Pulumi engine builds them: ``urn:pulumi:{stack}::{project}::{type chain}::{name}``.

A child's type is qualified by its parent's whole type chain (the stack's own type left out). The
offline runtime gives resources these URNs, and the alias resolution of offline/identity.py reads them.
"""

from typing import Final

STACK_TYPE: Final = "pulumi:pulumi:Stack"


def urn_parts(urn: str) -> tuple[str, str, str, str]:
    """(stack, project, qualified type chain, name) of a URN."""
    head, project, chain, name = urn.split("::", 3)
    return head.removeprefix("urn:pulumi:"), project, chain, name


def make_urn(stack: str, project: str, parent_urn: str | None, type_: str, name: str) -> str:
    chain = type_
    if parent_urn:
        parent_chain = urn_parts(parent_urn)[2]
        if parent_chain.split("$")[-1] != STACK_TYPE:
            chain = f"{parent_chain}${type_}"
    return f"urn:pulumi:{stack}::{project}::{chain}::{name}"
