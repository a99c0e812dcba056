"""KMS keys as other resources name them."""


def aws_managed(key: str) -> bool:
    """Whether a key id, alias or ARN names an AWS-managed key (`alias/aws/sns`, `alias/aws/s3`, ...).

    AWS manages those keys and their policies: the account cannot let another service use them (so a
    CloudWatch alarm cannot publish to a topic under `alias/aws/sns`) nor separate who may decrypt.
    """
    return "alias/aws/" in key
