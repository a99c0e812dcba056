"""The offline plan: what `pulumi up` would create for a stack, without the CLI or AWS.

    python3 tasks.py plan dev            # print the plan, write out/plan-dev.json
    python -m offline.plan prod --json out/prod.json
    python3 tasks.py plan prod --against origin/main   # what the working tree changes (offline/plan_diff.py)

Resources are grouped by component, each with the settings a reviewer checks.
"""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from offline.document import dumps, plan_document
from offline.runtime import Evaluation, RecordedResource, evaluate_program
from program.config import ROOT, ConfigError

Summary = Callable[[dict[str, Any]], list[str]]


def _lifecycle(i: dict[str, Any]) -> list[str]:
    lines = []
    for rule in i.get("rules", []):
        what = []
        for t in rule.get("transitions") or []:
            what.append(f"to {t['storageClass']} after {int(t['days'])} d")
        if exp := rule.get("expiration"):
            what.append(f"expire after {int(exp['days'])} d")
        if nc := rule.get("noncurrentVersionExpiration"):
            what.append(f"noncurrent versions expire after {int(nc['noncurrentDays'])} d")
        if ab := rule.get("abortIncompleteMultipartUpload"):
            what.append(f"abort multipart after {int(ab['daysAfterInitiation'])} d")
        tag = (rule.get("filter") or {}).get("tag")
        scope = f" [tag {tag['key']}={tag['value']}]" if tag else ""
        lines.append(f"rule {rule['id']}{scope}: {', '.join(what)}")
    return lines


def _policy(i: dict[str, Any]) -> list[str]:
    import json

    doc = json.loads(i["policy"])
    lines = []
    for s in doc["Statement"]:
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        resources = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
        cond = f" if {json.dumps(s['Condition'])}" if "Condition" in s else ""
        lines.append(f"{s['Effect']} {s.get('Sid', '')}: {', '.join(actions)} on {', '.join(resources)}{cond}")
    return lines


def _function(i: dict[str, Any]) -> list[str]:
    log = i.get("loggingConfig", {})
    env = i.get("environment", {}).get("variables", {})
    return [
        f"{i['runtime']} {'/'.join(i['architectures'])}, {int(i['memorySize'])} MB, timeout {int(i['timeout'])} s",
        f"reserved concurrency {int(i.get('reservedConcurrentExecutions', -1))}, "
        f"tracing {i.get('tracingConfig', {}).get('mode')}",
        f"logs {log.get('logFormat')} to {log.get('logGroup')}",
        "env " + ", ".join(sorted(env)),
    ]


