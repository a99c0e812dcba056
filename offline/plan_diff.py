"""What a change does to a stack, read from two offline plans: resources created, deleted, updated, replaced.

    python3 tasks.py plan prod --against origin/main    # the working tree against a branch
    python -m offline.plan dev --against HEAD~1

The ref's own program is evaluated offline in a temporary git worktree (``git worktree add --detach``,
always removed afterwards), in a subprocess of this venv's python running that tree's
``python -m offline.plan STACK --json FILE``; the working tree is evaluated in this process. The two plan
documents (offline/document.py) are then compared the way the engine matches resources: by URN, or by an
alias of the new resource that names the old URN. A resource whose type or parent moves it to a new URN
that no alias names is replaced: ``pulumi up`` deletes the old one and creates the new one.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from components.lambda_code import ENV_SKIP_LAYER_BUILD
from offline.document import plan_document, resource_label
from offline.identity import alias_urns, make_urn
from offline.runtime import Evaluation, evaluate_program
from program.config import PROJECT, ROOT, ConfigError

PlanDocument = dict[str, Any]

HEADER: Final = "Offline plan diff for stack"
NO_CHANGES: Final = "no changes"
# A value longer than this is shortened in the report; the plan files hold it whole.
MAX_VALUE: Final = 100
# Inputs shown under a created resource (`python3 tasks.py plan STACK` shows all of it).
MAX_CREATED_INPUTS: Final = 8
# Items a plain list gains or loses, shown one by one up to this many.
MAX_LIST_ITEMS: Final = 12
# Dependencies order operations but are no AWS setting: their change is reported apart.
DEPENDS_ON: Final = "(dependsOn)"
# The ref's program runs in a subprocess; an offline evaluation takes seconds.
REF_PLAN_TIMEOUT_S: Final = 300
# What a tree needs for its plan to be read: the command and its --json option.
OFFLINE_PLAN: Final = "offline/plan.py"


class _Absent:
    """A key or list item that one side does not have."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Final = _Absent()


class Unavailable(Exception):
    """The diff cannot be made; the message says why, `exit_code` what the command returns."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class ValueChange:
    """One input (or export) path whose value differs; ABSENT on the side that lacks it."""

    path: str
    old: object
    new: object


@dataclass(frozen=True)
class ResourceChange:
    """A resource on both sides: what differs in its inputs, and whether its identity moves."""

    label: str
    changes: tuple[ValueChange, ...]
    old_label: str | None = None
    identity: str | None = None
    replaced: bool = False

    @property
    def dependencies_only(self) -> bool:
        """Nothing AWS sees changes: only the order of operations (no URN move, no input)."""
        return not (self.old_label or self.identity or self.replaced) and all(
            c.path == DEPENDS_ON for c in self.changes
        )


@dataclass(frozen=True)
class PlanDiff:
    created: tuple[PlanDocument, ...] = ()
    deleted: tuple[PlanDocument, ...] = ()
    updated: tuple[ResourceChange, ...] = ()
    replaced: tuple[ResourceChange, ...] = ()
    rewired: tuple[ResourceChange, ...] = ()
    exports: tuple[ValueChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.created or self.deleted or self.updated or self.replaced or self.rewired or self.exports)


# --- the pure comparison ---


def label(entry: Mapping[str, Any]) -> str:
    """How the plan document names a resource (and a parent): ``type::name``."""
    return f"{entry['type']}::{entry['name']}"


def document_urns(document: Mapping[str, Any], project: str = PROJECT) -> dict[str, str]:
    """Each resource's URN, rebuilt from the parent chain the document records."""
    entries = {label(e): e for e in document["resources"]}
    urns: dict[str, str] = {}

    def urn(key: str) -> str:
        if key not in urns:
            entry = entries[key]
            parent = entry.get("parent")
            parent_urn = urn(parent) if parent in entries else None
            urns[key] = make_urn(document["stack"], project, parent_urn, entry["type"], entry["name"])
        return urns[key]

    for key in entries:
        urn(key)
    return urns


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _same_scalar(a: object, b: object) -> bool:
    # type first: True == 1 in Python, not in a plan
    return type(a) is type(b) and a == b


def _scalar_list(value: object) -> bool:
    return isinstance(value, list) and all(_is_scalar(v) for v in value)


