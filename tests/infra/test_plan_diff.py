"""`tasks.py plan STACK --against REF`: what a change creates, deletes, updates and replaces, from offline plans."""

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest

from offline import plan
from offline.document import plan_document
from offline.plan_diff import (
    ABSENT,
    HEADER,
    NO_CHANGES,
    Unavailable,
    ValueChange,
    aliases_of,
    compare,
    describe,
    diff_plans,
    diff_values,
    document_urns,
    render,
)
from offline.runtime import Evaluation
from program.config import ROOT

QUEUE = "aws:sqs/queue:Queue"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
PIPELINE = "imagepipe:index:ImagePipeline"


def resource(type_: str, resource_name: str, parent: str | None = None, /, **inputs: Any) -> dict[str, Any]:
    return {"type": type_, "name": resource_name, "parent": parent, "dependsOn": [], "inputs": inputs}


def document(*resources: dict[str, Any], exports: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"stack": "dev", "resources": list(resources), "exports": exports or {}}


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def statement(sid: str, *actions: str) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": list(actions), "Resource": "*"}


def report(old: dict[str, Any], new: dict[str, Any], aliases: dict[str, set[str]] | None = None) -> str:
    return render(diff_plans(old, new, aliases), "dev", "old", "new")


PIPELINE_ENTRY = resource(PIPELINE, "imagepipe-dev")
BASE = document(
    PIPELINE_ENTRY,
    resource(QUEUE, "failures", f"{PIPELINE}::imagepipe-dev", name="imagepipe-dev-failures", retention=345600),
    resource(
        ROLE_POLICY, "role-policy", f"{PIPELINE}::imagepipe-dev", policy=policy(statement("Read", "s3:GetObject"))
    ),
)


def changed(**edits: Any) -> dict[str, Any]:
    """BASE with the queue's inputs edited."""
    new = copy.deepcopy(BASE)
    new["resources"][1]["inputs"].update(edits)
    return new


# --- the pure comparison ---


def test_identical_plans_have_no_changes() -> None:
    diff = diff_plans(BASE, copy.deepcopy(BASE))
    assert diff.empty
    assert report(BASE, BASE).splitlines() == [f"{HEADER} 'dev': old -> new", NO_CHANGES]


def test_a_new_resource_is_created_with_its_parent_and_inputs() -> None:
    new = copy.deepcopy(BASE)
    new["resources"].append(resource(QUEUE, "extra", f"{PIPELINE}::imagepipe-dev", name="imagepipe-dev-extra"))
    text = report(BASE, new)
    assert "1 to create, 0 to update, 0 to replace, 0 to delete" in text
    assert f'+ create   {QUEUE} extra\n      under {PIPELINE}::imagepipe-dev\n      name: "imagepipe-dev-extra"' in text
    assert "WARNING" not in text


def test_a_removed_resource_is_deleted_and_flagged_loudly() -> None:
    new = document(*[r for r in BASE["resources"] if r["name"] != "failures"])
    diff = diff_plans(BASE, new)
    assert [r["name"] for r in diff.deleted] == ["failures"]
    text = report(BASE, new)
    assert "- WARNING: `pulumi up` DELETES 1 resource(s) below (1 removed from the program, 0 replaced)" in text
    assert f"- delete   {QUEUE} failures" in text


def test_a_changed_input_shows_its_path_and_both_values() -> None:
    text = report(BASE, changed(retention=1209600))
    assert f"~ update   {QUEUE} failures\n      retention: 345600 -> 1209600" in text


def test_a_nested_change_names_the_whole_path() -> None:
    old = changed(redrive={"policy": {"maxReceiveCount": 3, "target": "dlq"}})
    new = changed(redrive={"policy": {"maxReceiveCount": 5, "target": "dlq"}})
    assert diff_plans(old, new).updated[0].changes == (ValueChange("redrive.policy.maxReceiveCount", 3, 5),)


def test_an_input_that_appears_or_goes_is_absent_on_one_side() -> None:
    new = changed(kmsMasterKeyId="alias/data")
    del new["resources"][1]["inputs"]["retention"]
    text = report(BASE, new)
    assert 'kmsMasterKeyId: (absent) -> "alias/data"' in text
    assert "retention: 345600 -> (absent)" in text


def test_true_is_not_the_number_one() -> None:
    assert diff_values({"enabled": 1}, {"enabled": True}) == [ValueChange("enabled", 1, True)]


def test_statements_are_matched_by_sid_not_by_position() -> None:
    # GIVEN a statement inserted before the existing one
    new = copy.deepcopy(BASE)
    new["resources"][2]["inputs"]["policy"] = policy(statement("Kms", "kms:Decrypt"), statement("Read", "s3:GetObject"))
    # THEN only the new statement shows, field by field; the old one is not reported as rewritten
    (change,) = diff_plans(BASE, new).updated
    assert [c.path for c in change.changes] == [
        "policy.Statement[Sid=Kms].Action",
        "policy.Statement[Sid=Kms].Effect",
        "policy.Statement[Sid=Kms].Resource",
        "policy.Statement[Sid=Kms].Sid",
    ]
    assert describe(change.changes[0]) == 'policy.Statement[Sid=Kms].Action: + "kms:Decrypt"'