SUMMARIES: dict[str, Summary] = {
    "aws:s3/bucket:Bucket": lambda i: [f"forceDestroy={i.get('forceDestroy', False)}"],
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": lambda i: [
        "blocks: " + ", ".join(k for k in sorted(i) if k != "bucket" and i[k] is True)
    ],
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": lambda i: [
        f"{r['applyServerSideEncryptionByDefault']['sseAlgorithm']}, bucket key {r.get('bucketKeyEnabled')}"
        for r in i["rules"]
    ],
    "aws:s3/bucketVersioning:BucketVersioning": lambda i: [i["versioningConfiguration"]["status"]],
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": lambda i: [i["rule"]["objectOwnership"]],
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _lifecycle,
    "aws:s3/bucketPolicy:BucketPolicy": _policy,
    "aws:iam/rolePolicy:RolePolicy": _policy,
    "aws:s3/bucketNotification:BucketNotification": lambda i: [
        f"{', '.join(f['events'])} under {f.get('filterPrefix', '')!r} -> {f['lambdaFunctionArn']}"
        for f in i.get("lambdaFunctions", [])
    ],
    "aws:lambda/function:Function": _function,
    "aws:lambda/permission:Permission": lambda i: [
        f"{i['principal']} may {i['action']} from {i.get('sourceArn')} (account {i.get('sourceAccount')})"
    ],
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": lambda i: [
        f"retries {int(i['maximumRetryAttempts'])}, max age {int(i['maximumEventAgeInSeconds'])} s, "
        f"on failure -> {(i.get('destinationConfig') or {}).get('onFailure', {}).get('destination', 'dropped')}"
    ],
    "aws:cloudwatch/logGroup:LogGroup": lambda i: [f"{i['name']}, retention {int(i['retentionInDays'])} d"],
    "aws:dynamodb/table:Table": lambda i: [
        f"{i['name']}: {i['billingMode']}, PITR {i['pointInTimeRecovery']['enabled']}, "
        f"SSE {(i.get('serverSideEncryption') or {}).get('kmsKeyArn') or 'AWS-owned key'}, "
        f"deletion protection {i.get('deletionProtectionEnabled')}",
        *(
            f"index {g['name']}: " + ", ".join(f"{k['attributeName']} {k['keyType']}" for k in g["keySchemas"])
            for g in i.get("globalSecondaryIndexes", [])
        ),
    ],
    "aws:sqs/queue:Queue": lambda i: [
        f"{i['name']}: retention {int(i['messageRetentionSeconds'])} s, "
        f"SSE {'KMS ' + i['kmsMasterKeyId'] if i.get('kmsMasterKeyId') else 'SQS-managed'}"
    ],
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": lambda i: [
        f"{i['metricTransformation']['namespace']}/{i['metricTransformation']['name']} = "
        f"{i['metricTransformation']['value']} when {i['pattern']} "
        f"(default {i['metricTransformation'].get('defaultValue')})"
    ],
    "aws:cloudwatch/metricAlarm:MetricAlarm": lambda i: [
        _alarm_condition(i["alarmDescription"]),
        f"missing data {i['treatMissingData']}; actions -> {', '.join(i.get('alarmActions') or ['none'])}",
    ],
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": lambda i: [
        i["alarmRule"],
        f"actions -> {', '.join(i['alarmActions'])} (OK too)",
    ],
    "aws:s3/bucketMetric:BucketMetric": lambda i: [f"request metrics {i['name']} on prefix {i['filter']['prefix']}"],
    "aws:apigateway/method:Method": lambda i: [f"{i['httpMethod']}, authorization {i['authorization']}"],
    "aws:apigateway/stage:Stage": lambda i: [
        f"stage {i['stageName']}, X-Ray {i.get('xrayTracingEnabled')}, "
        f"access logs -> {i.get('accessLogSettings', {}).get('destinationArn')}"
    ],
    "aws:apigateway/methodSettings:MethodSettings": lambda i: [
        f"{i['methodPath']}: {i['settings'].get('throttlingRateLimit')} req/s, "
        f"burst {i['settings'].get('throttlingBurstLimit')}"
    ],
    "aws:sns/topic:Topic": lambda i: [f"{i['name']}, KMS {i.get('kmsMasterKeyId')}"],
    "aws:sns/topicSubscription:TopicSubscription": lambda i: [f"{i['protocol']} {i['endpoint']}"],
    "aws:kms/key:Key": lambda i: [f"rotation {i.get('enableKeyRotation')}", *_policy(i)],
    "aws:sns/topicPolicy:TopicPolicy": _policy,
    "aws:lambda/layerVersion:LayerVersion": lambda i: [
        f"{i['layerName']} for {', '.join(i['compatibleRuntimes'])} {', '.join(i['compatibleArchitectures'])}"
    ],
}


def _alarm_condition(description: str) -> str:
    """The Condition line of a paging alarm's description; a condition alarm's whole one-line description."""
    lines = description.splitlines()
    return next((line for line in lines if line.startswith("Condition:")), lines[0])


def _summary(r: RecordedResource) -> list[str]:
    summarise = SUMMARIES.get(r.type)
    return summarise(r.inputs) if summarise else []


def render(evaluation: Evaluation, stack: str) -> str:
    children: dict[str, list[RecordedResource]] = {}
    for r in evaluation.resources:
        children.setdefault(r.parent_urn, []).append(r)
    lines = [f"Offline plan for stack {stack!r}: {len(evaluation.resources)} resources to create", ""]

    def walk(parent_urn: str, depth: int) -> None:
        for r in sorted(children.get(parent_urn, []), key=lambda x: (x.custom, x.type, x.name)):
            indent = "  " * depth
            short_type = r.type.split(":")[-1]
            lines.append(f"{indent}+ {short_type} {r.name}")
            lines.extend(f"{indent}    {s}" for s in _summary(r))
            walk(r.urn, depth + 1)

    roots = {r.parent_urn for r in evaluation.resources} - {r.urn for r in evaluation.resources}
    for root in sorted(roots):
        walk(root, 0)
    lines += ["", "Exports:"]
    lines += [f"  {k}: {v}" for k, v in sorted(evaluation.exports.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="plan", description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("stack", nargs="?", default="dev", help="stack name (dev or prod)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", type=Path, default=None, help="where to write the plan (default out/plan-STACK.json)")
    output.add_argument(
        "--against",
        metavar="REF",
        default=None,
        help="instead of the plan, print what changes from REF's program (a git ref) to the working tree's",
    )
    args = parser.parse_args(argv)
    if args.against is not None:
        from offline import plan_diff  # only this path needs git and a subprocess

        return plan_diff.main(args.stack, args.against)
    try:
        evaluation = evaluate_program(args.stack)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    print(render(evaluation, args.stack))
    target: Path = args.json or ROOT / "out" / f"plan-{args.stack}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(plan_document(evaluation, args.stack)))
    print(f"\nplan written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
