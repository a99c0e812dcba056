"""What can go wrong in the formatter, by what the caller should do about it."""


class NotAnAlarm(ValueError):
    """The record is no CloudWatch alarm notification: log it and go on with the other records."""


class EvidenceUnavailable(Exception):
    """Evidence could not be gathered: send the email anyway, saying why (never drop the alert)."""


class AlreadyInProgress(Exception):
    """Another invocation is sending this very state change now: fail, so Lambda retries it later."""
