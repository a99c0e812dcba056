"""The AWS edge of the handler: S3 events in; S3 objects, DynamoDB items and log lines out.

Everything AWS-shaped lives here so ``handlers.imaging`` stays pure.
"""