_PLAIN_KEY = re.compile(r"^[^.\[\]\"\s]+$")
# Fields that name an item of a list of objects: IAM statements (Sid), lifecycle rules and metric queries (id).
ITEM_KEYS: Final = ("Sid", "id", "name")


def _item_key(old: list[Any], new: list[Any]) -> str | None:
    """The field every object of both lists carries, unique within each list, if there is one."""
    for key in ITEM_KEYS:
        sides = [[item.get(key) if isinstance(item, dict) else None for item in side] for side in (old, new)]
        if all(isinstance(v, str) for side in sides for v in side) and all(len(set(s)) == len(s) for s in sides):
            return key
    return None


def _join(path: str, key: str) -> str:
    part = key if _PLAIN_KEY.match(key) else f"[{json.dumps(key)}]"
    if not path:
        return part
    return f"{path}{part}" if part.startswith("[") else f"{path}.{part}"


def diff_values(old: object, new: object, path: str = "") -> list[ValueChange]:
    """Every path where two JSON values differ. Objects by key; lists of objects by the field that names their
    items (``Statement[Sid=TlsOnly]``), else by index; a list of plain values (actions, events, formats) is one
    change, which the report shows as the items added and removed."""
    # An object that appears or goes is shown field by field, so a new statement reads in full.
    if isinstance(old, dict) and new is ABSENT:
        new = {}
    if old is ABSENT and isinstance(new, dict):
        old = {}
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[ValueChange] = []
        for key in sorted(set(old) | set(new)):
            changes += diff_values(old.get(key, ABSENT), new.get(key, ABSENT), _join(path, key))
        return changes
    if isinstance(old, list) and isinstance(new, list):
        if _scalar_list(old) and _scalar_list(new):
            same = len(old) == len(new) and all(_same_scalar(a, b) for a, b in zip(old, new, strict=True))
            return [] if same else [ValueChange(path, old, new)]
        changes = []
        if (key := _item_key(old, new)) is not None:
            old_items = {item[key]: item for item in old}
            new_items = {item[key]: item for item in new}
            names = list(old_items) + [n for n in new_items if n not in old_items]
            for name in names:
                part = f"[{key}={name}]" if _PLAIN_KEY.match(name) else f"[{key}={json.dumps(name)}]"
                changes += diff_values(old_items.get(name, ABSENT), new_items.get(name, ABSENT), path + part)
            return changes
        for i in range(max(len(old), len(new))):
            a = old[i] if i < len(old) else ABSENT
            b = new[i] if i < len(new) else ABSENT
            changes += diff_values(a, b, f"{path}[{i}]")
        return changes
    if _is_scalar(old) and _is_scalar(new) and _same_scalar(old, new):
        return []
    if old is ABSENT and new is ABSENT:
        return []
    return [ValueChange(path, old, new)]


def _resource_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[ValueChange, ...]:
    changes = diff_values(old.get("inputs", {}), new.get("inputs", {}))
    changes += diff_values(old.get("dependsOn", []), new.get("dependsOn", []), DEPENDS_ON)
    return tuple(changes)


