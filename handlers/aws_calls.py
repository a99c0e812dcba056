"""The AWS calls the functions' own code makes: how each is declared, and what a failed one's code is.

Each function lists the operations it calls or presigns as ``AwsOperation`` values next to its
clients (``handlers.api.clients.AWS_OPERATIONS``, ``handlers.cleanup.clients.CLEANUP_OPERATIONS``);
the tests prove each list against the requests the function makes and against its IAM policy.
Importing this module imports no boto3.
"""

from collections.abc import Mapping
from typing import NamedTuple


class AwsOperation(NamedTuple):
    """One AWS operation a function makes or signs, and the IAM actions AWS checks for it (a versioned
    DeleteObjects needs s3:DeleteObject and s3:DeleteObjectVersion: S3's reference, Permissions)."""

    service: str
    operation: str
    iam_actions: tuple[str, ...]
    resource: str


def aws_error_code(exc: BaseException) -> str | None:
    """A boto3 ClientError's code (``ThrottlingException``, ``AccessDenied``); None for anything else."""
    response = getattr(exc, "response", None)
    if not isinstance(response, Mapping):
        return None
    code = response.get("Error", {}).get("Code")
    return str(code) if code else None
