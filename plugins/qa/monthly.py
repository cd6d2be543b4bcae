"""The QA rules of an agent's month (月度质检考核): a monthly QA average under the project's pass
line, and the supervisor's spot-check errors.

**Under the pass line** (``qa_below_pass_line``, −5; a project changes the points in the core's
rule points). An agent whose evaluations of the month (``kind`` "evaluation" only — a calibration
never counts for an agent, and lives elsewhere anyway) average below the project's ``pass_line``
(default 85) gets one event for the month, evidence ``qa:month:<YYYY-MM>:<agent>``. Exactly at
the pass line is a pass. One evaluation is enough for an average: the sampling plan asks for
several, and an agent with one evaluation under the line has still been scored under it. `settle`
states the whole truth about the month's ``qa:month:`` evidence to the ledger's `settle`, so it
runs as often as evaluations change (after each submission) and once more when the month closes
(``on_period_closing``): an average that recovers reverses the event, one that drops writes it,
and a supervisor's decided reversal stays decided. A closed month is never touched.

The event is dated the month's last day, or the agent's last day in the project that month
(`month_day`), a date that does not move as evaluations come in, so a repeated settle changes
nothing.

**Spot checks** (主管抽查). A supervisor records the errors of one check on an agent: how many,
the points per error (the core's ``spot_check_error``, −2…−5 by default) and what was wrong; each
error is one event of the core's rule, source ``qa``, all with the check's evidence
``qa:spotcheck:<id>`` (a person's record, which no settle of this plugin touches).
"""

from __future__ import annotations

import re

from floorwalker.core import N_, ScoreRule, ValidationError, new_id, translate, validate

from .config import NAME

BELOW_PASS_RULE = "qa_below_pass_line"
SPOT_CHECK_RULE = "spot_check_error"  # the core's rule
RULES = [
    ScoreRule(BELOW_PASS_RULE, "result", -5, "Monthly QA average below the pass line",
              "月度质检平均分低于及格线", derived=True),
]
MONTH_KIND, SPOT_KIND = "month", "spotcheck"
MAX_ERRORS = 20
# what the event stores as its reason (English facts), read back in either language by `reason`
_STORED = "monthly QA average {average} of {n} evaluations, under the pass line {line}"
_SHOWN = N_("monthly QA average {average} of {n} evaluations, under the pass line {line}")
_PATTERN = re.compile(r"^monthly QA average ([\d.]+) of (\d+) evaluations, under the pass line (\d+)$")


def month_evidence(month: str, agent: str) -> str:
    return f"{NAME}:{MONTH_KIND}:{month}:{agent}"


def month_day(fw, slug: str, month: str, number: str, assignments: list[dict] | None = None) -> str | None:
    """The day a monthly event of agent *number* is dated: the month's last day, or the last
    day the agent was in project *slug* that month (None: not in it at all)."""
    first, last = validate.month_bounds(month)
    days = [min(last, a["end"] or last) for a in (assignments or fw.agents.assignments(number))
            if a["project"] == slug and a["start"] <= last and (a["end"] is None or first <= a["end"])]
    return max(days) if days else None


def averages(docs: list[dict]) -> dict[str, tuple[float, int]]:
    """Agent → (average score, n) over the evaluations in *docs* (calibrations left out)."""
    scores: dict[str, list[float]] = {}
    for doc in docs:
        if doc.get("kind") == "evaluation" and doc.get("score") is not None:
            scores.setdefault(doc["agent"], []).append(float(doc["score"]))
    return {agent: (round(sum(s) / len(s), 2), len(s)) for agent, s in scores.items()}


def below(average: float, line: float) -> bool:
    """Under the pass line: exactly at it passes."""
    return average < line


