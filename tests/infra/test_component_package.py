"""The components as a Pulumi package: hosted, schema inferred and committed, constructible from any language."""

import ast
import importlib
import importlib.util
import inspect
import json
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

import components
from components.hosted import COMPONENTS
from offline.package_schema import SCHEMA, package_provider, render_schema
from offline.runtime import Evaluation, run_under_mocks
from program.config import ROOT
from tests.package.stranger import plugin_folder


def component_modules() -> Iterator[str]:
    for module in pkgutil.walk_packages(components.__path__, "components."):
        yield module.name


def defined_components() -> set[type[pulumi.ComponentResource]]:
    """Every ComponentResource class defined anywhere under components/."""
    found: set[type[pulumi.ComponentResource]] = set()
    for name in component_modules():
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, pulumi.ComponentResource) and value.__module__ == name:
                found.add(value)
    return found


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render_schema())
    return document


def test_committed_schema_is_the_one_pulumi_infers() -> None:
    assert SCHEMA.read_text() == render_schema(), "run `python3 tasks.py snapshots` and review schema.json"


def test_every_component_is_hosted_under_one_token_scheme(schema: dict[str, Any]) -> None:
    assert set(COMPONENTS) == defined_components()
    assert set(schema["resources"]) == {f"imagepipe:index:{c.__name__}" for c in COMPONENTS}
    assert all(resource["isComponent"] for resource in schema["resources"].values())


def test_every_input_and_output_says_what_it_is(schema: dict[str, Any]) -> None:
    undocumented = [
        f"{token}.{name}"
        for token, resource in schema["resources"].items()
        for kind in ("inputProperties", "properties")
        for name, prop in resource.get(kind, {}).items()
        if not prop.get("description")
    ]
    undocumented += [
        f"{token}.{name}"
        for token, typ in schema["types"].items()
        for name, prop in typ["properties"].items()
        if not prop.get("description")
    ]
    assert undocumented == []


def test_args_use_only_types_every_language_has(schema: dict[str, Any]) -> None:
    # No Any, assets or archives: each input is a string, number, boolean, list, string-keyed map or nested Args.
    text = json.dumps(schema)
    assert "pulumi.json#/Any" not in text
    assert "pulumi.json#/Asset" not in text
    assert "pulumi.json#/Archive" not in text


def test_outputs_each_component_promises(schema: dict[str, Any]) -> None:
    outputs = {token.split(":")[-1]: set(r["properties"]) for token, r in schema["resources"].items()}
    assert outputs == {
        "SecureBucket": {"name", "arn"},
        "ImagePipeline": {
            "uploadBucketName",
            "uploadBucketArn",
            "uploadPrefix",
            "processedBucketName",
            "processedBucketArn",
            "tableName",
            "tableArn",
            "functionName",
            "functionArn",
            "roleName",
            "roleArn",
            "layerArn",
            "logGroupName",
            "failureQueueName",
            "failureQueueArn",
            "failureQueueUrl",
            "renderingFingerprint",
            "reprocessFunctionName",
            "reprocessFunctionArn",
            "reprocessLogGroupName",
            "reprocessJobRoleArn",
            "reprocessBucketName",
            "reprocessBucketArn",
            "reprocessManifestPrefix",
            "reprocessReportPrefix",
        },
        "ImageApi": {
            "apiUrl",
            "apiName",
            "stageName",
            "functionName",
            "roleName",
            "roleArn",
            "accessLogGroupName",
            "userPoolId",
            "userPoolClientId",
        },
        "AlertingSNS": {"criticalTopicArn", "performanceTopicArn", "logAlertsTopicArn", "keyArn", "rawTopicArn"},
        "AlertFormatter": {"functionName", "logGroupArn", "failureQueueName", "ledgerTableName"},
        "PipelineMonitoring": {"namespace", "dashboardName", "dashboardUrl", "alarmArns"},
        "MetricFilters": {"namespace", "metricNames"},
        "Alarms": {"alarmArns"},
        "Dashboard": {"dashboardName", "url"},
        "ComplianceKeys": {"dataKeyArn", "logsKeyArn"},
        "PrivateNetwork": {"vpcId", "subnetIds", "securityGroupId"},
        "AccessRoles": {"auditorRoleArn", "operatorRoleArn"},
        "DevCleanup": {"functionName", "roleName", "roleArn", "scheduleName"},
    }


