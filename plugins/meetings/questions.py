"""Questions from the floor (业务问题收集, issue 15 item 7): an agent raises a business question
during the day on the phone; its team leaders see the questions of their teams; everything
raised since the last briefing is collected for the next one (`since_last_briefing`), where the
leader answers it for everyone and may turn the answer into a unified answer (统一答复口径).

A question is *raised*, then *answered* (the answer is shown to every agent of the project, or
of the teams the leader chose, on their phone page), and may be *unified*: published through
`answers.publish` as a decision of a briefing, which the agents then sign as any unified answer.

Questions live in the plugin's file (table ``questions``, ids ``Q0001`` …, ``dated: None``);
each step is one audited store transaction. Times are the project's wall clock to the minute.
"""

from __future__ import annotations

import datetime as dt
import re

from floorwalker.core import N_, Conflict, FloorwalkerError, NotFound, ValidationError, WaitingItem, validate

from . import answers, records
from .coaching import at_time, day_of
from .config import NAME, times_of

TABLE = "questions"
STATES = {"raised": N_("Raised"), "answered": N_("Answered"), "unified": N_("Turned into a unified answer")}
_ID = re.compile(r"^Q(\d+)$")
QUESTION_LIMIT = 500
TEXT_LIMIT = 2000
# the demo's words (`demo`)
QUESTIONS = [("客户问：话费套餐降档后，已赠送的流量是否收回？", "当月已赠送的流量不收回，次月起按新套餐执行。"),
             ("退款到账时间怎么答复？系统显示“处理中”超过七天。", "统一答复七个工作日内原路退回；超过的登记工单转二线核查。"),
             ("客户要求提供通话录音，可以吗？", "不能直接提供，请引导客户携带身份证件到营业厅申请调取。"),
             ("夜间来电客户要求加急配送，能否承诺时效？", "不能承诺具体时效，只能登记加急申请，由物流部次日回电。"),
             ("老年客户不会用APP，能否代为办理？", "可以在核实身份并征得同意后代为办理，通话需全程录音。"),
             ("客户投诉同一问题第三次来电，是否直接升级？", "同一问题第三次来电直接升级班长处理，并在工单中注明。"),
             ("积分兑换的商品缺货，怎么答复客户？", "致歉并告知可改换同等积分的其他商品，或保留积分至下月。"),
             ("客户询问营业厅春节营业时间。", "以官网公告为准：除夕至初二休息，初三起正常营业。"),
             ("客户要求把投诉转给领导，该怎么说？", "告知会如实记录并由班长在24小时内回电，不要承诺具体领导。"),
             ("系统升级期间查不到订单，怎么安抚客户？", "说明系统维护，记录客户电话，恢复后两小时内回电。")]
CONTEXTS = ["", "", "今天上午接到三通同类来电", "客户情绪激动，要求马上答复", ""]
END_OF_DAY = "24:00"  # later than any HH:MM of the day, earlier than the next day's


def _stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat(timespec="minutes")


def _key(fw, project: dict) -> str:
    return records.key(fw, project["slug"])


def all_of(fw, project: dict) -> list[dict]:
    """The project's questions, newest first."""
    docs = fw.store.table(_key(fw, project), TABLE).values()
    return sorted(docs, key=lambda d: (d["raised_at"], d["id"]), reverse=True)


def get(fw, project: dict, question_id: str) -> dict:
    doc = fw.store.table(_key(fw, project), TABLE).get(str(question_id).strip().upper())
    if doc is None:
        raise NotFound(N_("no question {id!r}"), id=question_id)
    return doc


def team_of(fw, project: dict, number: str, day: str) -> str | None:
    """The agent's team on *day*; None when it is not in the project that day."""
    slot = fw.agents.assignment_on(number, day)
    return (slot.get("team") or "") if slot and slot["project"] == project["slug"] else None


