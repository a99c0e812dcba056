"""Physical and logical names, derived from project, stack and component name in one place."""

import hashlib
import re
from dataclasses import dataclass
from typing import Final

from components.inputs import Rule, matches


@dataclass(frozen=True)
class Naming:
    project: str
    stack: str

    @property
    def prefix(self) -> str:
        return f"{self.project}-{self.stack}"

    def name(self, *parts: str) -> str:
        """`imagepipe-dev-image-processor`: the logical and, where AWS allows, physical name."""
        return "-".join((self.prefix, *parts))

    @property
    def metric_namespace(self) -> str:
        """Log-derived metrics of this project and stack: `imagepipe/dev`."""
        return f"{self.project}/{self.stack}"

    @property
    def dashboard(self) -> str:
        """The stack's one dashboard: `imagepipe-dev`."""
        return self.prefix

    def log_group(self, function_name: str) -> str:
        # Lambda writes to this group by default; creating it first lets us own its retention.
        return f"/aws/lambda/{function_name}"


# --- Physical names a component derives from its prefix ---------------------------------------

# Pulumi auto-names a resource `{logical name}-{7 random characters}` and refuses one longer than the
# provider allows (pulumi/pulumi sdk/go/common/resource/resource_id.go, NewUniqueName: "name ... plus
# N random chars is longer than maximum length"): only at deploy time, never under the mocks.
AUTONAME_SUFFIX: Final = 8
_PREFIX_CHARACTERS: Final = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True)
class LongestName:
    """A name a component makes as `{prefix}{suffix}`, which AWS allows at most `limit` characters."""

    suffix: str
    limit: int
    autonamed: bool = False
    """Pulumi adds AUTONAME_SUFFIX characters (the logical name is the prefix of the physical one)."""

    @property
    def room(self) -> int:
        """The longest prefix this name leaves room for."""
        return self.limit - len(self.suffix) - (AUTONAME_SUFFIX if self.autonamed else 0)


def max_prefix(*names: LongestName) -> int:
    return min(name.room for name in names)


def prefix_rule(max_length: int) -> Rule:
    """What an explicit name_prefix may be: S3-safe (buckets are named after it) and short enough."""
    return matches(
        rf"(?=.{{1,{max_length}}}$)[a-z]([a-z0-9-]*[a-z0-9])?",
        f"lower-case letters, digits and '-', starting with a letter, at most {max_length} characters",
    )


def default_prefix(component_name: str, max_length: int) -> str:
    """`{project}-{stack}-{component name}`: distinct for two components of a stack, for the same program
    in two stacks, and for two programs in one account. Shortened, with a hash of the whole, to fit."""
    import pulumi

    whole = "-".join((pulumi.get_project(), pulumi.get_stack(), component_name)).lower()
    whole = _PREFIX_CHARACTERS.sub("-", whole).strip("-")
    if not whole[:1].isalpha():
        whole = f"p-{whole}"
    if len(whole) <= max_length:
        return whole
    digest = hashlib.sha256(whole.encode()).hexdigest()[:6]
    return f"{whole[: max_length - len(digest) - 1].rstrip('-')}-{digest}"


def name_prefix(given: str | None, component_name: str, max_length: int) -> str:
    """The prefix of every physical name of a component: the one given, or the default."""
    return given if given is not None else default_prefix(component_name, max_length)
