"""The imagepipe guard rails, one module per thing they guard; `registry.POLICIES` lists them all.

Importable without starting anything: constructing the `PolicyPack` (which serves gRPC and blocks) is
`../__main__.py`'s job alone, so the tests import these modules and call each policy's `validate`.
"""
