"""The score ledger and the month's score sheet.

The ledger is append-only: an event (project, agent, period, date, rule, points, source plugin,
evidence, recorded by, reason) is never edited; a correction is a reversal event that points at
the event it reverses. Events live in one file per project and month
(``projects/<slug>/score_events/<YYYY-MM>``).

The sheet of a month is a pure function of the month's events and the project's ``core``
settings (`build_sheet`): base + active events + the escalation rule, capped at full marks.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from contextlib import ExitStack
from dataclasses import replace
from typing import Iterable

from . import validate
from .errors import Conflict, NotFound, PeriodClosed, ValidationError
from .i18n import N_
from .records import ScoreRule, SheetColumn
from .store import CORE, new_id, now_iso

EVENTS = "score_events"
TABLE = "events"
SHEETS_KEPT = 12  # the sheets of a few projects and months; each holds its events
COUNTED_KINDS = ("bonus", "light", "medium", "severe", "dismissal", "judgement", "adjustment", "result")


class Ledger:
    def __init__(self, fw):
        self.fw = fw
        # the core's rows of recent sheets, by (project, month, events file generation, core
        # generation): a sheet is a pure function of those two files, and a plugin reading
        # earlier months' totals (incentives) asks for the same months on every view
        self._rows: OrderedDict[tuple, list[dict]] = OrderedDict()

    # ------------------------------------------------------------ rules

    def rule(self, code: str, project: dict | None = None) -> ScoreRule:
        """The rule *code*, with the project's point overrides applied."""
        found = self.fw.rules.get(code)
        if found is None:
            raise ValidationError(N_("rule"), N_("no rule with code {code!r}"), code=code)
        return effective_rule(found[1], self.fw.projects.settings(project, "core") if project else {})

    def rules(self, project: dict) -> list[ScoreRule]:
        settings = self.fw.projects.settings(project, "core")
        return [effective_rule(rule, settings) for _, rule in self.fw.rules.values()]

    # ------------------------------------------------------------ reading

    def events(self, project: str, month: str) -> list[dict]:
        key = self.fw.store.period_key(project, EVENTS, month)
        return sorted(self.fw.store.table(key, TABLE).values(), key=lambda e: (e["date"], e["id"]))

    def agent_events(self, project: str, month: str, number: str) -> list[dict]:
        key = self.fw.store.period_key(project, EVENTS, month)
        found = self.fw.store.read(key).index(TABLE, "agent").get(number, [])
        return sorted(found, key=lambda e: (e["date"], e["id"]))

    def find(self, event_id: str, project: str | None = None) -> tuple[str, dict]:
        """The event *event_id* and its file key, searching the project's months (or all)."""
        prefix = f"projects/{project}" if project else "projects"
        for key in reversed(self.fw.store.keys(prefix)):
            if f"/{EVENTS}/" in key:
                event = self.fw.store.table(key, TABLE).get(event_id)
                if event is not None:
                    return key, event
        raise NotFound(N_("no score event {id!r}"), id=event_id)

    # ------------------------------------------------------------ writing

    def prepare(self, project: dict, number: str, code: str, date: str, actor: str, *,
                points: int | None = None, reason: str = "", source: str = "core",
                evidence: str | None = None, adjusts: str | None = None,
                allow_derived: bool = False) -> dict:
        """A checked event document (nothing written): rule, points in range, agent in project."""
        date = validate.date(date)
        rule = self.rule(code, project)
        if rule.derived and not allow_derived:
            raise ValidationError(N_("rule"), N_("{code} is worked out by the system, not recorded by hand"),
                                  code=code)
        if points is None:
            points = rule.points
        elif isinstance(points, bool) or not isinstance(points, int):
            raise ValidationError(N_("points"), N_("expected a whole number, got {value!r}"), value=points)
        if not rule.min_points <= points <= rule.max_points:
            raise ValidationError(N_("points"), N_("{code} takes {low} to {high}, got {value}"),
                                  code=code, low=rule.min_points, high=rule.max_points, value=points)
        reason = validate.text(reason, N_("reason"))
        if rule.reason_required and not reason:
            raise ValidationError(N_("reason"), N_("{code} needs a reason"), code=code)
        if rule.kind == "adjustment" and adjusts is None:
            raise ValidationError(N_("adjusts"), N_("an adjustment names the closed month it corrects"))
        if adjusts is not None:
            adjusts = validate.month(adjusts, N_("adjusts"))
            if adjusts not in self.fw.store.closed_months(project["slug"]):
                raise ValidationError(N_("adjusts"), N_("an adjustment names a closed month; {month} is open"),
                                      month=adjusts)
        agent = self.fw.agents.require_in_project(project["slug"], number, date)
        return {"id": new_id(), "project": project["slug"], "agent": agent["number"],
                "period": date[:7], "date": date, "rule": rule.code, "kind": rule.kind,
                "points": points, "source": source, "evidence": evidence, "recorded_by": actor,
                "reason": reason, "created_at": now_iso(), "reverses": None, "adjusts": adjusts}

    def record(self, project: str, number: str, code: str, date: str, actor: str, **options) -> dict:
        project_doc = self.fw.projects.get(project)
        event = self.prepare(project_doc, number, code, date, actor, **options)
        self.write([event], actor, "score.record")
        return event

    def write(self, events: Iterable[dict], actor: str, action: str) -> int:
        """Append prepared events: one commit per month file (imports, derivations, the demo).

        Every month file is locked and its batch staged before any of them commits, so a
        batch that a closed month refuses writes nothing anywhere; only an I/O failure between
        two commits can leave the earlier months written (each commit is itself atomic).
        """
        by_month: dict[tuple[str, str], list[dict]] = {}
        for event in events:
            by_month.setdefault((event["project"], event["period"]), []).append(event)
        closed = {project: self.fw.store.closed_months(project) for project, _ in by_month}
        for project, month in by_month:
            if month in closed[project]:
                raise PeriodClosed(project, month)
        with ExitStack() as stack:
            for (project, month), batch in sorted(by_month.items()):
                key = self.fw.store.period_key(project, EVENTS, month)
                tx = stack.enter_context(self.fw.store.transaction(key, actor, action))
                tx.insert_many(TABLE, batch)
        return sum(map(len, by_month.values()))

    def reverse(self, event_id: str, reason: str, actor: str, project: str | None = None) -> dict:
        """Cancel an event with a reversal that points at it; the original stays."""
        reason = validate.text(reason, N_("reason"), required=True)
        key, event = self.find(event_id, project)
        if event["reverses"]:
            raise Conflict(N_("{id} is itself a reversal and cannot be reversed"), id=event_id)
        reversal = {**event, "id": new_id(), "points": -event["points"], "reverses": event_id,
                    "recorded_by": actor, "reason": reason, "created_at": now_iso(),
                    "evidence": event["evidence"]}
        with self.fw.store.transaction(key, actor, "score.reverse") as tx:
            if any(e["reverses"] == event_id for e in tx.docs(TABLE).values()):
                raise Conflict(N_("{id} is already reversed"), id=event_id)
            tx.insert(TABLE, reversal)
        return reversal

    # ------------------------------------------------------------ the sheet

    def sheet(self, project: str, month: str, columns: bool = True) -> list[dict]:
        """The month's score sheet of *project*: a row per agent assigned during the month,
        with plugin columns (grade, pay float …) merged in unless *columns* is false (a plugin
        that reads earlier months' totals asks for the core's rows only)."""
        return self.sheet_and_columns(project, month, columns)[0]

    def sheet_and_columns(self, project: str, month: str, columns: bool = True
                          ) -> tuple[list[dict], list[SheetColumn]]:
        """The sheet's rows and the plugins' `SheetColumn`s merged into them: a page heads each
        plugin column with its title in the reader's language, not its key."""
        month = validate.month(month)
        rows = [dict(row) for row in self._core_rows(project, month)]
        found = self.sheet_columns(project, month, rows) if columns else []
        for column in found:
            for row in rows:
                row[column.key] = column.values.get(row["number"])
        return rows, found

    def _core_rows(self, project: str, month: str) -> list[dict]:
        key = self.fw.store.period_key(project, EVENTS, month)
        shard = self.fw.store.read(key)
        memo = (project, month, shard.generation, shard.stat, self.fw.store.read(CORE).generation)
        if memo in self._rows:
            self._rows.move_to_end(memo)
            return self._rows[memo]
        project_doc = self.fw.projects.get(project)
        settings = self.fw.projects.settings(project_doc, "core")
        by_agent = shard.index(TABLE, "agent")
        teams = {t["slug"]: t["name"] for t in self.fw.teams.of(project)}
        rows = []
        for agent, assignment in self.fw.agents.in_month(project, month):
            row = build_sheet(by_agent.get(agent["number"], []), settings, self.fw.rules)
            row.update({"number": agent["number"], "name": agent["name"],
                        "team": assignment["team"], "team_name": teams.get(assignment["team"], ""),
                        "hired": agent["hired"], "status": agent["status"]})
            rows.append(row)
        self._rows[memo] = rows
        while len(self._rows) > SHEETS_KEPT:
            self._rows.popitem(last=False)
        return rows

    def sheet_columns(self, project: str, month: str, rows: list[dict]) -> list[SheetColumn]:
        """The columns the project's enabled plugins add to the sheet of *rows*, in hook order."""
        project_doc = self.fw.projects.get(project)
        found = self.fw.project_hook(project_doc, "sheet_columns")(
            floorwalker=self.fw, project=project_doc, period=validate.month(month), rows=rows)
        return [column for group in found for column in group or ()]