def wanted(fw, project: dict, month: str, docs: list[dict]) -> dict[str, list[tuple]]:
    """The ``qa:month:`` events the month's evaluations (*docs*) want, by evidence key."""
    slug = project["slug"]
    line = fw.projects.settings(project, NAME)["pass_line"]
    found = {}
    for agent, (average, n) in sorted(averages(docs).items()):
        day = month_day(fw, slug, month, agent)
        if day is not None and below(average, line):
            found[month_evidence(month, agent)] = [
                (BELOW_PASS_RULE, None, day, agent, stored_reason(average, n, line))]
    return found


def stored_reason(average: float, n: int, line) -> str:
    """The reason of a below-the-line event as stored (English facts; `reason` reads it back)."""
    return _STORED.format(average=_plain(average), n=n, line=line)


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def settle(fw, project: dict, month: str, actor: str, docs: list[dict]):
    """Bring the month's ``qa_below_pass_line`` events in line with its evaluations, *docs*
    (``evaluations.of_month``; this module does not read them itself, so that `evaluations`
    can call it after every change). Nothing in a closed month: returns the ledger's
    `Settled`, or None for a closed month."""
    month = validate.month(month)
    if month in fw.store.closed_months(project["slug"]):
        return None
    return fw.ledger.settle(project["slug"], NAME, wanted(fw, project, month, docs), actor, month=month,
                            kind=MONTH_KIND, reason="the monthly QA average is at the pass line now",
                            action="qa.monthly.settle")


def reason(stored: str, locale: str) -> str | None:
    """A monthly event's stored reason in the reader's language (None: not one of these)."""
    match = _PATTERN.match(stored or "")
    if not match:
        return None
    return translate(_SHOWN, locale, average=match.group(1), n=match.group(2), line=match.group(3))


# ---------------------------------------------------------------- spot checks


def record_spot_check(fw, project: dict, agent: str, date: str, errors, points, note: str,
                      actor: str) -> list[dict]:
    """Record a spot check of *agent* on *date* that found *errors* errors, each costing
    *points* (within the rule's range), with *note* saying what was wrong: one event per error,
    in one commit. Raises `ValidationError` naming the field."""
    count = _whole(errors, N_("errors"))
    if not 1 <= count <= MAX_ERRORS:
        raise ValidationError(N_("errors"), N_("expected 1 to {max}"), max=MAX_ERRORS)
    each = _whole(points, N_("points per error"))
    note = validate.text(note, N_("what was wrong"), 500, required=True)
    date = validate.date(date)
    evidence = f"{NAME}:{SPOT_KIND}:{new_id()}"
    events = [fw.ledger.prepare(project, agent, SPOT_CHECK_RULE, date, actor, points=each, reason=note,
                                source=NAME, evidence=evidence) for _ in range(count)]
    fw.ledger.write(events, actor, "qa.spotcheck")
    return events


def _whole(value, field: str) -> int:
    text = str(value if value is not None else "").strip()
    if not re.fullmatch(r"-?\d+", text):
        raise ValidationError(field, N_("expected a whole number, got {value!r}"), value=text)
    return int(text)


def spot_checks(fw, slug: str, month: str) -> list[dict]:
    """The month's spot checks, newest first: one row per check with its errors still counting."""
    events = fw.ledger.events(slug, month)
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    checks: dict[str, dict] = {}
    for e in events:
        if e["source"] != NAME or not (e["evidence"] or "").startswith(f"{NAME}:{SPOT_KIND}:") or e["reverses"]:
            continue
        row = checks.setdefault(e["evidence"], {"evidence": e["evidence"], "agent": e["agent"], "date": e["date"],
                                                "recorded_by": e["recorded_by"], "reason": e["reason"],
                                                "created_at": e["created_at"], "errors": 0, "counting": 0,
                                                "points": 0})
        row["errors"] += 1
        if e["id"] not in reversed_ids:
            row["counting"] += 1
            row["points"] += e["points"]
    return sorted(checks.values(), key=lambda r: (r["date"], r["created_at"]), reverse=True)
