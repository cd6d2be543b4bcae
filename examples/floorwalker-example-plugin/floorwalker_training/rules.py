"""Pure rules of training results: which score rule an assessment earns, and who still waits.

Kept apart from the hook implementations so they can be tested without a data folder.
"""

from __future__ import annotations

from typing import Iterable

PASSED = "training_passed_top"
FAILED = "training_failed"


def result_rule(score: int, pass_mark: int, top_mark: int) -> str | None:
    """The score rule an assessment *score* earns: a bonus at *top_mark* or above, a deduction
    below *pass_mark*, nothing in between."""
    if score >= top_mark:
        return PASSED
    if score < pass_mark:
        return FAILED
    return None


def unscored(sessions: Iterable[dict], month: str) -> list[dict]:
    """Sessions of *month* that took place but have no result yet: they block the month's close,
    because a missing result may still change an agent's score."""
    return [s for s in sessions if s["date"].startswith(month) and s.get("score") is None]


def overdue(sessions: Iterable[dict], today: str) -> list[dict]:
    """Sessions before *today* with no result that are not yet marked due: what the job marks.
    A session of today is not late yet; one already marked is left as it is."""
    return [s for s in sessions if s["date"] < today and s.get("score") is None and not s.get("due")]
