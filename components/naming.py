"""Physical and logical names, derived from project and stack in one place."""

from dataclasses import dataclass


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
