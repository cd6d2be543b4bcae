"""The columns incentives adds to a month's score sheet: grade, pay float, month of employment
and flags, each computed with the settings in effect for that month.

The "lowest of the project two months running" flag needs the totals of the months before,
which come from the core's sheet of those months, built without plugin columns (so this hook is
not called again for each month back to the first).
"""

from __future__ import annotations

from floorwalker.core import SheetColumn

from .grades import DISMISSAL_REVIEW, dismissal_review, employment_month, grade, pay_float, shift_month
from .actions import PAY
from .payroll import FLAG_TITLES
from .settings import NAME, in_effect

TITLES = {"grade": ("Grade", "等级"), "pay_float": ("Pay float", "绩效浮动"),
          "employment_month": ("Month of employment", "入职第几月"), "flags": ("Flags", "提示")}


def totals_of(fw, project: str, month: str) -> dict[str, float]:
    """The core's totals of *month* by agent number (without this plugin's columns): kept
    while the month's files are unchanged (`fw.summaries`), so a sheet's flags do not build the
    months before it again — only their totals are needed, not their sheets. Not to be changed."""
    return fw.summaries.get(f"{NAME}.totals", (project, month), lambda: {
        row["number"]: row["total"] for row in fw.ledger.sheet(project, month, columns=False)})


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
    found = values(fw, project, month, rows)
    # the pay float is pay: the core's sheet shows it only to holders of PAY; a grade is a score
    return [SheetColumn(NAME, key, *TITLES[key], values=found[key], action=PAY if key == "pay_float" else "",
                        unit="¥" if key == "pay_float" else "",
                        titles=FLAG_TITLES if key == "flags" else {})
            for key in TITLES]
