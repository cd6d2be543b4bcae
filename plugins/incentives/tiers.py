"""The career ladder (普通 → 高级 → 精英 → 专家 → 金牌) and when sustained grades suggest a
step up or down. Pure: the caller passes the grades of the closed months that count.

The system only suggests; a supervisor decides (`suggestions.py`). Demotion is checked first:
with settings where both could hold, the cautious reading of a poor run wins.
"""

from __future__ import annotations

from floorwalker.core import TIER_TITLES, TIERS

from .grades import grade_rank


def tier_title(tier: str, locale: str) -> str:
    en, zh = TIER_TITLES.get(tier, (tier, tier))
    return zh if locale.startswith("zh") else en


def suggest(tier: str, grades: list[str], settings: dict) -> str | None:
    """The tier *grades* (oldest first, consecutive closed months at the current tier) point
    to, or None: ``demote_months`` in a row at ``demote_grade`` or worse step down;
    ``promote_months`` in a row at ``promote_grade`` or better step up."""
    if tier not in TIERS:
        return None
    step = TIERS.index(tier)
    demote, promote = settings["demote_months"], settings["promote_months"]
    if step > 0 and len(grades) >= demote and all(
            grade_rank(g) >= grade_rank(settings["demote_grade"]) for g in grades[-demote:]):
        return TIERS[step - 1]
    if step < len(TIERS) - 1 and len(grades) >= promote and all(
            grade_rank(g) <= grade_rank(settings["promote_grade"]) for g in grades[-promote:]):
        return TIERS[step + 1]
    return None
