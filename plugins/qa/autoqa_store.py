"""Auto-QA results (全量质检), kept per interaction: every chat is checked when it is imported
(`run`, called by the interactions import), again by ``floorwalker qa autoqa``, and each hit is
confirmed or rejected by QA staff (`review`).

A result lives in its interaction's month file (``projects/<slug>/qa_autoqa/<YYYY-MM>``, table
``results``, under the interaction's id): the agent, ``json`` (exactly `AutoQA.as_json`, what the
CLI prints), ``must_check`` and ``risk`` (risk words put the chat into the must-check sample),
and ``hits``: one per unit a reviewer decides — (rule, what) of `AutoQA.hit_keys`, with where it
was said and the reviewer's ``verdict`` (None, ``confirmed`` or ``rejected``). Checking a chat
again keeps the verdicts of the hits that are still found, so a re-run after a phrase list
changed does not throw the reviewers' work away.

Risk words are not a hit to review: they are the customer's words, not a breach by the agent;
they only put the chat into the must-check sample. The forbidden phrases are the published
standard's (none while nothing is published). Results are not pay-relevant (no score event is
written from a rule), so a month's file closes with its month like any other.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from floorwalker.core import N_, Conflict, NotFound, ValidationError, now_iso

from . import autoqa, scorecards
from .config import NAME

TABLE = "results"
REVIEWED = tuple(r for r in autoqa.RULES if r != "risk")  # the rules whose hits QA staff decide
VERDICTS = {"confirmed": N_("confirmed"), "rejected": N_("rejected")}


def _key(fw, slug: str, month: str) -> str:
    return fw.store.period_key(slug, "qa_autoqa", month)


def settings_of(fw, project: dict) -> tuple[autoqa.AutoQASettings, list[str]]:
    """The project's auto-QA settings and the forbidden phrases of its published standard."""
    values = fw.projects.settings(project, NAME)
    card = scorecards.in_state(fw, project["slug"], "published")
    return autoqa.AutoQASettings.from_settings(values), list(card["forbidden"]) if card else []


def checked(interaction: dict, settings: autoqa.AutoQASettings, forbidden: list[str],
            before: dict | None = None) -> dict:
    """The result document of one chat interaction (*before*: its result until now, whose
    verdicts are kept for the hits found again)."""
    result = autoqa.check(interaction["transcript"], settings, forbidden,
                          interaction=interaction["id"], agent=interaction["agent"])
    kept = {(h["rule"], h["what"]): h for h in (before or {}).get("hits", ())}
    hits = []
    for rule, what in sorted(result.hit_keys(), key=lambda k: (list(autoqa.RULES).index(k[0]), k[1])):
        if rule not in REVIEWED:
            continue
        where = _where(result.findings, rule, what)
        old = kept.get((rule, what), {})
        hits.append({"rule": rule, "what": what, "time": where.time if where else "",
                     "said": (where.said if where else "")[:300],
                     "phrases": [what] if what else sorted({f.phrase for f in result.findings
                                                            if f.rule == rule and f.phrase}),
                     "seconds": int(where.phrase) if rule == "long_waits" and where else None,
                     "verdict": old.get("verdict"), "by": old.get("by"), "at": old.get("at")})
    return {"id": interaction["id"], "agent": interaction["agent"], "date": interaction["date"],
            "time": interaction["time"], "json": result.as_json(), "must_check": result.must_check,
            "risk": list(result.risk), "hits": hits}


def _where(findings, rule: str, what: str):
    for f in findings:
        if f.rule == rule and (not what or (f.time == what if rule == "long_waits" else f.phrase == what)):
            return f
    return None


def chats(docs: Iterable[dict]) -> list[dict]:
    """The interactions auto-QA reads: chats with a transcript."""
    return [d for d in docs if d.get("channel") == "chat" and (d.get("transcript") or "").strip()]