def effective_rule(rule: ScoreRule, settings: dict) -> ScoreRule:
    """*rule* with a project's `rule_points` override: an int, or [min, max]."""
    override = (settings.get("rule_points") or {}).get(rule.code)
    if override is None:
        return rule
    if isinstance(override, (list, tuple)) and len(override) == 2:
        low, high = sorted(int(v) for v in override)
        return replace(rule, points=min(max(rule.points, low), high), min_points=low, max_points=high)
    points = int(override)
    return replace(rule, points=points, min_points=points, max_points=points)


def build_sheet(events: list[dict], settings: dict, rules: dict) -> dict:
    """One agent's month: base, points by kind, escalation, capped total, traced events.

    Pure: the same events and settings give the same row. Reversed events and their reversals
    are shown but count nothing. The escalation (`duties_failed`) is derived here, not stored.
    """
    reversed_by = {e["reverses"]: e["id"] for e in events if e["reverses"]}
    active = [e for e in events if not e["reverses"] and e["id"] not in reversed_by]
    by_kind = Counter()
    for e in active:
        # only kinds people or plugins record count; the escalation is derived below, never summed
        if e["kind"] in COUNTED_KINDS:
            by_kind[e["kind"]] += e["points"]
    counts = Counter(e["kind"] for e in active)
    escalated = (counts["medium"] >= settings["escalation_medium"]
                 or counts["light"] >= settings["escalation_light"])
    escalation = settings["escalation_points"] if escalated else 0
    raw = settings["base_score"] + sum(by_kind.values()) + escalation
    flags = []
    if any(rules.get(e["rule"], (None, None))[1] and rules[e["rule"]][1].flags_dismissal
           for e in active):
        flags.append("dismissal_conduct")
    return {
        "base": settings["base_score"],
        "bonus": by_kind["bonus"],
        "deductions": {kind: by_kind[kind] for kind in ("light", "medium", "severe")},
        "judgement": by_kind["judgement"],
        "adjustment": by_kind["adjustment"] + by_kind["result"],
        "escalation": escalation,
        "violations": {"light": counts["light"], "medium": counts["medium"], "severe": counts["severe"]},
        "raw_total": raw,
        "total": min(raw, settings["cap"]),
        "flags": flags,
        "events": [{**e, "reversed_by": reversed_by.get(e["id"])} for e in events],
    }