def _identity_move(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    moves = []
    if old["type"] != new["type"]:
        moves.append(f"type {old['type']} -> {new['type']}")
    if old["name"] != new["name"]:
        moves.append(f"name {old['name']} -> {new['name']}")
    if old.get("parent") != new.get("parent"):
        moves.append(f"parent {old.get('parent') or '(the stack)'} -> {new.get('parent') or '(the stack)'}")
    return ", ".join(moves) or "an ancestor moved"


def diff_plans(
    old: Mapping[str, Any], new: Mapping[str, Any], aliases: Mapping[str, Collection[str]] | None = None
) -> PlanDiff:
    """Compare two plan documents of one stack.

    `aliases` maps a new resource's label to every old URN it answers to (``offline.identity.alias_urns``);
    None when unknown (both sides read from git refs), and then a moved resource is reported as replaced
    unless an alias names its old URN.
    """
    old_entries = {label(e): e for e in old["resources"]}
    new_entries = {label(e): e for e in new["resources"]}
    old_urns, new_urns = document_urns(old), document_urns(new)
    unknown_aliases = aliases is None
    known = aliases or {}

    updated: list[ResourceChange] = []
    replaced: list[ResourceChange] = []
    rewired: list[ResourceChange] = []

    def verdict(key: str, old_key: str, moved: bool) -> tuple[str | None, bool]:
        if not moved:
            return None, False
        what = _identity_move(old_entries[old_key], new_entries[key])
        if old_urns[old_key] in known.get(key, ()):
            return f"{what}: an alias names its old URN, so it is kept", False
        if unknown_aliases:
            return f"{what}: a new URN, so it is replaced unless an alias names the old one", True
        return f"{what}: a new URN that no alias names, so it is deleted and created anew", True

    def pair(key: str, old_key: str) -> None:
        moved = old_urns[old_key] != new_urns[key]
        identity, is_replaced = verdict(key, old_key, moved)
        if not moved and old_entries[old_key].get("parent") != new_entries[key].get("parent"):
            identity = _identity_move(old_entries[old_key], new_entries[key]) + " (same URN: updated in place)"
        change = ResourceChange(
            label=key,
            changes=_resource_changes(old_entries[old_key], new_entries[key]),
            old_label=old_key if old_key != key else None,
            identity=identity,
            replaced=is_replaced,
        )
        if is_replaced:
            replaced.append(change)
        elif change.changes and change.dependencies_only:
            rewired.append(change)
        elif change.changes or change.identity or change.old_label:
            updated.append(change)

    for key in sorted(old_entries.keys() & new_entries.keys()):
        pair(key, key)

    old_left = {k for k in old_entries if k not in new_entries}
    new_left = {k for k in new_entries if k not in old_entries}
    by_old_urn = {old_urns[k]: k for k in old_left}
    # An alias naming an old URN: the engine keeps the resource under its new type, name or parent.
    for key in sorted(new_left):
        claimed = sorted(by_old_urn[u] for u in known.get(key, ()) if u in by_old_urn and by_old_urn[u] in old_left)
        if claimed:
            old_key = claimed[0]
            old_left.discard(old_key)
            new_left.discard(key)
            pair(key, old_key)
    # The same name under another type, nothing aliasing it: one resource replaced, not two unrelated ones.
    for name in sorted({new_entries[k]["name"] for k in new_left}):
        olds = [k for k in old_left if old_entries[k]["name"] == name]
        news = [k for k in new_left if new_entries[k]["name"] == name]
        if len(olds) == 1 and len(news) == 1:
            old_left.discard(olds[0])
            new_left.discard(news[0])
            pair(news[0], olds[0])

    return PlanDiff(
        created=tuple(new_entries[k] for k in sorted(new_left)),
        deleted=tuple(old_entries[k] for k in sorted(old_left)),
        updated=tuple(updated),
        replaced=tuple(replaced),
        rewired=tuple(rewired),
        exports=tuple(diff_values(old.get("exports", {}), new.get("exports", {}))),
    )


# --- the report ---


def _json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def shorten(text: str, limit: int = MAX_VALUE) -> str:
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text)} chars)"


def _show(value: object) -> str:
    return "(absent)" if value is ABSENT else shorten(_json(value))


def _string_pair(old: str, new: str) -> tuple[str, str]:
    """Two long strings cut to where they differ, with a little context either side."""
    a, b = _json(old), _json(new)
    if len(a) <= MAX_VALUE and len(b) <= MAX_VALUE:
        return a, b
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    context = 30
    lo = max(0, start - context)

    def window(s: str) -> str:
        hi = len(s) - max(0, end - context)
        return ("…" if lo else "") + shorten(s[lo:hi]) + ("…" if hi < len(s) else "")

    return window(a), window(b)


def describe(change: ValueChange) -> str:
    """`path: old -> new`, or the items a plain list gained and lost."""
    old, new = change.old, change.new
    if (_scalar_list(old) or old is ABSENT) and (_scalar_list(new) or new is ABSENT) and old is not new:
        before: list[Any] = old if isinstance(old, list) else []
        after: list[Any] = new if isinstance(new, list) else []
        gained = [v for v in after if not any(_same_scalar(v, o) for o in before)]
        lost = [v for v in before if not any(_same_scalar(v, n) for n in after)]
        if gained or lost:
            parts = [f"+ {_show(v)}" for v in gained] + [f"- {_show(v)}" for v in lost]
            more = f", … {len(parts) - MAX_LIST_ITEMS} more" if len(parts) > MAX_LIST_ITEMS else ""
            return f"{change.path}: {', '.join(parts[:MAX_LIST_ITEMS])}{more}"
        if isinstance(old, list) and isinstance(new, list):
            return f"{change.path}: reordered {_show(old)} -> {_show(new)}"
    if isinstance(old, str) and isinstance(new, str):
        a, b = _string_pair(old, new)
        return f"{change.path}: {a} -> {b}"
    return f"{change.path}: {_show(old)} -> {_show(new)}"


