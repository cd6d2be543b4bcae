"""Where the incentives plugin keeps its records: one file per project, through the store.

Tables: reversal requests, tier suggestions and tier changes, the back-test draft, published
setting changes, and the settings frozen with each closed month. No document here carries a
``period`` or ``date`` field: the store would take it for a record dated in that month and
refuse it once the month is closed, yet suggestions and frozen settings are *about* closed
months. They name the month as ``month`` instead.
"""

from __future__ import annotations

from datetime import datetime, timezone

NAME = "incentives"
REQUESTS = "reversal_requests"
SUGGESTIONS = "tier_suggestions"
TIER_CHANGES = "tier_changes"
DRAFTS = "drafts"
PUBLISHED = "published"
FROZEN = "frozen"


def key(fw, project: str) -> str:
    return fw.store.plugin_key(project, NAME)


def table(fw, project: str, name: str) -> dict[str, dict]:
    return fw.store.table(key(fw, project), name)


def now() -> str:
    """A record's time stamp: UTC, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
