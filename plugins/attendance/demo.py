"""Attendance demo data for ``floorwalker demo``: a floor's shifts, roster, punches, leave, swaps,
handover logs and leaders' marks over the demo months, settled into the ledger.

What a visitor should find, on every demo project:

* shift types 早班 D 08:00–17:00, 中班 M 12:00–21:00, 夜班 N 21:00–06:00, each with a meal
  break of 90 minutes (7.5 hours of continuous work), of the project's first channel as job
  type; each team's weekly pattern (five on, two off), and a roster where the day teams split
  into an early and a late half and rest days rotate (轮休), so the floor is staffed every day
  and each team hands over from D to M, and the night team from night to night;
* punches for every shift begun before now: most on time for roll-call with realistic jitter,
  about 2 % late spread over the bands (some 20 minutes or more), about 0.2 % absent, a few missing
  check-outs (resolved by the leader in the months that closed or are about to), a few early
  leaves, a few stays of over half an hour past the shift (flagged as over 8 hours of continuous
  work); a shift under way has its check-in only;
* leave requests asked with the notice the rules want — approved mostly, some rejected, a couple
  still waiting in the current month; 1–2 approved swaps a month between the day teams (both
  leaders approving) and one waiting; handover logs for most changes (a few missing, one
  refused); a few marks (away from the seat, a covered shift) and an accepted excuse.

Bulk writes where the volume is: the roster in one `set_entries`, the punches in one
`store_punches`, the handover logs one commit per month. The requests, swaps, marks and excuse go
through the services one by one, because they are few and each must pass the rules. Only *rng*
draws, in a fixed order, so a seed gives the same floor (ids and timestamps aside).
"""

from __future__ import annotations

import datetime as dt

from floorwalker.core import FloorwalkerError, new_id

from . import handover, leave, punches, sheet, swaps
from . import roster as rosters

# Nine hours on the floor with a meal break of an hour and a half (lunch, dinner, the night's
# meal and rest) is 7.5 hours of continuous work: an ordinary day, leaving a few minutes late,
# stays under the 8-hour limit; only a long stay past the shift's end is flagged.
SHIFTS = (("D", "早班", "08:00", "17:00", 90), ("M", "中班", "12:00", "21:00", 90),
          ("N", "夜班", "21:00", "06:00", 90))
WEEK = (0, 0, 0, 0, 0, None, None)  # five on, two off; 0 stands for the team's shift
LATE_MINUTES = (((1, 5), 45), ((6, 10), 25), ((11, 19), 18), ((20, 50), 12))  # band, weight
# a shift's chance of an absence, and of lateness times the agent's habit: a real floor sees a
# handful of absences a month, not one agent in five (about 0.2 % and 2 % of shifts)
ABSENT, LATE = 0.002, 0.025
STAYED_ON = 0.997  # about 0.3 % of shifts end over half an hour late: the continuous-work flag
EQUIPMENT = ("耳麦、电脑、座机均正常", "耳麦、电脑正常，工位已整理", "7号工位耳麦有杂音，已报IT维修",
             "系统运行正常，知识库已更新", "12号工位电脑卡顿，已重启后恢复")
CASES = ("", "", "客户投诉退款未到账，已升级二线，待回电", "一位老年客户需回访确认地址",
         "批量工单系统故障已报备，恢复后需补录", "")
LEAVE_KINDS = (("personal", 50), ("annual", 25), ("sick", 25))
LEAVE_NOTES = {"personal": ("家中有事需处理", "办理房屋过户手续", "孩子家长会"),
               "annual": ("回老家探亲", "外出旅游"),
               "sick": ("发烧就医", "肠胃炎就诊")}
REJECTIONS = ("当日排班人手不足，请改期", "活动高峰期间不批事假，请调整日期")


def build(fw, project: dict, months: list[str], rng, actor: str, now: dt.datetime | None = None) -> None:
    """Fill *project*'s attendance for *months* (oldest first; the last is the current one) as
    the floor stands at *now* (default: the floor's clock, kept within the months)."""
    _Floor(fw, project, months, rng, actor, now).build()


def _weighted(rng, table):
    return rng.choices([value for value, _ in table], [weight for _, weight in table])[0]