def run(fw, project, interactions: Iterable[dict], actor: str) -> int:
    """Check every chat of *interactions* and keep the results, one commit per month file;
    months that are closed are left as they are. Returns how many chats were checked."""
    project = fw.projects.get(project) if isinstance(project, str) else project
    slug = project["slug"]
    settings, forbidden = settings_of(fw, project)
    closed = fw.store.closed_months(slug)
    by_month: dict[str, list[dict]] = defaultdict(list)
    for doc in chats(interactions):
        if doc["date"][:7] not in closed:
            by_month[doc["date"][:7]].append(doc)
    for month, docs in sorted(by_month.items()):
        with fw.store.transaction(_key(fw, slug, month), actor, "qa.autoqa.run") as tx:
            stored = tx.docs(TABLE)
            fresh = {d["id"]: checked(d, settings, forbidden, stored.get(d["id"])) for d in docs}
            if fresh.keys() & stored.keys():  # checked again: the file is rewritten in one write
                kept = [dict(d) for i, d in stored.items() if i not in fresh]
                tx.table(TABLE).truncate()
                tx.insert_many(TABLE, kept + list(fresh.values()))
            else:
                tx.insert_many(TABLE, list(fresh.values()))
    return sum(len(d) for d in by_month.values())


def of_month(fw, slug: str, month: str) -> list[dict]:
    """The results of *month*, by the chat's time."""
    return sorted(fw.store.table(_key(fw, slug, month), TABLE).values(), key=lambda d: (d["time"], d["id"]))


def of_interaction(fw, slug: str, interaction: dict) -> dict | None:
    """The result of one interaction (None: not a chat, or not checked)."""
    return fw.store.table(_key(fw, slug, interaction["date"][:7]), TABLE).get(interaction["id"])


def review(fw, project: dict, month: str, interaction_id: str, hit: int, verdict: str, actor: str) -> dict:
    """Confirm or reject hit number *hit* of a chat's result; a decided hit may be decided again
    (a reviewer's slip), and the audit keeps both."""
    if verdict not in VERDICTS:
        raise ValidationError(N_("confirm or reject"), N_("expected confirmed or rejected"))
    with fw.store.transaction(_key(fw, project["slug"], month), actor, "qa.autoqa.review") as tx:
        doc = tx.get(TABLE, interaction_id)
        if doc is None:
            raise NotFound(N_("no auto-QA result for interaction {id!r}"), id=interaction_id)
        if not 0 <= hit < len(doc["hits"]):
            raise Conflict(N_("the chat was checked again: open the review queue again"))
        hits = [dict(h) for h in doc["hits"]]
        hits[hit].update(verdict=verdict, by=actor, at=now_iso())
        return tx.update(TABLE, interaction_id, {"hits": hits})


def queue(results: Iterable[dict], rule: str | None = None, agent: str | None = None) -> list[tuple]:
    """(result, hit number, hit) of every hit not decided yet, optionally of one rule or agent."""
    return [(r, n, h) for r in results if not agent or r["agent"] == agent
            for n, h in enumerate(r["hits"]) if h["verdict"] is None and (not rule or h["rule"] == rule)]


def report(results: Iterable[dict], group_of) -> list[dict]:
    """Per group (``group_of(result)``: an agent's number, a team's slug), the chats checked and,
    per rule of `REVIEWED`, the chats it hit, its hit rate (hit chats ÷ chats), its hits and how
    many were reviewed and confirmed, and the share confirmed (confirmed ÷ reviewed; None while
    none is reviewed — an unreviewed hit is neither right nor wrong yet)."""
    groups: dict[str, dict] = {}
    for result in results:
        row = groups.setdefault(group_of(result), {"group": group_of(result), "chats": 0, "must_check": 0,
                                                   "rules": {r: _empty() for r in REVIEWED}})
        row["chats"] += 1
        row["must_check"] += bool(result.get("must_check"))
        seen = set()
        for hit in result["hits"]:
            cell = row["rules"][hit["rule"]]
            cell["hits"] += 1
            cell["reviewed"] += hit["verdict"] is not None
            cell["confirmed"] += hit["verdict"] == "confirmed"
            if hit["rule"] not in seen:
                cell["chats"] += 1
                seen.add(hit["rule"])
    for row in groups.values():
        for cell in row["rules"].values():
            cell["rate"] = cell["chats"] / row["chats"] if row["chats"] else None
            cell["confirmed_share"] = cell["confirmed"] / cell["reviewed"] if cell["reviewed"] else None
    return sorted(groups.values(), key=lambda r: r["group"])


def _empty() -> dict:
    return {"chats": 0, "hits": 0, "reviewed": 0, "confirmed": 0}


def beside(fw, slug: str, interaction: dict | None) -> dict | None:
    """What the evaluation pages show of a chat's auto-QA (``qa/autoqa_hits.html``), or None."""
    result = of_interaction(fw, slug, interaction) if interaction else None
    if result is None:
        return None
    return {"result": result, "rules": autoqa.RULES, "times": autoqa.TIMES, "verdicts": VERDICTS}
