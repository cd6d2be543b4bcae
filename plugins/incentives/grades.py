"""Grade, pay float and warning flags of one agent's month: pure functions of the score.

The numbers come from the project's incentives settings (the domain page's figures are their
defaults, see `settings.py`), so the same score and settings always give the same answer — the
property that keeps a closed month reproducible.
"""

from __future__ import annotations

GRADES = ("A", "B", "C", "D", "E", "F")
DISMISSAL_REVIEW = "dismissal_review"


def grade(score: float, bands: dict) -> str:
    """The letter of *score*: A strictly above ``bands["A"]``; B…E from their floor up; else F.

    The source says "A above 90, B 80–90": 90 itself is a B, so A is the one strict bound.
    """
    if score > bands["A"]:
        return "A"
    for letter in GRADES[1:-1]:
        if score >= bands[letter]:
            return letter
    return "F"


def grade_rank(letter: str) -> int:
    """0 for A … 5 for F: a lower rank is a better grade."""
    return GRADES.index(letter)


def month_index(month: str) -> int:
    year, mon = map(int, month[:7].split("-"))
    return year * 12 + mon - 1


def month_at(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def shift_month(month: str, by: int) -> str:
    """The month *by* months after (negative: before) *month*."""
    return month_at(month_index(month) + by)


def employment_month(hired: str, month: str) -> int:
    """Which month of employment *month* is: the month of hire is 1 (0 or less: before hire)."""
    return month_index(month) - month_index(hired) + 1


def pay_float(score: float, employed_months: int, settings: dict) -> int:
    """(score − pivot) × amount per point, clamped to ±cap; nothing before the agent's
    ``pay_from_month``-th month of employment (the score still counts, it floats no pay)."""
    if employed_months < settings["pay_from_month"]:
        return 0
    amount = round((score - settings["pay_pivot"]) * settings["pay_per_point"])
    cap = settings["pay_cap"]
    return max(-cap, min(cap, amount))


def lowest_numbers(totals: dict[str, float]) -> set[str]:
    """The agents (by number) holding the lowest total of a month; ties all count."""
    if not totals:
        return set()
    low = min(totals.values())
    return {number for number, total in totals.items() if total == low}


def dismissal_review(history: list[dict[str, float]], number: str, settings: dict) -> bool:
    """Whether the agent is flagged for dismissal review (the system flags; people decide).

    *history* holds the project's totals by agent number for the month in question first, then
    the months before it, newest first. Flagged when this month's total is below
    ``dismissal_below``, or when the agent held the project's lowest total in each of the last
    ``lowest_run_months`` months while below ``lowest_run_below`` in each.
    """
    this_month = history[0]
    if number not in this_month:
        return False
    if this_month[number] < settings["dismissal_below"]:
        return True
    run = history[: settings["lowest_run_months"]]
    if len(run) < settings["lowest_run_months"]:
        return False
    return all(number in totals and totals[number] < settings["lowest_run_below"]
               and number in lowest_numbers(totals) for totals in run)
