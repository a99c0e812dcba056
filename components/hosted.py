"""The components the package hosts: what `pulumi package add` gives another project, in any language.

The plugin's entry point (`plugin/__main__.py`) and the schema test both read this list, so a
component added here is in the package and in the committed `schema.json` at once.
"""

from typing import Final

import pulumi

from components.compliance.access_roles import AccessRoles
from components.compliance.keys import ComplianceKeys
from components.compliance.network import PrivateNetwork
from components.dev_cleanup import DevCleanup
from components.image_api import ImageApi
from components.image_pipeline import ImagePipeline
from components.monitoring.alarms import Alarms
from components.monitoring.alert_formatter import AlertFormatter
from components.monitoring.alerting_sns import AlertingSNS
from components.monitoring.dashboard import Dashboard
from components.monitoring.metric_filters import MetricFilters
from components.monitoring.pipeline_monitoring import PipelineMonitoring
from components.secure_bucket import SecureBucket

COMPONENTS: Final[tuple[type[pulumi.ComponentResource], ...]] = (
    SecureBucket,
    ImagePipeline,
    ImageApi,
    AlertingSNS,
    PipelineMonitoring,
    MetricFilters,
    Alarms,
    Dashboard,
    AlertFormatter,
    ComplianceKeys,
    PrivateNetwork,
    AccessRoles,
    DevCleanup,
)
