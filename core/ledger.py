"""The score ledger and the month's score sheet.

The ledger is append-only: an event (project, agent, period, date, rule, points, source plugin,
evidence, recorded by, reason) is never edited; a correction is a reversal event that points at
the event it reverses. Events live in one file per project and month
(``projects/<slug>/score_events/<YYYY-MM>``).

The sheet of a month is a pure function of the month's events and the project's ``core``
settings (`build_sheet`): base + active events + the escalation rule, capped at full marks. The
escalation counts events by the kind their rule has (light, medium …), whoever contributed the
rule: a plugin's medium rule escalates together with the core's.

Every plugin shares three services (the rules they follow are in `core/settlement.py`):
`settle` (a plugin states the events its evidence wants; the ledger writes the missing and
reverses the rest, one commit per month file), decisions (a reversal a person decided,
``decision: true``, which no settle undoes) and `correct` (a reversal, or in a closed month an
adjustment in the first open month of the difference it makes to the closed month's total).
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from contextlib import ExitStack
from dataclasses import replace
from typing import Collection, Iterable, Mapping

from . import rule_limits, validate
from .errors import Conflict, NotFound, PeriodClosed, ValidationError
from .i18n import N_, Words
from .people import position_of
from .plugins import collect
from .records import ScoreRule, SheetColumn
from .settlement import (Settled, Wanted, corrected_view, first_open_month, plan_settle,
                         reversal_of)
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
        """Every rule of the catalogue, with *project*'s point overrides."""
        settings = self.fw.projects.settings(project, "core")
        return [effective_rule(rule, settings) for _, rule in self.fw.rules.values()]

    # ------------------------------------------------------------ reading

    def events(self, project: str, month: str) -> list[dict]:
        """The score events of *project*'s *month*, reversals included, by date."""
        key = self.fw.store.period_key(project, EVENTS, month)
        return sorted(self.fw.store.table(key, TABLE).values(), key=lambda e: (e["date"], e["id"]))

    def agent_events(self, project: str, month: str, number: str) -> list[dict]:
        """The score events of agent *number* in *project*'s *month*, reversals included, by
        date."""
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
        """A checked event document (nothing written): rule, points in range, agent in project.
        A plugin's event points at its evidence as ``<plugin>:<kind>:<id>`` (the agent's month
        links it through `evidence_links`); the core's own may carry any reference."""
        date = validate.date(date)
        if source != "core" and evidence is not None and not (
                evidence.startswith(f"{source}:") and evidence.count(":") >= 2):
            raise ValidationError(N_("evidence"), N_("evidence of a {source} event reads "
                                                     "{source}:<kind>:<id>, got {value!r}"),
                                  source=source, value=evidence)
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
        """Record one event of rule *code* for agent *number* on *date*, checked as `prepare`
        checks it (its keyword arguments: *points*, *reason*, *source*, *evidence* …), in one
        commit; returns the event."""
        project_doc = self.fw.projects.get(project)
        event = self.prepare(project_doc, number, code, date, actor, **options)
        self.write([event], actor, "score.record")
        return event

    def write(self, events: Iterable[dict], actor: str, action: str) -> int:
        """Append prepared events: one commit per month file (imports, derivations, the demo).

        A second active event of a once-a-month rule (`ScoreRule.once_a_month`) for an agent and
        month, in the batch or beside the month's events, is refused (`Conflict`), and so is a
        floor award past the month's number or to an agent with a violation (`rule_limits`):
        nothing is written.

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
        once = self.once_a_month_rules()
        rules = {code: rule for code, (_, rule) in self.fw.rules.items()}
        with ExitStack() as stack:
            for (project, month), batch in sorted(by_month.items()):
                key = self.fw.store.period_key(project, EVENTS, month)
                tx = stack.enter_context(self.fw.store.transaction(key, actor, action))
                if any(e["rule"] in once for e in batch):
                    # read under the month's lock, so two recorders cannot both be first
                    index = second_of_the_month(tx.docs(TABLE).values(), batch, once)
                    if index is not None:
                        raise once_a_month_conflict(batch[index], self.fw.rules[batch[index]["rule"]][1])
                awards = self.fw.projects.settings(self.fw.projects.get(project), "core")["floor_awards"]
                refused = rule_limits.refusal(tx.docs(TABLE).values(), batch, rules, awards)
                if refused is not None:
                    raise Conflict(refused[1], **refused[2])
                tx.insert_many(TABLE, batch)
        return sum(map(len, by_month.values()))

    def once_a_month_rules(self) -> set[str]:
        """The codes of the rules an agent may have one active event of a month."""
        return {code for code, (_, rule) in self.fw.rules.items() if rule.once_a_month}

    def reverse(self, event_id: str, reason: str, actor: str, project: str | None = None, *,
                decision: bool = False) -> dict:
        """Cancel an event with a reversal that points at it; the original stays.

        *decision* marks the reversal as a person's decision (a supervisor approving a
        cancellation, an admin at the command line): `settle` then leaves the event's evidence
        alone for good. A plugin reversing what its evidence no longer supports leaves it
        False (or lets `settle` do it). The event's month must be open: see `correct`.
        """
        reason = validate.text(reason, N_("reason"), required=True)
        key, event = self.find(event_id, project)
        if event["reverses"]:
            raise Conflict(N_("{id} is itself a reversal and cannot be reversed"), id=event_id)
        reversal = reversal_of(event, reason, actor, decision)
        with self.fw.store.transaction(key, actor, "score.reverse") as tx:
            if any(e["reverses"] == event_id for e in tx.docs(TABLE).values()):
                raise Conflict(N_("{id} is already reversed"), id=event_id)
            tx.insert(TABLE, reversal)
        return reversal

    # ------------------------------------------------------------ settling evidence

    def settle(self, project: str, source: str,
               wanted_by_evidence: Mapping[str, Iterable[Wanted | tuple | Mapping]], actor: str, *,
               month: str | None = None, kind: str | None = None,
               agents: Collection[str] | None = None, reasons: Mapping[str, str] | None = None,
               reason: str = "no longer wanted", action: str | None = None) -> Settled:
        """Make the ledger hold, for each evidence key, exactly the events *source* wants.

        :param project: the project's slug.
        :param source: the plugin's name; it settles only its own events (``source``) and its
            own evidence keys, ``<source>:<kind>:<id>`` (``attendance:day:1001:2026-11-03``).
        :param wanted_by_evidence: evidence key → the events wanted for it, each a `Wanted`
            (rule, points, date, agent, reason); an empty list wants none.
        :param actor: who settles (the audit's actor and the events' ``recorded_by``).
        :param month: read and write only this month's file (every wanted event is dated in
            it); without it, every month of the project is looked at.
        :param kind: with *month*: *wanted_by_evidence* is the whole truth about the month's
            ``<source>:<kind>:`` evidence, so an event of such a key missing from it is
            reversed too (a day no longer rostered). Without it only the keys given are settled.
        :param agents: with *kind*: the whole truth for these agents only.
        :param reasons: evidence key → the reason its reversals carry (default *reason*).
        :param action: the audit's action (default ``<source>.settle``).
        :returns: a `Settled`.

        Evidence a person decided, and evidence in a closed month, is left alone and reported
        (`core/settlement.py` has the rules and the reasons). The month files are locked before
        they are read and each is written in one commit, nothing if anything is refused.
        """
        project_doc = self.fw.projects.get(project)
        wanted = self._wanted(project_doc, source, kind, wanted_by_evidence)
        if month is not None:
            month = validate.month(month)
            stray = sorted({w.date for ws in wanted.values() for w in ws if w.date[:7] != month})
            if stray:
                raise ValueError(f"settling {month}, but events are wanted on {', '.join(stray)}")
        elif kind is not None:
            raise ValueError("settling a whole kind of evidence needs its month")
        closed = self.fw.store.closed_months(project)
        months = {month} if month else {*self._months(project),
                                         *(w.date[:7] for ws in wanted.values() for w in ws)}
        with ExitStack() as stack:
            txs = {m: stack.enter_context(self.fw.store.transaction(
                       self.fw.store.period_key(project, EVENTS, m), actor, action or f"{source}.settle"))
                   for m in sorted(months - closed)}
            events = [e for m in sorted(months) for e in (
                txs[m].docs(TABLE) if m in txs
                else self.fw.store.table(self.fw.store.period_key(project, EVENTS, m), TABLE)).values()]
            scope = (f"{source}:{kind}:", None if agents is None else set(agents)) if kind else None
            plan = plan_settle(events, wanted, source, scope, closed)
            reasons = reasons or {}
            written = [self.prepare(project_doc, w.agent, w.rule, w.date, actor, points=w.points,
                                    reason=w.reason, source=source, evidence=key, allow_derived=True)
                       for key, w in plan.write]
            reversals = [reversal_of(e, validate.text(reasons.get(e["evidence"]) or reason, N_("reason"),
                                                    required=True), actor, False)
                         for e in plan.reverse]
            by_month: dict[str, list[dict]] = {}
            for event in (*reversals, *written):
                by_month.setdefault(event["period"], []).append(event)
            for m, batch in by_month.items():
                txs[m].insert_many(TABLE, batch)
        return Settled(tuple(written), tuple(reversals), plan.decided, plan.closed)

    def _wanted(self, project: dict, source: str, kind: str | None,
                wanted_by_evidence: Mapping[str, Iterable]) -> dict[str, list[Wanted]]:
        """The wanted events as `Wanted`s with their points worked out, keys checked."""
        prefix = f"{source}:{kind}:" if kind else f"{source}:"
        rules: dict[str, ScoreRule] = {}
        found = {}
        for key, items in wanted_by_evidence.items():
            parts = key.split(":", 2) if isinstance(key, str) else ()
            if len(parts) != 3 or not all(parts) or not key.startswith(prefix):
                raise ValueError(f"evidence {key!r} is not {prefix}{'' if kind else '<kind>:'}<id>")
            found[key] = []
            for item in items:
                w = Wanted(**item) if isinstance(item, Mapping) else Wanted(*item)
                if w.rule not in rules:
                    rules[w.rule] = self.rule(w.rule, project)
                points = rules[w.rule].points if w.points is None else w.points
                found[key].append(w._replace(points=points, date=validate.date(w.date),
                                             agent=str(w.agent)))
        return found

    def _months(self, project: str) -> list[str]:
        """The months of *project* that have an events file."""
        return [key.rsplit("/", 1)[1] for key in self.fw.store.keys(f"projects/{project}/{EVENTS}")]

    # ------------------------------------------------------------ correcting

    def correctable(self, event_id: str, project: str | None = None) -> tuple[str, dict]:
        """The event *event_id* and its file key, if it still counts and may be corrected;
        else `Conflict`: it is a reversal, already reversed, or already corrected."""
        key, event = self.find(event_id, project)
        if event["reverses"]:
            raise Conflict(N_("{id} is itself a reversal and cannot be reversed"), id=event_id)
        if self.fw.store.read(key).index(TABLE, "reverses").get(event_id):
            raise Conflict(N_("{id} is already reversed"), id=event_id)
        if event["period"] in self.fw.store.closed_months(event["project"]):
            done = self._corrections(event["project"], event["period"], event["agent"])
            if event_id in done:
                raise Conflict(N_("{id} is already corrected by adjustment {adjustment}"),
                               id=event_id, adjustment=done[event_id]["id"])
        return key, event

    def correct(self, event_id: str, reason: str, actor: str, project: str | None = None) -> dict:
        """Correct an event that should not count: a person's decision, logged with *reason*.

        In an open month, a reversal marked as a decision (see `reverse`). In a closed month,
        which nothing may change, an ``adjustment`` in the first open month after it (dated its
        first day) that names the closed month (``adjusts``) and the event (``corrects``): its
        points are the closed month's total as corrected (earlier corrections of the agent's
        month included) with this event, less the same without it, so an escalation that no
        longer holds and a derived bonus now earned (`ScoreRule.withheld_by`) are in it. Returns the
        reversal or the adjustment.
        """
        reason = validate.text(reason, N_("reason"), required=True)
        _, event = self.correctable(event_id, project)
        slug, month = event["project"], event["period"]
        closed = self.fw.store.closed_months(slug)
        if month not in closed:
            return self.reverse(event_id, reason, actor, slug, decision=True)
        project_doc = self.fw.projects.get(slug)
        into = first_open_month(month, closed)
        with self.fw.store.transaction(self.fw.store.period_key(slug, EVENTS, into), actor,
                                       "score.correct") as tx:
            done = self._corrections(slug, month, event["agent"], tx)
            if event_id in done:  # another correction landed while this one waited
                raise Conflict(N_("{id} is already corrected by adjustment {adjustment}"),
                               id=event_id, adjustment=done[event_id]["id"])
            month_events = self.events(slug, month)
            settings = self.fw.projects.settings(project_doc, "core")
            rules = {code: self.rule(code, project_doc) for code, (_, r) in self.fw.rules.items() if r.withheld_by}
            totals = [build_sheet(corrected_view(month_events, event["agent"], ids, rules),
                                  settings, self.fw.rules)["total"]
                      for ids in (set(done), {*done, event_id})]
            adjustment = self.prepare(project_doc, event["agent"], "adjustment", f"{into}-01", actor,
                                      points=totals[1] - totals[0], reason=reason, adjusts=month,
                                      evidence=event["evidence"])
            adjustment.update(corrects=event_id, decision=True)
            tx.insert(TABLE, adjustment)
        return adjustment

    def _corrections(self, project: str, month: str, agent: str, tx=None) -> dict[str, dict]:
        """The adjustments that still count and correct events of *agent*'s closed *month*,
        by the event they correct (from any later month; *tx*'s working copy for its file)."""
        found = {}
        for later in self._months(project):
            if later <= month:
                continue
            key = self.fw.store.period_key(project, EVENTS, later)
            docs = tx.docs(TABLE) if tx is not None and tx.shard.key == key \
                else self.fw.store.table(key, TABLE)
            reversed_ids = {e["reverses"] for e in docs.values() if e["reverses"]}
            found.update((e["corrects"], e) for e in docs.values()
                         if e.get("corrects") and e["adjusts"] == month and e["agent"] == agent
                         and not e["reverses"] and e["id"] not in reversed_ids)
        return found

    # ------------------------------------------------------------ the sheet

    def sheet(self, project: str, month: str, columns: bool = True, leaders: bool = False) -> list[dict]:
        """The month's score sheet of *project*: a row per agent assigned during the month,
        with plugin columns (grade, pay float …) merged in unless *columns* is false (a plugin
        that reads earlier months' totals asks for the core's rows only). With *leaders*, the
        sheet of the team leaders of the register instead (班长考核), who are on no agents' sheet."""
        return self.sheet_and_columns(project, month, columns, leaders)[0]

    def sheet_and_columns(self, project: str, month: str, columns: bool = True, leaders: bool = False
                          ) -> tuple[list[dict], list[SheetColumn]]:
        """The sheet's rows and the plugins' `SheetColumn`s merged into them: a page heads each
        plugin column with its title in the reader's language, not its key."""
        month = validate.month(month)
        rows = [dict(row) for row in self._core_rows(project, month, leaders)]
        found = self.sheet_columns(project, month, rows) if columns else []
        for column in found:
            for row in rows:
                row[column.key] = column.values.get(row["number"])
        return rows, found

    def _core_rows(self, project: str, month: str, leaders: bool = False) -> list[dict]:
        key = self.fw.store.period_key(project, EVENTS, month)
        shard = self.fw.store.read(key)
        memo = (project, month, shard.generation, shard.stat, self.fw.store.read(CORE).generation,
                leaders)
        if memo in self._rows:
            self._rows.move_to_end(memo)
            return self._rows[memo]
        project_doc = self.fw.projects.get(project)
        settings = self.fw.projects.settings(project_doc, "core")
        by_agent = shard.index(TABLE, "agent")
        teams = {t["slug"]: t["name"] for t in self.fw.teams.of(project)}
        rows = []
        for agent, assignment in self.fw.agents.in_month(project, month):
            if (position_of(agent) == "team_leader") != leaders:
                continue
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
        return collect(self.fw.project_hook(project_doc, "sheet_columns"), SheetColumn, key="key",
                       floorwalker=self.fw, project=project_doc, period=validate.month(month),
                       rows=rows)


def second_of_the_month(existing: Iterable[dict], batch: Iterable[dict],
                        once: Collection[str]) -> int | None:
    """The index in *batch* of the first event that would be an agent's second active event
    of a once-a-month rule (codes *once*) in its month, given the month's *existing* events
    (reversals included); None when there is none."""
    existing = list(existing)
    reversed_ids = {e["reverses"] for e in existing if e["reverses"]}
    taken = {(e["agent"], e["period"], e["rule"]) for e in existing
             if e["rule"] in once and not e["reverses"] and e["id"] not in reversed_ids}
    for index, event in enumerate(batch):
        if event["rule"] in once and not event["reverses"]:
            key = (event["agent"], event["period"], event["rule"])
            if key in taken:
                return index
            taken.add(key)
    return None


ONCE_A_MONTH = N_("agent {number} already has “{rule}” for {month}; reverse it to change it")


def once_a_month_conflict(event: dict, rule: ScoreRule) -> Conflict:
    """The refusal of *event*, a second active event of the once-a-month *rule*."""
    return Conflict(ONCE_A_MONTH, number=event["agent"], rule=Words(rule.title_en, rule.title_zh),
                    month=event["period"])


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
    if any(getattr(rules.get(e["rule"], (None, None))[1], "floor_award", False) for e in active) \
            and any(map(rule_limits.is_violation, active)):
        flags.append(rule_limits.AWARD_FAULTED)  # a person reverses the award or the violation
    return {
        "base": settings["base_score"],
        "bonus": by_kind["bonus"],
        "deductions": {kind: by_kind[kind] for kind in ("light", "medium", "severe")},
        "judgement": by_kind["judgement"],
        "adjustment": by_kind["adjustment"],  # corrections of closed months only
        "result": by_kind["result"],  # what a plugin derived from results (QA's evaluations)
        "escalation": escalation,
        "violations": {"light": counts["light"], "medium": counts["medium"], "severe": counts["severe"]},
        "raw_total": raw,
        "total": min(raw, settings["cap"]),
        "flags": flags,
        "events": [{**e, "reversed_by": reversed_by.get(e["id"])} for e in events],
    }
