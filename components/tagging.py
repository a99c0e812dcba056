"""The tags every taggable resource carries (seed 000 plus ManagedBy)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class StandardTags:
    environment: str
    project: str
    cost_center: str

    def as_dict(self) -> dict[str, str]:
        return {
            "Environment": self.environment,
            "Project": self.project,
            "CostCenter": self.cost_center,
            "ManagedBy": "Pulumi",
        }
