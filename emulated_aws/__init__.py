"""AWS as the pipeline sees it, on this machine: shared by the local demo and the handler's tests.

``environment`` (fake credentials and region, scoped environment changes), ``server`` (moto's
server on a loopback port), ``provisioning`` (the buckets, table and queue as the stack declares
them), ``s3_events`` (event notifications as S3 sends them) and ``lambda_context`` (the context
object Lambda hands the handler). Nothing here reaches a real AWS account.
"""