def test_a_plain_list_shows_the_items_gained_and_lost() -> None:
    new = copy.deepcopy(BASE)
    new["resources"][2]["inputs"]["policy"] = policy(statement("Read", "s3:GetObject", "s3:GetObjectTagging"))
    old = copy.deepcopy(BASE)
    old["resources"][2]["inputs"]["policy"] = policy(statement("Read", "s3:GetObject", "s3:DeleteObject"))
    text = report(old, new)
    assert 'policy.Statement[Sid=Read].Action: + "s3:GetObjectTagging", - "s3:DeleteObject"' in text


def test_a_list_without_names_is_compared_by_position() -> None:
    changes = diff_values({"rules": [{"days": 30}]}, {"rules": [{"days": 30}, {"days": 90}]})
    assert changes == [ValueChange("rules[1].days", ABSENT, 90)]


def test_a_key_with_dots_is_quoted_in_the_path() -> None:
    changes = diff_values({"c": {"token.actions:sub": "a"}}, {"c": {"token.actions:sub": "b"}})
    assert changes == [ValueChange('c["token.actions:sub"]', "a", "b")]


def test_a_long_value_is_shortened_where_it_differs() -> None:
    before = "Why it matters: " + "x" * 300 + " threshold 5 errors"
    after = "Why it matters: " + "x" * 300 + " threshold 9 errors"
    line = describe(ValueChange("alarmDescription", before, after))
    assert len(line) < 200
    assert "threshold 5 errors" in line
    assert "threshold 9 errors" in line


def test_a_dependency_only_change_is_reported_apart_from_updates() -> None:
    new = copy.deepcopy(BASE)
    new["resources"][1]["dependsOn"] = [f"{ROLE_POLICY}::role-policy"]
    diff = diff_plans(BASE, new)
    assert diff.updated == ()
    assert [c.label for c in diff.rewired] == [f"{QUEUE}::failures"]
    assert "0 to update, 0 to replace, 0 to delete; 1 only depend on other resources" in report(BASE, new)


def test_changed_exports_are_listed() -> None:
    old = document(exports={"api_url": "https://a.example"})
    new = document(exports={"api_url": "https://b.example"})
    assert '~ exports\n      api_url: "https://a.example" -> "https://b.example"' in report(old, new)


# --- identity: type and parent moves ---


def test_a_type_change_without_an_alias_is_a_replacement() -> None:
    old = document(resource("aws:s3/bucketV2:BucketV2", "uploads", bucket="u"))
    new = document(resource("aws:s3/bucket:Bucket", "uploads", bucket="u"))
    (change,) = diff_plans(old, new, aliases={}).replaced
    assert change.old_label == "aws:s3/bucketV2:BucketV2::uploads"
    text = report(old, new, aliases={})
    assert "+- replace aws:s3/bucket:Bucket uploads" in text
    assert "type aws:s3/bucketV2:BucketV2 -> aws:s3/bucket:Bucket: a new URN that no alias names" in text
    assert "DELETES 1 resource(s) below (0 removed from the program, 1 replaced)" in text


def test_a_type_change_with_an_alias_keeps_the_resource() -> None:
    old = document(resource("aws:s3/bucketV2:BucketV2", "uploads", bucket="u"))
    new = document(resource("aws:s3/bucket:Bucket", "uploads", bucket="u"))
    old_urn = document_urns(old)["aws:s3/bucketV2:BucketV2::uploads"]
    diff = diff_plans(old, new, aliases={"aws:s3/bucket:Bucket::uploads": {old_urn}})
    assert diff.replaced == ()
    (change,) = diff.updated
    assert change.identity is not None
    assert change.identity.endswith("an alias names its old URN, so it is kept")


def test_a_move_under_another_component_type_changes_the_urn() -> None:
    other = resource("imagepipe:index:Other", "other")
    old = document(PIPELINE_ENTRY, other, resource(QUEUE, "q", f"{PIPELINE}::imagepipe-dev"))
    new = document(PIPELINE_ENTRY, other, resource(QUEUE, "q", "imagepipe:index:Other::other"))
    # both sides from git refs: the aliases are unknown
    (change,) = diff_plans(old, new).replaced
    assert change.identity == (
        f"parent {PIPELINE}::imagepipe-dev -> imagepipe:index:Other::other: "
        "a new URN, so it is replaced unless an alias names the old one"
    )


def test_a_move_under_a_parent_of_the_same_type_keeps_the_urn() -> None:
    second = resource(PIPELINE, "second")
    old = document(PIPELINE_ENTRY, second, resource(QUEUE, "q", f"{PIPELINE}::imagepipe-dev"))
    new = document(PIPELINE_ENTRY, second, resource(QUEUE, "q", f"{PIPELINE}::second"))
    diff = diff_plans(old, new)
    assert diff.replaced == ()
    assert diff.updated[0].identity is not None
    assert diff.updated[0].identity.endswith("(same URN: updated in place)")


