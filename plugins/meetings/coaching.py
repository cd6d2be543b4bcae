"""Coaching (辅导, issue 15 item 6): an item opened for an agent, a session held on it, the agent's
acknowledgement, and the follow-up that closes it.

An item comes from another plugin's hook — a QA evaluation flagged for coaching
(``qa_coaching_item``) or a valid complaint (``complaints_coaching_item``) — or is opened by hand
by a leader of the agent's team (a supervisor: any agent), with a reason. One item per source
record: a hook called twice for the same evaluation or complaint opens nothing new.

Its life, each step one audited store transaction by the person who took it:

1. *to coach* — no session yet: it waits in the "waiting for me" of the agent's team leaders;
2. the leader holds the **session**: its date, notes, what was agreed and a follow-up date. The
   agent has the setting ``coaching_ack_hours`` (48 by default) from the moment the session is
   written to **acknowledge** it on the phone; an acknowledgement after that is kept, marked
   late; a session still unacknowledged past it shows to the team leaders;
3. the leader records the **follow-up** (the item closes), or closes the item with a note.

Items live in the plugin's file (table ``coaching``), ``dated: None`` like the meetings. For the
figures (`figures`): an item is *due* when opened and *done* when its session is acknowledged.
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import N_, Conflict, NotFound, Setting, ValidationError, WaitingItem, new_id, now_iso, validate

from . import records
from .config import GROUP, NAME

TABLE = "coaching"
SOURCES = {"qa": N_("QA evaluation"), "complaints": N_("Valid complaint"), "hand": N_("Opened by a leader")}
STAGES = {"to_coach": N_("Session to hold"), "to_acknowledge": N_("Waiting for the agent's acknowledgement"),
          "unacknowledged": N_("Not acknowledged in time"), "follow_up": N_("Follow-up to record"),
          "closed": N_("Item closed")}
SYSTEM = "system"
# the demo's words (`demo`)
HAND_REASONS = ["通话中语速过快，客户多次要求重复", "话后处理时长连续一周高于班组平均", "近期情绪低落，服务语气生硬",
                "新业务知识掌握不牢，转接率偏高"]
NOTES = ["回放录音逐句讲解，指出核实身份环节的遗漏，并示范标准话术。",
         "一起复盘投诉通话，客户情绪升级的节点在于未及时致歉。",
         "对照质检标准逐项核对，开场白与结束语均不完整。",
         "沟通近期状态，了解到家中有事，已协调调班。",
         "讲解新资费政策要点，现场模拟三通来电。"]
AGREED = ["一周内每天听两条优秀录音，并按标准话术完成核实身份。",
          "遇到客户不满先致歉再解释，班长下周抽听五通。",
          "严格使用开场白与结束语，质检员下周重点抽查。",
          "本周内完成新业务知识测试，成绩达到90分。"]
FOLLOW_UPS = ["抽听五通电话，话术已规范。", "本周质检无同类差错，辅导结束。", "复测92分，已掌握。",
              "状态已恢复，客户满意度回升。"]
REASON_LIMIT = 300
TEXT_LIMIT = 2000

SETTINGS = [
    Setting("coaching_ack_hours", "int", 48, "Hours the agent has to acknowledge a coaching session",
            "坐席确认辅导记录的时限（小时）", min=1, max=720,
            help_en="Counted from when the team leader records the session. A later acknowledgement is "
                    "marked late; an unacknowledged session past it shows to the team leaders.",
            help_zh="从班长录入辅导记录时起算。超时确认记为逾期；超时仍未确认的，提醒班长。", **GROUP),
]


def stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat(timespec="minutes")


def _key(fw, project) -> str:
    return records.key(fw, project["slug"])


def all_of(fw, project: dict) -> list[dict]:
    """The project's coaching items, the latest opened first."""
    return sorted(fw.store.table(_key(fw, project), TABLE).values(), key=lambda d: (_opened(d), d["created_at"]),
                  reverse=True)


def get(fw, project: dict, item_id: str) -> dict:
    doc = fw.store.table(_key(fw, project), TABLE).get(str(item_id).strip())
    if doc is None:
        raise NotFound(N_("no coaching item {id!r}"), id=item_id)
    return doc


def team_of(fw, project: dict, agent: str, day: str) -> str:
    slot = fw.agents.assignment_on(agent, day)
    return slot.get("team") or "" if slot and slot["project"] == project["slug"] else ""


def leaders_of(fw, project: dict, agent: str, day: str) -> list[str]:
    """The usernames leading *agent*'s team on *day*."""
    team = team_of(fw, project, agent, day)
    return [u["username"] for u in fw.users.leading(project["slug"], team)] if team else []