def raise_question(fw, project: dict, user: dict, text, context="") -> dict:
    """The agent linked to *user* raises *text* (with optional *context*: the call, the case)."""
    now = fw.projects.now(project)
    number = user.get("agent") or ""
    team = team_of(fw, project, number, now.date().isoformat()) if number else None
    if team is None:
        raise ValidationError(N_("Agent"), N_("only an agent of this project raises a question"))
    doc = {"agent": number, "team": team, "raised_by": user["username"], "raised_at": _stamp(now),
           "text": validate.text(text, N_("Question"), QUESTION_LIMIT, required=True),
           "context": validate.text(context, N_("Context"), TEXT_LIMIT), "status": "raised",
           "answer": None, "unified": None, "dated": None}
    with fw.store.transaction(_key(fw, project), user["username"], f"{NAME}.question") as tx:
        numbers = [int(m.group(1)) for i in tx.docs(TABLE) if (m := _ID.match(i))]
        return tx.insert(TABLE, {**doc, "id": f"Q{max(numbers, default=0) + 1:04d}"})


# ------------------------------------------------------------------ collected for the briefing


def _moment(doc: dict) -> str:
    return f"{doc['date']}T{doc['time']}"


def _took_place(doc: dict) -> bool:
    """A briefing that was held: minutes written or signed, or attendance taken."""
    return bool((doc.get("minutes") or {}).get("taker") or (doc.get("minutes") or {}).get("signed_by")
                or doc.get("attendance"))


def briefing_moment(fw, project: dict, day: str) -> str:
    """When *day*'s briefing is (``YYYY-MM-DDTHH:MM``): the briefing planned that day, else the
    cadence's briefing time, else the end of the day."""
    planned = sorted(_moment(m) for m in records.all_of(fw, project) if m["kind"] == "briefing" and m["date"] == day)
    if planned:
        return planned[0]
    rows = [r for r in fw.projects.settings(project, NAME)["cadence"] if r.get("kind") == "briefing"]
    times = sorted(times_of(rows[0])) if rows else []
    return f"{day}T{times[0] if times else END_OF_DAY}"


def window(fw, project: dict, day) -> tuple[str, str]:
    """The moments between which questions are collected for *day*'s briefing: from the last
    briefing held before it (or, when none was held, the start of the previous working day) to
    that briefing."""
    day = validate.date(day)
    end = briefing_moment(fw, project, day)
    held = [_moment(m) for m in records.all_of(fw, project)
            if m["kind"] == "briefing" and _took_place(m) and _moment(m) < end]
    if held:
        return max(held), end
    previous = fw.calendar.current().add_workdays(dt.date.fromisoformat(day), -1)
    return f"{previous.isoformat()}T00:00", end


def since_last_briefing(fw, project: dict, day) -> list[dict]:
    """The questions raised since the last briefing held before *day*'s and before that
    briefing (a Saturday's question reaches Monday's; one raised after today's briefing goes
    to the next), oldest first, whatever their status. Each is the stored question: ``id``,
    ``agent`` (number), ``team``, ``text``, ``context``, ``raised_at``, ``status``, ``answer``."""
    start, end = window(fw, project, day)
    return sorted((d for d in all_of(fw, project) if start <= d["raised_at"] < end),
                  key=lambda d: (d["raised_at"], d["id"]))


# ------------------------------------------------------------------ answered for everyone


def _teams(fw, project: dict, teams) -> list[str]:
    known = {t["slug"] for t in fw.teams.of(project["slug"])}
    teams = sorted({str(t).strip() for t in (teams or ()) if str(t).strip()})
    if set(teams) - known:
        raise ValidationError(N_("Teams"), N_("choose teams of this project"))
    return teams


def _update(fw, project: dict, question_id: str, actor: str, action: str, change) -> dict:
    with fw.store.transaction(_key(fw, project), actor, f"{NAME}.question.{action}") as tx:
        doc = tx.get(TABLE, str(question_id).strip().upper())
        if doc is None:
            raise NotFound(N_("no question {id!r}"), id=question_id)
        return tx.update(TABLE, doc["id"], change(doc))