def test_required_inputs_are_only_what_has_no_sensible_default(schema: dict[str, Any]) -> None:
    required = {token.split(":")[-1]: set(r.get("requiredInputs", [])) for token, r in schema["resources"].items()}
    watched = {
        "functionName",
        "logGroupName",
        "failureQueueName",
        "uploadBucketName",
        "criticalTopicArn",
        "performanceTopicArn",
        "logAlertsTopicArn",
    }
    assert required == {
        "SecureBucket": set(),
        "ImagePipeline": set(),
        "ImageApi": {
            "uploadBucketName",
            "uploadBucketArn",
            "processedBucketName",
            "processedBucketArn",
            "tableName",
            "tableArn",
        },
        "AlertingSNS": set(),
        "PipelineMonitoring": watched,
        "MetricFilters": {"logGroupName", "namespace"},
        "Alarms": {
            "namespace",
            "functionName",
            "failureQueueName",
            "criticalTopicArn",
            "performanceTopicArn",
            "logAlertsTopicArn",
        },
        "Dashboard": {"namespace", "functionName", "failureQueueName", "logGroupName"},
        "AlertFormatter": {
            "criticalTopicArn",
            "performanceTopicArn",
            "logAlertsTopicArn",
            "alertsKeyArn",
            "logGroupName",
            "alarmGuides",
            "stack",
            "dashboardUrl",
        },
        "ComplianceKeys": {"userRoles"},
        "PrivateNetwork": {"logsKeyArn"},
        "AccessRoles": {
            "auditorPrincipals",
            "operatorPrincipals",
            "uploadBucketArn",
            "processedBucketArn",
            "tableArn",
            "logGroupArns",
            "dataKeyArn",
            "logsKeyArn",
        },
        "DevCleanup": {
            "uploadBucketName",
            "uploadBucketArn",
            "processedBucketName",
            "processedBucketArn",
            "tableName",
            "tableArn",
        },
    }


def test_no_component_reads_the_stack_config() -> None:
    offenders = []
    for name in component_modules():
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None
        source = Path(spec.origin).read_text()
        imported = {
            node.module
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and node.module is not None
        }
        imported |= {
            alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import) for alias in node.names
        }
        if any(m == "program" or m.startswith("program.") for m in imported):
            offenders.append(name)
    assert offenders == []