def open_item(fw, project: dict, *, agent: str, source: str, ref: str, reason: str, leaders, link: str,
              actor: str = SYSTEM, opened: str = "") -> bool:
    """Record a coaching item, *opened* on the day its source decided it (today when not said);
    False when the source record has one already."""
    today = fw.projects.today(project).isoformat()
    opened = min(opened[:10], today) if opened and opened[:10] >= "2000" else today
    with fw.store.transaction(_key(fw, project), actor, f"{NAME}.coaching") as tx:
        if any(d["source"] == source and d["ref"] == ref for d in tx.docs(TABLE).values()):
            return False
        tx.insert(TABLE, {"id": new_id(), "agent": str(agent), "source": source, "ref": str(ref),
                          "reason": str(reason or "")[:REASON_LIMIT], "leaders": sorted(leaders), "link": link,
                          "team": team_of(fw, project, str(agent), today), "opened": opened,
                          "opened_by": actor, "status": "open", "session": None, "closing": None,
                          "dated": None, "created_at": now_iso()})
    return True


def from_evaluation(fw, project: dict, evaluation: dict) -> bool:
    agent = evaluation.get("agent")
    if not agent:
        return False
    day = str(evaluation.get("date") or evaluation.get("created_at") or fw.projects.today(project).isoformat())[:10]
    reason = evaluation.get("comment") or f"质检 {evaluation.get('score', '')} 分"
    return open_item(fw, project, agent=agent, source="qa", ref=evaluation["id"], reason=reason,
                     leaders=leaders_of(fw, project, agent, day),
                     opened=str(evaluation.get("submitted_at") or evaluation.get("date") or ""),
                     link=f"/p/{project['slug']}/qa/evaluations/{evaluation['id']}")


def from_complaint(fw, project: dict, complaint: dict, leaders) -> bool:
    if not complaint.get("agent"):
        return False
    return open_item(fw, project, agent=complaint["agent"], source="complaints", ref=complaint["id"],
                     reason=complaint.get("subject") or complaint["id"], leaders=leaders or (),
                     opened=str((complaint.get("verdict") or {}).get("at") or complaint.get("received") or ""),
                     link=f"/p/{project['slug']}/complaints/{complaint['id']}")


def open_by_hand(fw, project: dict, agent, reason, actor: str) -> dict:
    """A leader opens an item for *agent* (a number of the project today) with *reason*. The
    caller has checked that *actor* may coach this agent (`actions.COACH`, scoped by team)."""
    number = str(agent or "").strip()
    if not number:
        raise ValidationError(N_("Agent"), N_("choose an agent"))
    today = fw.projects.today(project).isoformat()
    slot = fw.agents.assignment_on(number, today)
    if not slot or slot["project"] != project["slug"]:
        raise ValidationError(N_("Agent"), N_("{value} is not an agent of this project"), value=number)
    reason = validate.text(reason, N_("Reason"), REASON_LIMIT, required=True)
    ref = new_id()
    open_item(fw, project, agent=number, source="hand", ref=ref, reason=reason, actor=actor, link="",
              leaders=leaders_of(fw, project, number, today))
    return next(d for d in all_of(fw, project) if d["ref"] == ref)


def _change(fw, project: dict, item_id: str, actor: str, action: str, change) -> dict:
    with fw.store.transaction(_key(fw, project), actor, f"{NAME}.coaching.{action}") as tx:
        doc = tx.get(TABLE, str(item_id).strip())
        if doc is None:
            raise NotFound(N_("no coaching item {id!r}"), id=item_id)
        return tx.update(TABLE, doc["id"], change(doc))


def _open(doc: dict) -> None:
    if doc["status"] != "open":
        raise Conflict(N_("this coaching item is closed"))


def hold_session(fw, project: dict, item_id: str, form, actor: str) -> dict:
    """Write the session held on an item: ``date`` (not after today), ``notes``, ``agreed`` and
    ``follow_up`` (a date on or after the session's). The agent's deadline to acknowledge runs
    from now."""
    now = fw.projects.now(project)
    day = validate.date(form.get("date"), N_("Session date"))
    if day > now.date().isoformat():
        raise ValidationError(N_("Session date"), N_("a session is recorded once held: not after today"))
    notes = validate.text(form.get("notes"), N_("Session notes"), TEXT_LIMIT, required=True)
    agreed = validate.text(form.get("agreed"), N_("What was agreed"), TEXT_LIMIT, required=True)
    follow_up = validate.date(form.get("follow_up"), N_("Follow-up date"))
    if follow_up < day:
        raise ValidationError(N_("Follow-up date"), N_("on or after the session's date"))
    hours = int(fw.projects.settings(project, NAME)["coaching_ack_hours"])

    def change(doc):
        _open(doc)
        if doc.get("session"):
            raise Conflict(N_("a session is recorded on this item already"))
        return {"session": {"date": day, "notes": notes, "agreed": agreed, "follow_up": follow_up, "by": actor,
                            "at": stamp(now), "deadline": stamp(now + dt.timedelta(hours=hours)),
                            "acknowledged_at": None, "late": False}}
    return _change(fw, project, item_id, actor, "session", change)