def answer(fw, project: dict, question_id: str, text, teams, actor: str, meeting: str = "") -> dict:
    """Answer a question for the agents of *teams* (every agent of the project when none), at
    the briefing *meeting* if named; an answer may be reworded until it is a unified answer."""
    text = validate.text(text, N_("The answer"), TEXT_LIMIT, required=True)
    teams = _teams(fw, project, teams)
    meeting = records.get(fw, project, meeting)["id"] if str(meeting or "").strip() else ""

    def change(doc):
        if doc["status"] == "unified":
            raise Conflict(N_("this question is a unified answer already"))
        return {"status": "answered", "answer": {"text": text, "teams": teams, "meeting": meeting, "by": actor,
                                                 "at": _stamp(fw.projects.now(project))}}
    return _update(fw, project, question_id, actor, "answer", change)


def briefings(fw, project: dict, days: int = 7) -> list[dict]:
    """The briefings of the last *days* days up to today, latest first: where an answer is given."""
    today = fw.projects.today(project)
    first = (today - dt.timedelta(days=days)).isoformat()
    return sorted((m for m in records.all_of(fw, project)
                   if m["kind"] == "briefing" and first <= m["date"] <= today.isoformat()),
                  key=_moment, reverse=True)


def unify(fw, project: dict, question_id: str, meeting_id, actor: str) -> dict:
    """Turn an answered question into a unified answer: its answer becomes a decision of the
    briefing *meeting_id* (that of the answer, else the latest briefing until today) and is
    published to the answer's teams with `answers.publish`; the agents then sign it."""
    doc = get(fw, project, question_id)
    if doc["status"] == "unified":
        raise Conflict(N_("this question is a unified answer already"))
    if doc["status"] != "answered":
        raise ValidationError(N_("The answer"), N_("answer the question first"))
    ident = str(meeting_id or "").strip() or doc["answer"].get("meeting") or \
        next((m["id"] for m in briefings(fw, project)), "")
    if not ident:
        raise ValidationError(N_("Briefing"), N_("plan the briefing first: a unified answer is a meeting's decision"))
    meeting = records.get(fw, project, ident)
    wording = doc["answer"]["text"]
    if not answers.agents_of(fw, project, doc["answer"]["teams"], fw.projects.today(project).isoformat()):
        raise ValidationError(N_("Teams"), N_("no agent of these teams would read it"))
    decisions = list((meeting.get("minutes") or {}).get("decisions") or [])
    if wording not in decisions:
        def add_decision(m):
            if (m.get("minutes") or {}).get("signed_by"):
                raise Conflict(N_("the minutes of {id} are signed: nothing may change"), id=m["id"])
            return {"minutes": {**(m.get("minutes") or {}), "decisions": [*decisions, wording]}}
        records.update(fw, project, meeting["id"], actor, f"{NAME}.question.decision", add_decision)
        decisions.append(wording)
    published = answers.publish(fw, project, meeting["id"], decisions.index(wording) + 1, wording,
                                doc["answer"]["teams"], actor)
    _update(fw, project, doc["id"], actor, "unify", lambda d: {
        "status": "unified", "unified": {"answer": published["id"], "meeting": meeting["id"], "by": actor,
                                         "at": published["published_at"]}})
    return published


# ------------------------------------------------------------------ who sees what


def for_agent(fw, project: dict, number: str) -> tuple[list[dict], list[dict]]:
    """(the agent's own questions, the answered questions of others shown to it): an answer
    reaches every agent of its teams (of the project when it names none)."""
    team = team_of(fw, project, number, fw.projects.today(project).isoformat()) if number else None
    own, answered = [], []
    for doc in all_of(fw, project):
        if number and doc["agent"] == number:
            own.append(doc)
        elif doc["answer"] and team is not None and (not doc["answer"]["teams"] or team in doc["answer"]["teams"]):
            answered.append(doc)
    return own, answered


def led_teams(project: dict, user: dict) -> list[str]:
    prefix = f"{project['slug']}."
    return sorted(t[len(prefix):] for t in user.get("teams") or () if t.startswith(prefix))


