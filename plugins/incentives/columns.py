"""The columns incentives adds to a month's score sheet: grade, pay float, month of employment
and flags, each computed with the settings in effect for that month.

The "lowest of the project two months running" flag needs the totals of the months before,
which come from the core's sheet of those months. Building that sheet calls every plugin's
``sheet_columns`` again, this one included, which would then ask for the month before that, and
so on back to the first month. A context variable marks such an inner build so this plugin adds
nothing to it: only the totals are wanted, and they are the core's.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from floorwalker.core import SheetColumn

from .grades import DISMISSAL_REVIEW, dismissal_review, employment_month, grade, pay_float, shift_month
from .settings import NAME, in_effect

_inner_sheet: ContextVar[bool] = ContextVar("incentives_inner_sheet", default=False)

TITLES = {"grade": ("Grade", "等级"), "pay_float": ("Pay float", "绩效浮动"),
          "employment_month": ("Month of employment", "入职第几月"), "flags": ("Flags", "提示")}


@contextmanager
def _inner():
    token = _inner_sheet.set(True)
    try:
        yield
    finally:
        _inner_sheet.reset(token)


def totals_of(fw, project: str, month: str) -> dict[str, float]:
    """The core's totals of *month* by agent number (without this plugin's columns)."""
    with _inner():
        return {row["number"]: row["total"] for row in fw.ledger.sheet(project, month)}


def values(fw, project: dict, month: str, rows: list[dict]) -> dict[str, dict[str, object]]:
    """Column key → {agent number → value} for the sheet *rows* of *month*."""
    settings = in_effect(fw, project, month)
    totals = {row["number"]: row["total"] for row in rows}
    history = [totals] + [totals_of(fw, project["slug"], shift_month(month, -back))
                          for back in range(1, settings["lowest_run_months"])]
    out: dict[str, dict] = {key: {} for key in TITLES}
    for row in rows:
        number, total = row["number"], row["total"]
        employed = employment_month(row["hired"], month)
        out["grade"][number] = grade(total, settings["grade_bands"])
        out["pay_float"][number] = pay_float(total, employed, settings)
        out["employment_month"][number] = employed
        flags = list(row.get("flags") or ())
        if dismissal_review(history, number, settings):
            flags.append(DISMISSAL_REVIEW)
        out["flags"][number] = flags
    return out


def sheet_columns(fw, project: dict, month: str, rows: list[dict]) -> list[SheetColumn]:
    if _inner_sheet.get():
        return []
    found = values(fw, project, month, rows)
    return [SheetColumn(NAME, key, *TITLES[key], values=found[key]) for key in TITLES]