class _Floor:
    def __init__(self, fw, project: dict, months: list[str], rng, actor: str, now: dt.datetime | None):
        self.fw, self.project, self.slug, self.rng, self.actor = fw, project, project["slug"], rng, actor
        self.months = months
        self.first = rosters.month_dates(months[0])[0]
        self.last = rosters.month_dates(months[-1])[-1]
        self.now = min(now or fw.projects.now(project), dt.datetime.combine(self.last, dt.time(23, 59)))
        self.teams = {t["slug"]: t for t in fw.teams.of(self.slug)}
        self.supervisor = {"username": f"{self.slug}.supervisor", "roles": ["supervisor"], "projects": [self.slug]}
        self.director = {"username": "director", "roles": ["director"], "projects": ["*"]}
        self.calendar = fw.calendar.current()

    def build(self) -> None:
        self.shifts()
        self.roster()
        self.swaps()
        self.leave()
        self.punches()
        self.handovers()
        rows = {}
        for month in self.months:
            sheet.settle(self.fw, self.project, month, self.actor, now=self.now)
            rows[month] = sheet.month_rows(self.fw, self.project, month, self.now)
        self.resolve_exceptions(rows)
        self.marks_and_excuse(rows)

    # ------------------------------------------------------------ shifts and roster

    def shifts(self) -> None:
        job_type = (self.project.get("channels") or ["voice"])[0]
        for code, name, start, end, meal in SHIFTS:
            rosters.save_shift(self.fw, self.slug, rosters.shift_doc(code, name, start, end,
                                                                     job_type=job_type, break_minutes=meal),
                               self.actor)
        self.known = rosters.shifts(self.fw, self.slug)
        for team in self.teams:
            rosters.set_pattern(self.fw, self.slug, team,
                                [None if d is None else self._team_shift(team) for d in WEEK],
                                self.actor)

    def _team_shift(self, team: str) -> str:
        return "N" if "night" in team else "D"

    def roster(self) -> None:
        """The team week rotated per agent (rest days spread) and the late half of a day team on
        M: the roster as the leaders keep it in Excel, hence stored as imported."""
        cells = []
        members = self.fw.agents.in_project(self.slug, self.first.isoformat(), self.last.isoformat())
        for index, (agent, _) in enumerate(members):
            spans = [a for a in self.fw.agents.assignments(agent["number"]) if a["project"] == self.slug]
            offset, late_half = (index // 2) % 7, index % 2 == 1
            for day in rosters.dates(self.first, self.last):
                iso = day.isoformat()
                here = next((a for a in spans if a["start"] <= iso and (a["end"] is None or iso <= a["end"])),
                            None)
                if here is None:
                    continue
                code = self._team_shift(here["team"]) if WEEK[(day.weekday() + offset) % 7] == 0 else None
                if code == "D" and late_half:
                    code = "M"
                cells.append((agent["number"], iso, code))
        rosters.set_entries(self.fw, self.slug, cells, self.actor, source="import",
                            action="attendance.roster.demo")
        self.entries = rosters.roster_between(self.fw, self.slug, self.first, self.last)

    def _worked(self, month: str, codes=("D", "M", "N")) -> list[dict]:
        return sorted((e for e in self.entries.values() if e["date"].startswith(month)
                       and e["shift"] in codes and not self.calendar.is_holiday(
                           dt.date.fromisoformat(e["date"]))), key=lambda e: (e["date"], e["agent"]))

    def _user(self, number: str) -> dict:
        return {"username": number.lower(), "agent": number, "roles": ["agent"]}

    def _leader(self, team: str) -> dict:
        leaders = self.fw.users.leading(self.slug, team)
        return leaders[0] if leaders else {"username": f"{self.slug}.lead.{team}", "roles": ["team_leader"],
                                           "projects": [self.slug], "teams": [f"{self.slug}.{team}"]}

    # ------------------------------------------------------------ swaps and leave

    def swaps(self) -> None:
        for month in self.months:
            wanted = self.rng.randint(1, 2) + (month == self.months[-1])
            done = 0
            early = self._worked(month, ("D",))
            late = {(e["date"], e["team"]): e for e in self._worked(month, ("M",))}
            for a in self.rng.sample(early, min(len(early), 40)):
                b = next((e for (day, team), e in late.items() if day == a["date"] and team != a["team"]),
                         None)
                if b is None:
                    continue
                pending = month == self.months[-1] and done == wanted - 1
                if self._swap(a, b, pending):
                    done += 1
                if done == wanted:
                    break
        self.entries = rosters.roster_between(self.fw, self.slug, self.first, self.last)

    def _swap(self, a: dict, b: dict, pending: bool) -> bool:
        """Ask, accept and (unless *pending*) approve; a swap the rules stop midway is withdrawn,
        so no month is left with a swap waiting that nobody will decide."""
        fw, project = self.fw, self.project
        try:
            doc = swaps.ask(fw, project, self._user(a["agent"]), a["agent"], a["date"], b["agent"], b["date"])
        except FloorwalkerError:
            return False
        try:
            swaps.accept(fw, project, doc["id"], self._user(b["agent"]))
            if not pending:
                for team in doc["teams"]:
                    swaps.approve(fw, project, doc["id"], self._leader(team), team)
        except FloorwalkerError:
            swaps.cancel(fw, project, doc["id"], self.supervisor)
            return False
        return True

    def leave(self) -> None:
        for month in self.months:
            worked = [e for e in self._worked(month) if not e.get("swap")]
            for entry in self.rng.sample(worked, min(len(worked), self.rng.randint(4, 6))):
                self._ask_leave(entry, self.rng.random())
            if month == self.months[-1]:
                ahead = [e for e in worked if e["date"] > self.now.date().isoformat()]
                for entry in self.rng.sample(ahead or worked, min(2, len(ahead or worked))):
                    self._ask_leave(entry, None)

    def _ask_leave(self, entry: dict, outcome: float | None) -> None:
        """Ask with the notice the rules want; *outcome* approves (<0.85) or rejects; None waits."""
        rng = self.rng
        kind = _weighted(rng, LEAVE_KINDS)
        start = self.known[entry["shift"]].span(dt.date.fromisoformat(entry["date"]))[0]
        if kind == "sick":
            asked = start.replace(hour=8, minute=0) - dt.timedelta(minutes=rng.randint(20, 90))
            asked = min(asked, start - dt.timedelta(hours=1))
        else:
            days = rng.randint(2, 6) if kind == "personal" else rng.randint(8, 20)
            asked = start.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59)) - dt.timedelta(days=days)
        asked = min(asked, self.now - dt.timedelta(minutes=rng.randint(30, 600)))  # never in the future
        try:
            doc = leave.request(self.fw, self.project, entry["agent"], kind, self._user(entry["agent"]),
                                entry["date"], certificate=kind == "sick",
                                note=rng.choice(LEAVE_NOTES[kind]), asked_at=asked)
            if outcome is not None:
                approver = self.supervisor if doc["level"] == "supervisor" else self.director
                leave.decide(self.fw, self.project, doc["id"], outcome < 0.85, approver,
                             "" if outcome < 0.85 else rng.choice(REJECTIONS))
        except FloorwalkerError:
            return

    # ------------------------------------------------------------ punches

    def punches(self) -> None:
        rng, docs = self.rng, []
        on_leave = leave.approved_spans(self.fw, self.slug, self.first, self.last + dt.timedelta(days=1))
        habit = {}
        for entry in sorted(self.entries.values(), key=lambda e: (e["date"], e["agent"])):
            if entry["shift"] is None:
                continue
            start, end = self.known[entry["shift"]].span(dt.date.fromisoformat(entry["date"]))
            if start >= self.now or any(s.start <= start and end <= s.end
                                        for s in on_leave.get(entry["agent"], ())):
                continue
            if entry["agent"] not in habit:  # most are punctual, a few often late
                habit[entry["agent"]] = rng.choices((0.5, 1.5, 4.0), (75, 20, 5))[0]
            docs += self._punches_of(entry["agent"], start, end, habit[entry["agent"]])
        punches.store_punches(self.fw, self.slug, docs, self.actor, action="attendance.punches.demo")

    def _punches_of(self, agent: str, start: dt.datetime, end: dt.datetime, habit: float) -> list[dict]:
        rng = self.rng
        draw = rng.random()
        if draw < ABSENT:
            return []  # absent
        if draw < ABSENT + LATE * habit:
            low, high = _weighted(rng, LATE_MINUTES)
            check_in = start + dt.timedelta(minutes=rng.randint(low, high), seconds=rng.randint(0, 59))
        elif rng.random() < 0.08:  # in time for the shift, not for roll-call
            check_in = start - dt.timedelta(seconds=rng.randint(60, 9 * 60))
        else:
            check_in = start - dt.timedelta(seconds=rng.randint(10 * 60 + 30, 28 * 60))
        times = [check_in]
        way = rng.random()
        if end <= self.now and way >= 0.006:  # else under way, or a forgotten check-out
            if way < 0.016:
                times.append(end - dt.timedelta(minutes=rng.randint(5, 45), seconds=rng.randint(0, 59)))
            elif way >= STAYED_ON:  # kept on past the shift (a long call, short-staffed): flagged
                times.append(end + dt.timedelta(seconds=rng.randint(35 * 60, 75 * 60)))
            else:
                times.append(end + dt.timedelta(seconds=rng.randint(5, 20 * 60)))
        # a late check-in or a check-out after the shift may still lie ahead of the floor's now
        return [punches.punch_doc(agent, at, "import") for at in times if at <= self.now]

    # ------------------------------------------------------------ handover logs

    def handovers(self) -> None:
        """Most past changes logged and accepted; a few missing; one refused by the incoming side."""
        rng, by_month = self.rng, {}
        on_shift: dict[tuple[str, str, str], list[str]] = {}
        for e in self.entries.values():
            if e["shift"]:
                on_shift.setdefault((e["team"], e["date"], e["shift"]), []).append(e["agent"])
        for change in handover.expected(self.fw, self.slug, self.first, self.now.date()):
            out_day = dt.date.fromisoformat(change["date"])
            ends = self.known[change["from_shift"]].span(out_day)[1]
            if ends > self.now or rng.random() < 0.05:
                continue
            into_day = (out_day + dt.timedelta(days=1)).isoformat() \
                if self.known[change["from_shift"]].crosses_midnight else change["date"]
            outgoing = sorted(on_shift.get((change["team"], change["date"], change["from_shift"]), ["-"]))
            incoming = sorted(on_shift.get((change["team"], into_day, change["to_shift"]), ["-"]))
            writer = rng.choice(outgoing)
            reader = rng.choice([a for a in incoming if a != writer] or incoming)
            by_month.setdefault(change["date"][:7], []).append({
                "id": new_id(), **change, "outgoing": writer, "incoming": reader,
                "equipment": rng.choice(EQUIPMENT), "cases": rng.choice(CASES), "staffing": "",
                "status": "accepted", "by": writer.lower(), "at": ends.isoformat(timespec="minutes"),
                "answered_by": reader.lower(), "refusal": ""})
        for month, docs in sorted(by_month.items()):
            with self.fw.store.transaction(rosters.month_key(self.fw, self.slug, month), self.actor,
                                           "attendance.handover.demo") as tx:
                tx.insert_many(handover.HANDOVERS, docs)
        latest = [d for d in by_month.get(self.months[-1]) or () if d["by"] != d["answered_by"]]
        if latest:
            doc = latest[-1]
            with self.fw.store.transaction(rosters.month_key(self.fw, self.slug, doc["date"][:7]),
                                           self.actor, "attendance.handover.demo") as tx:
                tx.update(handover.HANDOVERS, doc["id"], {"status": "submitted", "answered_by": None})
            handover.answer(self.fw, self.slug, doc["id"], False,
                            {"username": doc["answered_by"] or "incoming", "roles": ["agent"]},
                            "交接记录未写明待回访客户的联系方式，请补充")

    # ------------------------------------------------------------ leaders' follow-up

    def resolve_exceptions(self, rows: dict[str, list[dict]]) -> None:
        """Missing punches checked by the leader: all in the oldest month (it closes), most in
        the next ones, none yet in the current month."""
        for month in self.months:
            unresolved = 0 if month == self.months[0] else 0.3 if month < self.months[-1] else 1.0
            for row in sheet.exceptions(rows[month]):
                if self.rng.random() >= unresolved:
                    sheet.resolve_exception(self.fw, self.project, row["agent"], row["date"],
                                            "已核实监控，员工下班时忘记打卡", self._leader(row["team"]))

    def marks_and_excuse(self, rows: dict[str, list[dict]]) -> None:
        """A few away-from-seat marks and a covered shift a month; one past late day excused."""
        rng = self.rng
        for month in self.months:
            present = [r for r in rows[month] if r["status"] == "present"]
            if not present:
                continue
            for row in rng.sample(present, min(len(present), rng.randint(1, 2))):
                minutes = rng.choice((8, 12, 15, 25))
                sheet.record_mark(self.fw, self.project, row["agent"], row["date"], "away",
                                  self._leader(row["team"]), f"未报备离岗约{minutes}分钟", minutes)
            row = rng.choice(present)
            sheet.record_mark(self.fw, self.project, row["agent"], row["date"], "cover",
                              self._leader(row["team"]), "同事病假，主动顶班")
        late = [r for m in self.months[:-1] or self.months for r in rows[m]
                if r["status"] == "present" and r["late"] and not r["note"] and not r["missing_punch"]]
        if late:
            row = rng.choice(late)
            sheet.ask_excuse(self.fw, self.project, row["agent"], row["date"], "地铁故障延误",
                             "地铁公司延误证明截图", self._user(row["agent"]))
            sheet.decide_excuse(self.fw, self.project, row["agent"], row["date"], True, self.supervisor)
