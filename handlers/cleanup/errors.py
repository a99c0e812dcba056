"""What can stop the cleanup, by what the caller should do about it."""


class SettingsError(ValueError):
    """The function is misconfigured (a deployment problem): nothing was read or deleted."""


class CleanupIncomplete(RuntimeError):
    """Some versions or items older than the cutoff are still there; each was logged as an ERROR line.

    Raised after every part has run and the summary is logged, so the invocation counts as failed
    (Lambda's Errors metric) while everything that could be deleted was. The next run tries again.
    """
