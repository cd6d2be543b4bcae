"""A back-test: a month's sheet under the settings in effect and under a draft, side by side.

Pure. A draft may change the grade floors, the pay float's pivot, amount per point, cap and
first month, and the points of score rules (the core's ``rule_points``). Events keep the points
they were recorded with, so a draft's rule points are applied to the recorded events here: a
fixed override replaces the points, a range pulls them into it. The escalation is unchanged (it
counts violations, not points), so the draft total is the raw total moved by the difference,
then capped at full marks again.
"""

from __future__ import annotations

from .boards import active_events
from .grades import employment_month, grade, pay_float


def repoint(event: dict, rule_points: dict) -> int:
    """The points *event* would carry under *rule_points* (int, or [low, high])."""
    override = rule_points.get(event["rule"])
    if override is None:
        return event["points"]
    if isinstance(override, (list, tuple)):
        low, high = sorted(override)
        return min(max(event["points"], low), high)
    return override


def draft_total(row: dict, rule_points: dict, cap: int) -> int:
    delta = sum(repoint(e, rule_points) - e["points"] for e in active_events(row))
    return min(row["raw_total"] + delta, cap)


def compare(rows: list[dict], month: str, current: dict, draft: dict, rule_points: dict,
            cap: int) -> dict:
    """Agents whose grade or pay float the draft changes, and the totals of both sides.

    *current* and *draft* are complete incentives settings; *rule_points* the draft's rule
    overrides (empty: points unchanged); *cap* the project's full marks.
    """
    changed, before_pay, after_pay = [], 0, 0
    for row in rows:
        employed = employment_month(row["hired"], month)
        total = draft_total(row, rule_points, cap)
        was = (grade(row["total"], current["grade_bands"]), pay_float(row["total"], employed, current))
        now = (grade(total, draft["grade_bands"]), pay_float(total, employed, draft))
        before_pay += was[1]
        after_pay += now[1]
        if was != now:
            changed.append({"number": row["number"], "name": row["name"], "team": row.get("team"),
                            "total": row["total"], "draft_total": total,
                            "grade": was[0], "draft_grade": now[0],
                            "pay_float": was[1], "draft_pay_float": now[1],
                            "pay_change": now[1] - was[1]})
    return {"month": month, "agents": len(rows), "changed": changed,
            "pay_float_total": before_pay, "draft_pay_float_total": after_pay}