def _title(key: str) -> str:
    """A label (``type::name``) as the report names the resource: ``type name``."""
    type_, name = key.split("::", 1)
    return f"{type_} {name}"


def _entry_title(entry: Mapping[str, Any]) -> str:
    return _title(label(entry))


def render(diff: PlanDiff, stack: str, old_name: str, new_name: str, notes: Collection[str] = ()) -> str:
    lines = [f"{HEADER} {stack!r}: {old_name} -> {new_name}", *notes]
    if diff.empty:
        return "\n".join([*lines, NO_CHANGES])
    counts = [
        f"{len(diff.created)} to create",
        f"{len(diff.updated)} to update",
        f"{len(diff.replaced)} to replace",
        f"{len(diff.deleted)} to delete",
    ]
    extra = [f"{len(diff.exports)} exports change"] if diff.exports else []
    extra += [f"{len(diff.rewired)} only depend on other resources"] if diff.rewired else []
    lines.append(", ".join(counts) + "".join(f"; {e}" for e in extra))
    lost = len(diff.deleted) + len(diff.replaced)
    if lost:
        lines += [
            "",
            f"- WARNING: `pulumi up` DELETES {lost} resource(s) below ({len(diff.deleted)} removed from the "
            f"program, {len(diff.replaced)} replaced) and whatever they hold (objects, items, messages, logs).",
        ]
    for entry in diff.deleted:
        lines += ["", f"- delete   {_entry_title(entry)}"]
        lines.append(f"      was under {entry.get('parent') or '(the stack)'}")
    for change in diff.replaced:
        lines += ["", f"+- replace {_title(change.label)}", f"      {change.identity}"]
        lines += [f"      {describe(c)}" for c in change.changes]
    for entry in diff.created:
        lines += ["", f"+ create   {_entry_title(entry)}", f"      under {entry.get('parent') or '(the stack)'}"]
        inputs = [ValueChange(k, ABSENT, v) for k, v in sorted(entry.get("inputs", {}).items())]
        lines += [f"      {c.path}: {_show(c.new)}" for c in inputs[:MAX_CREATED_INPUTS]]
        if len(inputs) > MAX_CREATED_INPUTS:
            lines.append(f"      … {len(inputs) - MAX_CREATED_INPUTS} more inputs: python3 tasks.py plan {stack}")
    for change in diff.updated:
        lines += ["", f"~ update   {_title(change.label)}"]
        if change.old_label:
            lines.append(f"      was {_title(change.old_label)}")
        if change.identity:
            lines.append(f"      {change.identity}")
        lines += [f"      {describe(c)}" for c in change.changes]
    if diff.exports:
        lines += ["", "~ exports"]
        lines += [f"      {describe(c)}" for c in diff.exports]
    if diff.rewired:
        lines += ["", f"  dependencies only (the order of operations; nothing changes in AWS): {len(diff.rewired)}"]
        groups: dict[str, list[str]] = {}
        for change in diff.rewired:
            groups.setdefault(describe(change.changes[0]), []).append(_title(change.label))
        for what, titles in groups.items():
            lines.append(f"      {what}")
            lines += [f"          {title}" for title in titles]
    return "\n".join(lines)


# --- the two sides ---


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # No hooks: materialising a ref must not run the repository's post-checkout scripts.
    return subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", *args], cwd=repo, capture_output=True, text=True, check=False
    )


def resolve(ref: str, repo: Path = ROOT) -> str:
    found = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found.returncode != 0:
        raise Unavailable(f"{ref!r} is not a commit in {repo} (git rev-parse: {found.stderr.strip() or 'unknown'})", 2)
    return found.stdout.strip()


def has_offline_plan(commit: str, repo: Path = ROOT) -> bool:
    """Whether the commit's tree has `python -m offline.plan STACK --json FILE`."""
    source = _git(repo, "show", f"{commit}:{OFFLINE_PLAN}")
    return source.returncode == 0 and '"--json"' in source.stdout