def acknowledge(fw, project: dict, item_id: str, user: dict) -> dict:
    """The agent linked to *user* acknowledges the session on its own item (another agent's
    item answers "not found"); after the deadline the acknowledgement is marked late."""
    at = stamp(fw.projects.now(project))

    def change(doc):
        if doc["agent"] != (user.get("agent") or ""):
            raise NotFound(N_("no coaching item {id!r}"), id=item_id)
        session = doc.get("session")
        if not session:
            raise Conflict(N_("no session is recorded on this item yet"))
        if session.get("acknowledged_at"):
            raise Conflict(N_("you have acknowledged this session already"))
        return {"session": {**session, "acknowledged_at": at, "late": at > session["deadline"]}}
    return _change(fw, project, item_id, user["username"], "acknowledge", change)


def record_follow_up(fw, project: dict, item_id: str, day, note, actor: str) -> dict:
    """The follow-up after the session is done: the item closes."""
    day = validate.date(day, N_("Follow-up date"))
    note = validate.text(note, N_("Follow-up"), TEXT_LIMIT, required=True)

    def change(doc):
        _open(doc)
        if not doc.get("session"):
            raise Conflict(N_("hold the session first"))
        if day < doc["session"]["date"]:
            raise ValidationError(N_("Follow-up date"), N_("on or after the session's date"))
        return {"status": "closed", "closing": {"how": "follow_up", "date": day, "note": note, "by": actor,
                                                "at": stamp(fw.projects.now(project))}}
    return _change(fw, project, item_id, actor, "follow_up", change)


def close(fw, project: dict, item_id: str, note, actor: str) -> dict:
    """The leader closes the item with a note (no follow-up needed, or none possible)."""
    note = validate.text(note, N_("Why it is closed"), TEXT_LIMIT, required=True)

    def change(doc):
        _open(doc)
        return {"status": "closed", "closing": {"how": "closed", "date": fw.projects.today(project).isoformat(),
                                                "note": note, "by": actor, "at": stamp(fw.projects.now(project))}}
    return _change(fw, project, item_id, actor, "close", change)


def stage(doc: dict, now: dt.datetime) -> str:
    """Where the item stands: one of `STAGES`."""
    if doc["status"] == "closed":
        return "closed"
    session = doc.get("session")
    if not session:
        return "to_coach"
    if session.get("acknowledged_at"):
        return "follow_up"
    return "unacknowledged" if stamp(now) > session["deadline"] else "to_acknowledge"


def leads(fw, project: dict, user: dict, doc: dict) -> bool:
    """Whether *user* is one of the item's team leaders: named on it, or leading its agent's team."""
    teams = {f"{project['slug']}.{t}" for t in (doc.get("team"), team_of(
        fw, project, doc["agent"], fw.projects.today(project).isoformat())) if t}
    return user["username"] in doc["leaders"] or bool(teams & set(user.get("teams") or ()))


def for_user(fw, project: dict, user: dict, see_all: bool) -> list[dict]:
    """The coaching items *user* leads (all of them when *see_all*), newest first."""
    return [d for d in all_of(fw, project) if see_all or leads(fw, project, user, d)]


def of_agent(fw, project: dict, number: str) -> list[dict]:
    """Agent *number*'s own items that have a session (the only ones it sees), newest first."""
    return [d for d in all_of(fw, project) if number and d["agent"] == number and d.get("session")]


def waiting(fw, project: dict, user: dict) -> list[WaitingItem]:
    """For a team leader: sessions to hold, and sessions the agent let pass unacknowledged; for
    an agent: its sessions to acknowledge."""
    base = f"/p/{project['slug']}/{NAME}/coaching"
    now = fw.projects.now(project)
    found = []
    if user.get("agent"):
        count = sum(1 for d in of_agent(fw, project, user["agent"]) if stage(d, now) in ("to_acknowledge",
                                                                                          "unacknowledged"))
        found.append(WaitingItem("Coaching sessions to acknowledge", "待确认的辅导记录", count, f"{base}/mine"))
    if user.get("teams") or any(user["username"] in d["leaders"] for d in all_of(fw, project)):
        mine = [stage(d, now) for d in for_user(fw, project, user, False)]
        found.append(WaitingItem("Coaching sessions to hold", "待辅导事项", mine.count("to_coach"), base))
        found.append(WaitingItem("Coaching sessions not acknowledged in time", "逾期未确认的辅导记录",
                                 mine.count("unacknowledged"), base))
    return [w for w in found if w.count]