def test_urns_rebuilt_from_the_plan_are_the_engines(dev: Evaluation) -> None:
    assert document_urns(plan_document(dev, "dev")) == {f"{r.type}::{r.name}": r.urn for r in dev.resources}


def test_the_programs_own_aliases_keep_buckets_from_their_old_component_type(dev: Evaluation) -> None:
    # GIVEN the dev plan as it was when SecureBucket's type token was imagepipe:storage:SecureBucket
    new = plan_document(dev, "dev")
    old = copy.deepcopy(new)
    for entry in old["resources"]:
        entry["type"] = entry["type"].replace("imagepipe:index:SecureBucket", "imagepipe:storage:SecureBucket")
        if entry["parent"]:
            entry["parent"] = entry["parent"].replace("imagepipe:index:SecureBucket", "imagepipe:storage:SecureBucket")
    # WHEN compared with the program's aliases THEN nothing is replaced: the buckets and their children stay
    diff = diff_plans(old, new, aliases_of(dev))
    assert diff.replaced == () and diff.deleted == () and diff.created == ()
    assert {c.label for c in diff.updated} >= {"aws:s3/bucket:Bucket::imagepipe-dev-uploads"}
    # AND without them, every one of those resources would be replaced
    assert len(diff_plans(old, new, aliases={}).replaced) == len(diff.updated)


# --- the command: git worktrees and the ref's own program in a subprocess ---


def git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"]
    return subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


# A stand-in offline plan for throwaway repositories: writes a one-queue plan, or fails when told to.
FAKE_PLAN = """\
import json, sys
stack, target = sys.argv[1], sys.argv[sys.argv.index("--json") + 1]
if open("mode").read().strip() == "fail":
    sys.exit("the program raised: boom")
queue = {"type": "aws:sqs/queue:Queue", "name": "q", "parent": None, "dependsOn": [], "inputs": {"name": "q"}}
json.dump({"stack": stack, "resources": [queue], "exports": {}}, open(target, "w"))
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    (tmp_path / "README.md").write_text("an old commit, before any offline plan\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "before the offline plan")
    git(tmp_path, "tag", "no-plan")
    (tmp_path / "offline").mkdir()
    (tmp_path / "offline" / "__init__.py").write_text("")
    (tmp_path / "offline" / "plan.py").write_text(FAKE_PLAN)
    (tmp_path / "mode").write_text("ok\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "an offline plan, no dev stack yet")
    git(tmp_path, "tag", "no-stack")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "the dev stack")
    git(tmp_path, "tag", "with-stack")
    (tmp_path / "mode").write_text("fail\n")
    git(tmp_path, "commit", "-q", "-am", "a program that fails")
    git(tmp_path, "tag", "failing")
    return tmp_path


def worktrees(repo: Path) -> list[str]:
    return [line for line in git(repo, "worktree", "list", "--porcelain").splitlines() if line.startswith("worktree ")]


def test_a_stack_new_at_head_is_created_whole(repo: Path) -> None:
    text = compare("dev", "no-stack", head="with-stack", repo=repo)
    assert "(stack 'dev' does not exist at no-stack" in text
    assert "+ create   aws:sqs/queue:Queue q" in text
    assert len(worktrees(repo)) == 1


def test_a_ref_without_an_offline_plan_says_so(repo: Path) -> None:
    with pytest.raises(Unavailable, match=r"no-plan \([0-9a-f]{7}\) has no offline plan"):
        compare("dev", "no-plan", head="with-stack", repo=repo)


def test_a_failing_ref_program_is_reported_and_its_worktree_removed(repo: Path) -> None:
    with pytest.raises(Unavailable, match=r"its offline plan failed \(exit 1\):\nthe program raised: boom") as raised:
        compare("dev", "failing", head="with-stack", repo=repo)
    assert raised.value.exit_code == 1
    assert len(worktrees(repo)) == 1


def test_an_unknown_ref_exits_2_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert plan.main(["dev", "--against", "no-such-ref-anywhere"]) == 2
    out = capsys.readouterr().out
    assert out.startswith(f"{HEADER} 'dev': cannot compare with no-such-ref-anywhere: 'no-such-ref-anywhere' is not")


def test_against_and_json_do_not_combine() -> None:
    with pytest.raises(SystemExit):
        plan.main(["dev", "--against", "HEAD", "--json", "out.json"])


def test_head_against_head_through_two_worktrees_has_no_changes() -> None:
    # GIVEN this repository's HEAD on both sides, each evaluated by its own tree's program in a subprocess
    before = worktrees(ROOT)
    text = compare("dev", "HEAD", head="HEAD")
    assert text.splitlines()[0].startswith(f"{HEADER} 'dev': HEAD (")
    assert text.splitlines()[-1] == NO_CHANGES
    assert worktrees(ROOT) == before