def for_leader(fw, project: dict, teams: set[str] | None) -> list[dict]:
    """The questions of agents of *teams* (all of them when None), newest first."""
    return [d for d in all_of(fw, project) if teams is None or d["team"] in teams]


def waiting(fw, project: dict, user: dict) -> list[WaitingItem]:
    """For a team leader: the questions of its teams not answered yet."""
    teams = set(led_teams(project, user))
    if not teams:
        return []
    count = sum(1 for d in for_leader(fw, project, teams) if d["status"] == "raised")
    return [WaitingItem("Questions from the floor to answer", "待解答的业务问题", count,
                        f"/p/{project['slug']}/{NAME}/questions")] if count else []


def demo(fw, project: dict, months: int, rng, today, actor: str) -> int:
    """Plausible questions for the demo: raised over the last weeks, most answered at the next
    briefing, one turned into a unified answer. Returns how many it wrote."""
    today = day_of(today)
    now = _stamp(fw.projects.now(project)) if fw.projects.today(project) == today else at_time(today, 18)
    calendar = fw.calendar.current()
    logins = {u["agent"]: u["username"] for u in fw.users.all() if u.get("agent")}
    people = [(a["number"], s.get("team") or "") for a, s in fw.agents.in_project(project["slug"], today.isoformat())
              if (a.get("position") or "agent") == "agent"]
    if not people:
        return 0
    # the days: one a working day back from today, a Saturday among them, a few in the earlier months
    days = [calendar.add_workdays(today, -n) for n in (0, 1, 2, 3, 5, 8, 12)]
    saturday = today - dt.timedelta(days=(today.weekday() - 5) % 7 or 7)
    days.append(saturday)
    days += [today - dt.timedelta(days=rng.randint(30, max(31, months * 28))) for _ in range(2)]
    docs = []
    for n, day in enumerate(sorted(days)):
        number, team = rng.choice(people)
        text, reply = QUESTIONS[n % len(QUESTIONS)]
        raised = min(at_time(day, rng.randint(9, 19), rng.choice((5, 20, 35, 50))), now)
        doc = {"agent": number, "team": team, "raised_by": logins.get(number, actor), "raised_at": raised,
               "text": text, "context": rng.choice(CONTEXTS), "status": "raised", "answer": None, "unified": None,
               "dated": None}
        at = calendar.add_workdays(day, 1)
        if at < today:  # answered at the next working day's briefing
            leaders = [u["username"] for u in fw.users.leading(project["slug"], team)] if team else []
            meeting = _briefing_on(fw, project, at)
            doc.update(status="answered", answer={"text": reply, "teams": [team] if team else [],
                                                  "meeting": meeting["id"] if meeting else "",
                                                  "by": leaders[0] if leaders else actor, "at": at_time(at, 8, 55)})
        docs.append(doc)
    with fw.store.transaction(records.key(fw, project["slug"]), actor, f"{NAME}.question.demo") as tx:
        start = len(tx.docs(TABLE))
        stored = [tx.insert(TABLE, {**d, "id": f"Q{start + n + 1:04d}"}) for n, d in enumerate(docs)]
    # one answer made a unified answer, as a decision of a briefing whose minutes are still open
    open_briefing = next((m for m in records.all_of(fw, project) if m["kind"] == "briefing"
                          and m["date"] >= calendar.add_workdays(today, -3).isoformat()
                          and not (m.get("minutes") or {}).get("signed_by")), None)
    answered = [d for d in stored if d["status"] == "answered"]
    if open_briefing and answered:
        chosen = answered[-1]
        try:
            unify(fw, project, chosen["id"], open_briefing["id"], chosen["answer"]["by"])
        except FloorwalkerError:  # no agent of the team would read it: the demo goes on without
            pass
    return len(stored)


def _briefing_on(fw, project: dict, day: dt.date) -> dict | None:
    return next((m for m in records.all_of(fw, project) if m["kind"] == "briefing" and m["date"] == day.isoformat()),
                None)