def test_the_package_is_the_plugin_folder_the_cli_runs() -> None:
    # The CLI reads no `main:` for plugins: it runs `python <folder of PulumiPlugin.yaml>`, that folder's
    # __main__.py, with python from venv/ there, built from requirements.txt there.
    assert plugin_folder() == "plugin"
    plugin = ROOT / "plugin"
    manifest = yaml.safe_load((plugin / "PulumiPlugin.yaml").read_text())
    assert manifest == {"runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}}
    assert (plugin / "requirements.txt").is_file()
    assert (plugin / ".gitignore").read_text().splitlines() == ["venv/"]


def test_the_plugins_entry_hosts_every_component_under_the_package_name_and_version() -> None:
    entry = ast.parse((ROOT / "plugin" / "__main__.py").read_text())
    calls = [
        n for n in ast.walk(entry) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "component_provider_host"
    ]
    (call,) = calls
    keywords = {k.arg: ast.unparse(k.value) for k in call.keywords}
    assert keywords == {"components": "list(COMPONENTS)", "name": "PACKAGE", "version": "VERSION"}


# --- constructed as another language would: camelCase inputs through the provider ---

MINIMAL_INPUTS: dict[str, dict[str, Any]] = {
    "SecureBucket": {"tags": {"Team": "web"}},
    "ImagePipeline": {"renditions": [{"name": "thumb", "width": 64, "height": 64, "formats": ["webp"]}]},
    "AlertingSNS": {"criticalEmails": ["oncall@example.com"], "criticalSms": ["+15555550100"]},
    "DevCleanup": {
        "uploadBucketName": "uploads",
        "uploadBucketArn": "arn:aws:s3:::uploads",
        "processedBucketName": "processed",
        "processedBucketArn": "arn:aws:s3:::processed",
        "tableName": "images",
        "tableArn": "arn:aws:dynamodb:eu-west-1:123456789012:table/images",
        "maxAgeDays": 3,
    },
    "ImageApi": {
        "uploadBucketName": "uploads",
        "uploadBucketArn": "arn:aws:s3:::uploads",
        "processedBucketName": "processed",
        "processedBucketArn": "arn:aws:s3:::processed",
        "tableName": "images",
        "tableArn": "arn:aws:dynamodb:eu-west-1:123456789012:table/images",
        "corsOrigins": ["https://app.example.com"],
    },
    "PipelineMonitoring": {
        "functionName": "fn",
        "logGroupName": "/aws/lambda/fn",
        "failureQueueName": "fn-failures",
        "uploadBucketName": "uploads",
        "criticalTopicArn": "arn:aws:sns:eu-west-1:123456789012:critical",
        "performanceTopicArn": "arn:aws:sns:eu-west-1:123456789012:performance",
        "logAlertsTopicArn": "arn:aws:sns:eu-west-1:123456789012:log-alerts",
        "expectTraffic": True,
    },
    "MetricFilters": {"logGroupName": "/aws/lambda/fn", "namespace": "web/prod"},
    "Alarms": {
        "namespace": "web/prod",
        "functionName": "fn",
        "failureQueueName": "fn-failures",
        "criticalTopicArn": "arn:aws:sns:eu-west-1:123456789012:critical",
        "performanceTopicArn": "arn:aws:sns:eu-west-1:123456789012:performance",
        "logAlertsTopicArn": "arn:aws:sns:eu-west-1:123456789012:log-alerts",
        "alarmThresholds": {"rejected-uploads": 3},
    },
    "Dashboard": {
        "namespace": "web/prod",
        "functionName": "fn",
        "failureQueueName": "fn-failures",
        "logGroupName": "/aws/lambda/fn",
    },
    "ComplianceKeys": {"userRoles": ["web-fn-role-*"], "readerRoles": ["web-auditor"]},
    "PrivateNetwork": {"logsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/logs", "availabilityZones": 3},
    "AccessRoles": {
        "auditorPrincipals": ["arn:aws:iam::123456789012:role/auditors"],
        "operatorPrincipals": ["arn:aws:iam::123456789012:role/operators"],
        "uploadBucketArn": "arn:aws:s3:::uploads",
        "processedBucketArn": "arn:aws:s3:::processed",
        "tableArn": "arn:aws:dynamodb:eu-west-1:123456789012:table/images",
        "logGroupArns": ["arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fn"],
        "dataKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/data",
        "logsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/logs",
    },
}


def construct(component: str, inputs: dict[str, Any]) -> Evaluation:
    provider = package_provider()
    return run_under_mocks(lambda: provider.construct("web", f"imagepipe:index:{component}", inputs, None))


@pytest.mark.parametrize("component", sorted(MINIMAL_INPUTS))
def test_every_component_constructs_from_schema_inputs(component: str) -> None:
    ev = construct(component, MINIMAL_INPUTS[component])
    (root,) = [r for r in ev.resources if r.type == f"imagepipe:index:{component}"]
    assert root.name == "web"
    assert any(r.custom for r in ev.resources), "a component that creates nothing"


def test_pipeline_built_from_schema_inputs_uses_them() -> None:
    ev = construct("ImagePipeline", {**MINIMAL_INPUTS["ImagePipeline"], "memoryMb": 2048, "architecture": "x86_64"})
    function = ev.one("aws:lambda/function:Function", "imagepipe-dev-web-image-processor").inputs
    assert (function["memorySize"], function["architectures"]) == (2048, ["x86_64"])
    renditions = json.loads(function["environment"]["variables"]["RENDITIONS"])
    # WebP keeps transparency: no PNG is added for transparent sources unless the rendition asks.
    assert renditions == [{"name": "thumb", "width": 64, "height": 64, "formats": ["webp"], "alpha_formats": []}]


def test_alarm_thresholds_from_schema_inputs_apply() -> None:
    ev = construct("Alarms", MINIMAL_INPUTS["Alarms"])
    # Named after the project, the stack and the component by default (imagepipe, dev, web).
    alarm = ev.one("aws:cloudwatch/metricAlarm:MetricAlarm", "imagepipe-dev-web-rejected-uploads-log-alerts").inputs
    assert alarm["threshold"] == 3


def test_an_unknown_alarm_threshold_is_refused_by_name() -> None:
    with pytest.raises(Exception, match=r"alarm_thresholds\['rejected'\] must be an alarm with a threshold"):
        construct("Alarms", {**MINIMAL_INPUTS["Alarms"], "alarmThresholds": {"rejected": 3}})


def test_a_bad_architecture_is_refused_by_name() -> None:
    with pytest.raises(
        Exception, match=r"ImagePipeline 'web': architecture must be one of arm64, x86_64; got 'arm32' \(a string\)"
    ):
        construct("ImagePipeline", {"architecture": "arm32"})
