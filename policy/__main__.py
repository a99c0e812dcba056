"""Entry point of the imagepipe-guard-rails policy pack (PulumiPolicy.yaml), run by Pulumi, never imported.

`pulumi preview --policy-pack policy --policy-pack-config policy/config.<stack>.json` starts this file;
constructing `PolicyPack` serves the policies to the engine over gRPC and blocks until Pulumi stops it.
Pulumi runs it from this folder (locally, or wherever Pulumi Cloud unpacks a published pack), so the
folder is put on the import path and the policies are imported as `imagepipe_policies`.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# mypy, run from the repository root, knows this package as policy.imagepipe_policies.
from imagepipe_policies.registry import DEFAULT_ENFORCEMENT, PACK_NAME, POLICIES  # type: ignore[import-not-found]
from pulumi_policy import PolicyPack

if __name__ == "__main__":
    PolicyPack(name=PACK_NAME, policies=list(POLICIES), enforcement_level=DEFAULT_ENFORCEMENT)
