"""The imagepipe guard rails as a Pulumi policy pack (CrossGuard): `pulumi preview --policy-pack policy`.

This file only makes the folder importable from the repository root, so the tests can reach the
policies as `policy.imagepipe_policies`; Pulumi runs `__main__.py` from inside the folder.
"""
