"""What can stop the cleanup, by what the caller should do about it.

A misconfigured function raises ``handlers.environment.SettingsError`` (re-exported here) before
anything is read or deleted.
"""

from handlers.environment import SettingsError

__all__ = ["CleanupIncomplete", "SettingsError"]


class CleanupIncomplete(RuntimeError):
    """Some versions or items older than the cutoff are still there; each was logged as an ERROR line.

    Raised after every part has run and the summary is logged, so the invocation counts as failed
    (Lambda's Errors metric) while everything that could be deleted was. The next run tries again.
    """