@contextmanager
def worktree(commit: str, repo: Path = ROOT) -> Iterator[Path]:
    """The commit's tree checked out in a temporary directory; the worktree is removed whatever happens."""
    with tempfile.TemporaryDirectory(prefix="imagepipe-plan-diff-") as tmp:
        tree = Path(tmp) / "tree"
        added = _git(repo, "worktree", "add", "--detach", str(tree), commit)
        if added.returncode != 0:
            raise Unavailable(f"git worktree add failed: {added.stderr.strip()}")
        try:
            yield tree
        finally:
            if _git(repo, "worktree", "remove", "--force", str(tree)).returncode != 0:
                _git(repo, "worktree", "prune")


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def plan_at(commit: str, stack: str, repo: Path = ROOT) -> PlanDocument | None:
    """The commit's own program's plan for `stack`, or None when the commit has no such stack."""
    with worktree(commit, repo) as tree:
        if not (tree / f"Pulumi.{stack}.yaml").exists():
            return None
        target = tree.parent / "plan.json"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env |= {"PYTHONDONTWRITEBYTECODE": "1", ENV_SKIP_LAYER_BUILD: "1"}
        try:
            run = subprocess.run(
                [sys.executable, "-m", "offline.plan", stack, "--json", str(target)],
                cwd=tree,
                env=env,
                capture_output=True,
                text=True,
                timeout=REF_PLAN_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise Unavailable(f"its offline plan took over {REF_PLAN_TIMEOUT_S} s") from exc
        if run.returncode != 0 or not target.exists():
            raise Unavailable(f"its offline plan failed (exit {run.returncode}):\n{_tail(run.stderr or run.stdout)}")
        document: PlanDocument = json.loads(target.read_text())
        return document


def aliases_of(evaluation: Evaluation) -> dict[str, set[str]]:
    """For each resource that has any, every old URN its aliases (its own and its parents') name."""
    return {
        key: urns
        for r in evaluation.resources
        if (key := resource_label(r)) is not None and (urns := alias_urns(evaluation, r))
    }


def working_tree_plan(stack: str) -> tuple[PlanDocument, dict[str, set[str]]]:
    """The working tree's plan, evaluated in this process, and its resources' aliases."""
    evaluation = evaluate_program(stack)
    return plan_document(evaluation, stack), aliases_of(evaluation)


def _empty(stack: str) -> PlanDocument:
    return {"stack": stack, "resources": [], "exports": {}}


@dataclass
class _Side:
    name: str
    document: PlanDocument
    notes: list[str] = field(default_factory=list)


def _ref_side(ref: str, stack: str, repo: Path) -> _Side:
    commit = resolve(ref, repo)
    name = ref if commit.startswith(ref) else f"{ref} ({commit[:7]})"
    if not has_offline_plan(commit, repo):
        raise Unavailable(
            f"{name} has no offline plan ({OFFLINE_PLAN} with --json): the commit predates it or comes from "
            "another history, so there is nothing to compare with; review `python3 tasks.py plan "
            f"{stack}` and the snapshot diff instead"
        )
    try:
        document = plan_at(commit, stack, repo)
    except Unavailable as exc:
        raise Unavailable(f"{name}: {exc}", exc.exit_code) from exc
    if document is None:
        return _Side(name, _empty(stack), [f"(stack {stack!r} does not exist at {name}: everything is created)"])
    return _Side(name, document)


def compare(stack: str, against: str, head: str | None = None, repo: Path = ROOT) -> str:
    """The report for `stack` from ref `against` to ref `head`, or to the working tree when `head` is None.

    Raises Unavailable when a side cannot be evaluated.
    """
    old = _ref_side(against, stack, repo)
    aliases: dict[str, set[str]] | None
    if head is None:
        try:
            document, aliases = working_tree_plan(stack)
        except ConfigError as exc:
            raise Unavailable(f"the working tree's config: {exc}", 2) from exc
        new = _Side("working tree", document)
    else:
        new = _ref_side(head, stack, repo)
        aliases = None  # the ref's aliases are not in its plan document
    diff = diff_plans(old.document, new.document, aliases)
    return render(diff, stack, old.name, new.name, [*old.notes, *new.notes])


def main(stack: str, against: str) -> int:
    """`tasks.py plan STACK --against REF`: print the report; 0 whether or not anything changes."""
    try:
        print(compare(stack, against))
    except Unavailable as exc:
        print(f"{HEADER} {stack!r}: cannot compare with {against}: {exc}")
        return exc.exit_code
    return 0
