"""The scoring formula of an evaluation (评分公式), pure: a scorecard version and the answers in,
the sections' scores, the score and the fatal verdict out. Nothing here reads the store.

The formula, as the scorecard page states it to evaluators and agents:

1. An item earns its points: a yes/no item (是否) its full marks for yes and 0 for no; a scale
   item (评分) the answer, 0 to its full marks in half points; a points item (分值) the answer,
   0 to its full marks in whole points. An item answered N/A (不适用) is left out.
2. A section scores earned ÷ possible × 100, over its items that are not N/A. A section whose
   items are all N/A is N/A itself.
3. The evaluation's base is the weighted mean of its sections' scores; an N/A section leaves
   the weights (the others' weights are rescaled to its share).
4. The bonus section (加分项) has no weight: its points add directly to the base, and the sum is
   capped at the project's cap (`score_cap`, default 110 — as the monthly score's full marks — so
   the bonus lifts an evaluation above 100, to at most 110; a project that sets 100 lets the
   bonus only make up for lost points).
5. Fatal rules last: a fatal item (致命错误) that lost points zeroes its section (部分) — applied
   before the weighted mean, so the section counts as 0 — or the whole evaluation (整体), bonus
   included.

A fatal item "lost points" when a yes/no item is answered no, or any other item earned less than
its full marks; N/A never triggers it. Scores are rounded to two decimals at the end only.
"""

from __future__ import annotations

from dataclasses import dataclass

from floorwalker.core import N_

ITEM_TYPES = ("yesno", "scale", "points")
FATAL = ("none", "section", "all")
DEFAULT_CAP = 110  # the setting's default (config.py); the monthly score's full marks too


class ScoringError(ValueError):
    """The answers cannot be scored against the scorecard (a wrong answer, no item answered)."""

    def __init__(self, reason: str, section: int | None = None, item: int | None = None, **params):
        super().__init__(reason)
        self.reason, self.section, self.item, self.params = reason, section, item, params


@dataclass(frozen=True)
class ItemResult:
    section: str
    item: str
    answer: object  # "yes"/"no" for yes/no, a number otherwise, None at N/A
    points: float | None  # earned; None at N/A
    maximum: float
    na: bool
    fatal: str | None  # "section" or "all" where this item triggered a fatal rule


@dataclass(frozen=True)
class SectionResult:
    title: str
    weight: float | None  # None for the bonus section
    earned: float
    possible: float
    score: float | None  # 0–100, None when N/A (the bonus section: its points)
    na: bool
    fatal: bool


@dataclass(frozen=True)
class Result:
    score: float
    base: float  # the weighted mean of the sections, fatal rules applied, before the bonus
    bonus: float
    fatal: str | None  # None, "section" or "all"
    full_marks: bool  # every weighted section at 100, no fatal error
    sections: tuple[SectionResult, ...]
    items: tuple[ItemResult, ...]


def shown(value) -> str:
    """A score as QA prints it everywhere (the pages' ``qa_score`` macro too): up to two
    decimals without trailing zeros — 100, 95.5, 84.67; nothing for None."""
    if value is None:
        return ""
    text = f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def earned(item: dict, answer) -> float | None:
    """The points *item* earns for *answer* (None: N/A), or `ScoringError`."""
    if answer is None:
        return None
    maximum = item["max"]
    if item["type"] == "yesno":
        if answer not in ("yes", "no"):
            raise ScoringError(N_("answer yes or no"))
        return float(maximum) if answer == "yes" else 0.0
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise ScoringError(N_("expected a number from 0 to {max}"), max=maximum) from None
    step = 0.5 if item["type"] == "scale" else 1
    if not 0 <= value <= maximum:
        raise ScoringError(N_("expected a number from 0 to {max}"), max=maximum)
    if (value / step) != int(value / step):
        raise ScoringError(N_("half points at most") if step == 0.5 else N_("whole points only"))
    return value


def lost_points(item: dict, answer, points: float | None) -> bool:
    """Whether an answered item lost points (the yes/no item answered no)."""
    if points is None:
        return False
    return answer == "no" if item["type"] == "yesno" else points < item["max"]


def score(card: dict, answers: list[list], cap: float = DEFAULT_CAP) -> Result:
    """Score *answers* (one list per section, one answer per item, None for N/A) against the
    scorecard version *card* (its ``sections``, each with ``title``, ``weight`` — None for the
    bonus section — and ``items`` with ``title``, ``type``, ``max``, ``fatal``)."""
    sections = card["sections"]
    if len(answers) != len(sections) or any(len(a) != len(s["items"]) for a, s in zip(answers, sections)):
        raise ScoringError(N_("answer every item of the scorecard"))
    item_results: list[ItemResult] = []
    section_results: list[SectionResult] = []
    fatal_all = fatal_section = False
    bonus = 0.0
    for si, (section, given) in enumerate(zip(sections, answers)):
        got = possible = 0.0
        zeroed = False
        for ii, (item, answer) in enumerate(zip(section["items"], given)):
            try:
                points = earned(item, answer)
            except ScoringError as exc:
                raise ScoringError(exc.reason, si, ii, **exc.params) from None
            triggered = None
            if item["fatal"] != "none" and lost_points(item, answer, points):
                triggered = item["fatal"]
                zeroed |= triggered == "section"
                fatal_all |= triggered == "all"
            if points is not None:
                got += points
                possible += item["max"]
            item_results.append(ItemResult(section["title"], item["title"], answer, points,
                                           item["max"], points is None, triggered))
        if section.get("weight") is None:  # the bonus section
            bonus += got
            section_results.append(SectionResult(section["title"], None, got, possible, got,
                                                 possible == 0, False))
            continue
        na = possible == 0 and not zeroed
        value = None if na else (0.0 if zeroed else got / possible * 100)
        fatal_section |= zeroed
        section_results.append(SectionResult(section["title"], section["weight"], got, possible,
                                             value, na, zeroed))
    weighted = [s for s in section_results if s.weight is not None and not s.na]
    if not weighted:
        raise ScoringError(N_("answer at least one item that is not N/A"))
    total_weight = sum(s.weight for s in weighted)
    base = sum(s.weight * s.score for s in weighted) / total_weight
    full = not fatal_all and not fatal_section and all(s.score == 100 for s in weighted)
    if fatal_all:
        final, verdict = 0.0, "all"
    else:
        final = min(base + bonus, cap)  # the cap is at least 100: it never cuts the base
        verdict = "section" if fatal_section else None
    return Result(round(final, 2), round(0.0 if fatal_all else base, 2), round(bonus, 2), verdict,
                  full, tuple(section_results), tuple(item_results))