def figures(fw, project: dict, first: str, last: str) -> dict:
    """Coaching done vs due from *first* to *last* (ISO dates): *due* counts the items opened in
    those days; *done* those of them whose session the agent acknowledged by *last*."""
    due = [d for d in all_of(fw, project) if first <= _opened(d) <= last]
    done = [d for d in due if (d.get("session") or {}).get("acknowledged_at")
            and d["session"]["acknowledged_at"][:10] <= last]
    return {"due": len(due), "done": len(done)}


def _opened(doc: dict) -> str:
    return doc.get("opened") or doc["created_at"][:10]


def demo(fw, project: dict, months: int, rng, today, actor: str) -> int:
    """Plausible coaching for the demo: items by hand besides those QA and complaints opened,
    sessions on most of them (acknowledged in time, late, or not yet), follow-ups on the older
    ones. Returns how many items it touched. Written straight into the plugin's file so the
    dates fall in the past months."""
    today = day_of(today)
    now = stamp(fw.projects.now(project)) if fw.projects.today(project) == today else at_time(today, 18)
    agents = [a["number"] for a, _ in fw.agents.in_project(project["slug"], today.isoformat())
              if (a.get("position") or "agent") == "agent"]
    # an agent with a login finds a session of yesterday to acknowledge on the phone
    phones = sorted(u["agent"] for u in fw.users.all() if u.get("agent") in agents)
    fresh = new_id() if phones else ""
    for n, reason in enumerate(HAND_REASONS if agents else ()):
        number = phones[0] if n == 0 and fresh else rng.choice(agents)
        leaders = leaders_of(fw, project, number, today.isoformat())
        opened = today - dt.timedelta(days=2 if n == 0 and fresh else rng.randint(1, max(2, months * 28)))
        open_item(fw, project, agent=number, source="hand", ref=fresh if n == 0 and fresh else new_id(),
                  reason=reason, link="", leaders=leaders, actor=leaders[0] if leaders else actor,
                  opened=opened.isoformat())
    hours = int(fw.projects.settings(project, NAME)["coaching_ack_hours"])
    touched = 0
    with fw.store.transaction(records.key(fw, project["slug"]), actor, f"{NAME}.coaching.demo") as tx:
        docs = sorted(tx.docs(TABLE).values(), key=lambda d: (d.get("opened") or "", d["id"]))
        late_one = False
        for doc in docs:
            opened = day_of(doc.get("opened") or doc["created_at"])
            age = (today - opened).days
            if doc.get("session") or (doc["ref"] != fresh and (age < 2 or (age < 10 and rng.random() < 0.35))):
                continue  # still to coach
            held = min(opened + dt.timedelta(days=1 if doc["ref"] == fresh else rng.randint(1, 3)), today)
            recorded = dt.datetime(held.year, held.month, held.day, 17, 30)
            deadline = recorded + dt.timedelta(hours=hours)
            late = not late_one and age > 20
            late_one = late_one or late
            wait = hours + rng.randint(3, 30) if late else rng.randint(1, max(1, hours - 1))
            acked = recorded + dt.timedelta(hours=wait)
            if doc["ref"] == fresh or (age <= 6 and rng.random() < 0.5):
                acked = None  # not yet: in time still, or past the deadline on the leader's list
            acked_at = acked.isoformat(timespec="minutes") if acked else None
            if acked_at and acked_at > now:
                acked_at = None
            follow = held + dt.timedelta(days=rng.randint(7, 14))
            by = (doc.get("leaders") or [actor])[0]
            due = deadline.isoformat(timespec="minutes")
            fields = {"session": {"date": held.isoformat(), "notes": rng.choice(NOTES), "agreed": rng.choice(AGREED),
                                  "follow_up": follow.isoformat(), "by": by, "at": recorded.isoformat(timespec="minutes"),
                                  "deadline": due, "acknowledged_at": acked_at, "late": bool(acked_at and acked_at > due)}}
            if acked_at and follow < today:
                fields.update(status="closed", closing={"how": "follow_up", "date": follow.isoformat(), "by": by,
                                                        "note": rng.choice(FOLLOW_UPS), "at": at_time(follow, 17)})
            tx.update(TABLE, doc["id"], fields)
            touched += 1
    return touched


def day_of(value) -> dt.date:
    """*value*, a date or an ISO date or timestamp, as a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def at_time(day: dt.date, hour: int, minute: int = 0) -> str:
    """``YYYY-MM-DDTHH:MM``: the stamps of the plugin's coaching and questions."""
    return dt.datetime(day.year, day.month, day.day, hour, minute).isoformat(timespec="minutes")
