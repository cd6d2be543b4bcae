"""The demo company of ``floorwalker demo``: a small BPO with three client projects.

Everything goes in through the core's public API, so the demo's files are the ones a real
install would have, and every rule the API enforces (agents scored only while assigned, closed
months locked) holds for the demo too. Bulk writes are batched: one commit per project for its
agents, one for all logins, one per project and month for score events.

The months are the three full months before *today*'s month plus the current month up to
*today*: three complete score sheets to compare, one of them closed (the oldest) and corrected
by an adjustment in a later month, and a month still in progress. Work is dated on weekdays only,
and only while the agent was assigned to the project (leavers stop, transfers change team).

Deterministic: the only source of chance is one ``random.Random(seed)``, consumed in a fixed
order, so the same seed and *today* give the same company (ids and timestamps aside). Agents
get a conduct profile by quota rather than by independent draws, so every seed yields stars
above 90, escalated months and scores below 60.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Callable

from . import validate
from .calendar import DEFAULT_TIMEZONE, local_now
from .errors import Conflict
from .i18n import N_
from .users import hash_password

COMPANY = "远航客服外包有限公司（演示）"
PASSWORD_LENGTH = 10
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/l/I
NEW_HIRE_DAYS = 60
HISTORY_DAYS = 730

SURNAMES = ("王王李李张张刘刘陈陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
            "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛")
GIVEN_NAMES = (
    "子涵 欣怡 梓萱 浩宇 雨欣 佳怡 思琪 嘉怡 子豪 俊杰 宇轩 诗涵 一鸣 晨曦 梦瑶 志强 海峰 丽娟 "
    "文静 婷婷 明辉 家豪 雅琴 晓燕 建华 春梅 振宇 凯文 思远 雨桐 佳琪 若曦 泽宇 鑫 婧 昊 颖 磊 "
    "洋 倩 静 敏 超 芳 娜 丹 亮 涛 慧 璐 悦 航 博文 天佑 紫怡 心怡 浩然 子轩 艺涵 欣妍 晓彤 "
    "佳慧 美玲 秀英 桂芳 玉兰 国强 建军 伟 芳芳 雪梅 彤 琳 瑞 杰 帆 萌 宁 薇 晓东 俊熙"
).split()


@dataclass(frozen=True)
class DemoProject:
    """One client engagement of the demo, with what makes its floor its own."""

    slug: str
    client: str
    name: str
    channels: tuple[str, ...]
    prefix: str
    kpi_targets: dict
    teams: tuple[tuple[str, str, int], ...]  # (slug, name, agents)
    leavers: tuple[str, ...]  # leave reasons, one per leaver
    movers: int
    spot_checks: tuple[str, ...]  # what the supervisor's spot check finds on this floor


PROJECTS = (
    DemoProject(
        "shop", "优品汇电子商务有限公司", "优品汇在线客服", ("chat",), "S1",
        {"first_response_seconds": 20.0, "aht_seconds": 420.0, "answer_rate": 0.98,
         "satisfaction": 0.96, "conversion_rate": 0.45, "average_order_value": 168.0},
        (("presale-a", "售前一组", 13), ("presale-b", "售前二组", 12), ("aftersale", "售后组", 11),
         ("night", "夜班组", 8)),
        ("resigned", "contract_end"), 1,
        ("催付话术使用不当", "回复中出现错别字", "未按要求备注订单", "未主动推荐关联商品", "退换货政策解释有误")),
    DemoProject(
        "telecom", "华联通信股份有限公司", "华联通信客服热线", ("voice",), "T2",
        {"service_level": 0.8, "service_level_seconds": 20.0, "answer_rate": 0.95,
         "aht_seconds": 240.0, "satisfaction": 0.96},
        (("day-a", "早班一组", 16), ("day-b", "早班二组", 16), ("night", "夜班组", 12)),
        ("resigned", "dismissed"), 1,
        ("套餐资费解释有误", "未按流程登记故障工单", "未核实机主身份即办理业务", "结束语不规范")),
    DemoProject(
        "bank", "东方汇通银行信用卡中心", "东方汇通信用卡客服热线", ("voice",), "B3",
        {"service_level": 0.85, "service_level_seconds": 20.0, "answer_rate": 0.97,
         "aht_seconds": 300.0, "satisfaction": 0.96},
        (("day-a", "白班一组", 12), ("day-b", "白班二组", 12), ("night", "夜班组", 8)),
        ("resigned",), 0,
        ("未完整核实持卡人身份", "分期手续费告知不完整", "挂失流程操作有误", "未提示交易风险")),
)

# Rules a floor records by hand: code -> (how often it turns up, realistic reasons).
LIGHT = {
    "late_or_early": (30, ()),  # reason and points follow from the minutes, see _points_and_reason
    "chatting": (12, ("与邻座闲聊购物话题", "接待间隙聊天影响他人", "在工位讨论与工作无关的话题")),
    "spot_check_error": (12, ()),  # the project's own spot-check findings
    "entry_error": (9, ("客户手机号录入错误", "工单地址录入有误", "服务记录分类选错")),
    "messy_desk": (6, ("交班后桌面堆放水杯和零食", "交班后耳麦、资料未归位")),
    "handover_log_missing": (6, ("交接班记录未填写", "交接班记录缺少未结事项")),
    "away_over_5min": (5, ("未报备离岗约8分钟", "未报备离岗12分钟")),
    "task_not_done": (5, ("未按要求完成当日回访任务", "知识库更新未按时学习确认")),
    "loud": (4, ("在工作区大声打电话", "工作区域大声说笑")),
    "eating_at_seat": (3, ("在座位上吃早餐", "在工位吃零食")),
    "cleaning_missed": (3, ("值日未打扫工位区域", "值日未倒垃圾")),
    "complaint_reply_poor": (3, ("投诉回复超时", "答复投诉客户语气生硬")),
    "incident_late_1_10": (2, ("工单处理超时约5分钟",)),
    "no_mandarin": (1, ("工作时间使用方言交流",)),
}
MEDIUM = {
    "missed_meeting": (3, ("无故缺席月度全员大会", "无故缺席班务会")),
    "exam_below_60": (3, ("月度业务考试52分", "月度业务考试成绩不及格")),
    "games_at_work": (2, ("工作时间用手机看视频",)),
    "skipped_items": (2, ("遗漏待回访客户3位",)),
    "incident_late_11_30": (2, ("工单处理超时约20分钟",)),
    "anomaly_unreported": (1, ("系统异常未及时上报班长",)),
    "unapproved_software": (1, ("私自安装聊天软件",)),
}
SEVERE = {
    "absent": (3, ("未请假未到岗（旷工一天）",)),
    "quarrel_with_customer": (2, ("与客户发生争执，投诉成立",)),
    "incident_late_over_30": (1, ("紧急工单超时40分钟未处理",)),
}
# Rules the attendance plugin writes from the roster and the punches, where a project enables it.
PUNCH_CLOCK_RULES = ("late_or_early", "absent")
BONUS = {
    "covered_shift": (4, ("周末人手不足主动顶班", "同事病假时主动加班顶岗")),
    "extra_task": (4, ("协助整理知识库常见问题", "协助带教新员工", "完成活动期间临时外呼任务")),
    "exam_full_marks": (2, ("月度业务考试满分",)),
    "suggestion_adopted": (1, ("优化快捷回复话术的建议被采纳", "工单分类改进建议试行后采纳")),
}
BEST_OF_MONTH = "当月班组接待量与质检成绩第一且零违纪"
PRAISE = ("主动帮助新人熟悉系统，带教认真", "本月工作积极主动，获客户表扬", "服务态度好，质检成绩稳定",
          "高峰期主动延长在线时间")
CRITICISM = ("本月工作状态不佳，多次需要提醒", "团队协作意识不足", "对班组安排有抵触情绪",
             "业务知识掌握不牢，需加强学习")
REVERSAL_REASONS = ("复核录音后确认非本人责任，撤销扣分", "考勤系统数据异常，已核实按时到岗",
                    "已补交请假手续，撤销该记录", "记录人员录入对象有误，撤销")


@dataclass(frozen=True)
class Behaviour:
    """How an agent of a conduct profile fares in a month."""

    lights: tuple[int, int]
    medium: float  # chance of a medium violation
    severe: float
    bonuses: tuple[int, int]
    judgement: tuple[int, int]  # the leader's points, drawn within
    judged: float  # chance the leader gives a judgement


BEHAVIOURS = {
    "star": Behaviour((0, 1), 0.0, 0.0, (1, 3), (2, 5), 0.8),
    "good": Behaviour((0, 2), 0.03, 0.0, (0, 1), (0, 3), 0.3),
    "average": Behaviour((1, 3), 0.1, 0.02, (0, 1), (-2, 2), 0.3),
    "struggling": Behaviour((3, 5), 0.3, 0.1, (0, 0), (-4, 0), 0.6),
    "troubled": Behaviour((4, 6), 0.5, 0.4, (0, 0), (-5, -2), 0.9),
}
# Share of each profile on a floor; "good" takes the rest.
QUOTAS = {"troubled": 0.05, "struggling": 0.10, "star": 0.12, "average": 0.25}


def demo_months(today: dt.date) -> list[str]:
    """The three full months before *today*'s month, then *today*'s month, oldest first."""
    first = today.replace(day=1)
    months = [first.isoformat()[:7]]
    for _ in range(3):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.insert(0, first.isoformat()[:7])
    return months


def weekdays(month: str, until: dt.date) -> list[str]:
    """Monday to Friday of *month*, up to *until*."""
    first, last = (dt.date.fromisoformat(d) for d in validate.month_bounds(month))
    days = (first + dt.timedelta(days=i) for i in range((min(last, until) - first).days + 1))
    return [d.isoformat() for d in days if d.weekday() < 5]


def leader_login(project: str, team: str) -> str:
    return f"{project}.lead.{team}"


def build_demo(fw, seed: int = 7, actor: str = "demo", today: dt.date | None = None,
               progress: Callable[[str], None] | None = None) -> list[dict]:
    """Fill the empty data folder of *fw* with the demo company; return its logins as
    ``{username, password, role, project}`` (the only place the passwords are shown).

    *progress* is called with each step's message id (an ``N_`` text) as the work goes on.
    """
    if fw.projects.all() or fw.users.all():
        raise Conflict(N_("the demo needs an empty data folder"))
    today = today or local_now(DEFAULT_TIMEZONE).date()  # the demo's projects keep the default zone
    rng = random.Random(seed)
    say = progress or (lambda step: None)
    months = demo_months(today)
    names = _NamePool(rng)

    say(N_("Creating the projects and teams"))
    fw.set_install(actor, default_locale="zh_CN", company_name=COMPANY)
    for plan in PROJECTS:
        fw.projects.create(plan.slug, plan.client, actor, name=plan.name,
                           channels=list(plan.channels), plugins=fw.plugin_names(),
                           kpi_targets=plan.kpi_targets)
        for team, team_name, _ in plan.teams:
            fw.teams.create(plan.slug, team, team_name, actor)

    say(N_("Hiring the agents"))
    floors = [_Floor(fw, plan, rng, names, today, months, actor) for plan in PROJECTS]

    say(N_("Creating the logins"))
    accounts = _logins(fw, rng, names, floors, actor)

    say(N_("Recording the score history"))
    for floor in floors:
        floor.record_scores()

    say(N_("Adding the plugins' demo data"))
    for floor in floors:
        fw.project_hook(floor.project, "demo_data")(floorwalker=fw, project=floor.project,
                                                     months=months, rng=rng, actor=actor,
                                                     today=today)

    say(N_("Closing the oldest month"))
    for floor in floors:
        fw.periods.close(floor.plan.slug, months[0], actor)
        floor.correct_closed_month()
    return accounts


class _NamePool:
    """Realistic Chinese names, each used once in the company."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def draw(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN_NAMES)
            if name not in self.used:
                self.used.add(name)
                return name


class _Floor:
    """One project's floor: its agents, their profiles, and the score history they earn."""

    def __init__(self, fw, plan: DemoProject, rng: random.Random, names: _NamePool,
                 today: dt.date, months: list[str], actor: str):
        self.fw, self.plan, self.rng, self.actor = fw, plan, rng, actor
        self.today, self.months = today, months
        self.project = fw.projects.get(plan.slug)
        self.supervisor = f"{plan.slug}.supervisor"
        self.agents = self._hire(names)
        self._move_and_let_go()

    # ------------------------------------------------------------ people

    def _hire(self, names: _NamePool) -> list[dict]:
        """Agents in one commit: hire dates over two years, a few new hires, tiers by tenure."""
        rng, today = self.rng, self.today
        plans, pairs = [], []
        size = sum(count for _, _, count in self.plan.teams)
        profiles = [p for p, share in QUOTAS.items() for _ in range(max(1, round(size * share)))]
        profiles += ["good"] * (size - len(profiles))
        rng.shuffle(profiles)
        number = int(self.plan.prefix[1:]) * 1000
        for team, _, count in self.plan.teams:
            for _ in range(count):
                number += 1
                new = rng.random() < 0.08
                days_ago = (rng.randint(10, NEW_HIRE_DAYS) if new
                            else rng.randint(NEW_HIRE_DAYS + 1, HISTORY_DAYS))
                hired = today - dt.timedelta(days=days_ago)
                hired -= dt.timedelta(days=max(0, hired.weekday() - 4))  # on a weekday
                tier = "regular" if new else _tier(rng, days_ago)
                agent, assignment = self.fw.agents.new_agent_docs(
                    self.plan.slug, f"{self.plan.prefix[0]}{number}", names.draw(), team=team,
                    hired=hired.isoformat(), tier=tier)
                pairs.append((agent, assignment))
                plans.append({"number": agent["number"], "hired": agent["hired"], "new": new,
                              "profile": profiles.pop()})
        self.fw.agents.add_many(self.plan.slug, pairs, self.actor)
        return plans

    def _move_and_let_go(self) -> None:
        """A transfer between teams in the second month; leavers during the months shown."""
        start = self.months[0] + "-01"
        veterans = [a for a in self.agents if a["hired"] < start and a["profile"] != "troubled"]
        for agent in self.rng.sample(veterans, self.plan.movers):
            current = self.fw.agents.assignment_on(agent["number"], start)["team"]
            team = self.rng.choice([t for t, _, _ in self.plan.teams if t != current])
            day = self.rng.choice(weekdays(self.months[1], self.today)[:10])
            self.fw.agents.move(agent["number"], self.plan.slug, self.actor, team=team, start=day)
            agent["moved"] = True
        window = [d for m in self.months for d in weekdays(m, self.today - dt.timedelta(days=7))]
        for reason in self.plan.leavers:
            # the dismissed one earned it; others are ordinary people moving on
            profiles = ("troubled", "struggling") if reason == "dismissed" else ("good", "average")
            found = [a for a in self.agents if a["hired"] < start and a["profile"] in profiles
                     and not a.get("moved") and not a.get("left")]
            agent = self.rng.choice([a for a in found if a["profile"] == profiles[0]] or found)
            agent["left"] = self.rng.choice(window[8:])
            agent["reason"] = reason
            self.fw.agents.leave(agent["number"], agent["left"], reason, self.actor)

    # ------------------------------------------------------------ scores

    def record_scores(self) -> None:
        """Each agent's months, written one commit per month file; then a few reversals."""
        events = []
        for agent in self.agents:
            agent["worked"] = self._worked(agent)
            for month in self.months:
                events += self._month_of(agent, month)
        events += self._best_of_month(events)
        self.fw.ledger.write(events, self.actor, "score.demo")
        wrong = [e for e in events if e["kind"] in ("light", "medium")]
        for event in self.rng.sample(wrong, 2):
            self.fw.ledger.reverse(event["id"], self.rng.choice(REVERSAL_REASONS), self.supervisor,
                                   project=self.plan.slug)

    def _worked(self, agent: dict) -> dict[str, str]:
        """Team by day for each weekday of the demo the agent was assigned to this project."""
        worked = {}
        for a in self.fw.agents.assignments(agent["number"]):
            if a["project"] == self.plan.slug:
                last = min(self.today, dt.date.fromisoformat(a["end"] or dt.date.max.isoformat()))
                worked.update((day, a["team"]) for m in self.months for day in weekdays(m, last)
                              if day >= a["start"])
        return worked

    def _month_of(self, agent: dict, month: str) -> list[dict]:
        days = [(day, team) for day, team in agent["worked"].items() if day.startswith(month)]
        if not days:
            return []
        rng, way = self.rng, BEHAVIOURS[agent["profile"]]
        share = len(days) / len(weekdays(month, dt.date.max))  # a part month earns a part
        codes = [_pick(rng, LIGHT) for _ in range(rng.randint(*way.lights))]
        if agent["new"]:  # a new hire still learns the systems
            codes += [rng.choice(("entry_error", "spot_check_error"))
                      for _ in range(rng.randint(0, 2))]
        codes += [_pick(rng, MEDIUM)] if rng.random() < way.medium else []
        codes += [_pick(rng, SEVERE)] if rng.random() < way.severe else []
        codes += [_pick(rng, BONUS) for _ in range(rng.randint(*way.bonuses))]
        if "attendance" in self.project["plugins"]:  # it derives these from the punches
            codes = [code for code in codes if code not in PUNCH_CLOCK_RULES]
        events = [self._event(agent, code, rng.choice(days)) for code in codes if rng.random() < share]
        if agent.get("reason") == "dismissed" and month == agent["left"][:7]:
            caught = days[max(0, len(days) - 4)]  # a few days before the dismissal
            events.append(self._event(agent, "asleep_on_duty", caught, reason="夜班期间在座位上睡觉，被主管发现"))
        month_over = month < self.months[-1]
        if month_over and rng.random() < way.judged:
            points = rng.randint(*way.judgement)
            if points:
                reason = rng.choice(PRAISE if points > 0 else CRITICISM)
                events.append(self._event(agent, "leader_judgement", days[-1], points=points,
                                          reason=reason))
        return events

    def _event(self, agent: dict, code: str, when: tuple[str, str], *, points: int | None = None,
               reason: str | None = None) -> dict:
        day, team = when
        if reason is None:
            points, reason = self._points_and_reason(code)
        by = self.supervisor if code == "spot_check_error" else leader_login(self.plan.slug, team)
        return self.fw.ledger.prepare(self.project, agent["number"], code, day, by, points=points,
                                      reason=reason)

    def _points_and_reason(self, code: str) -> tuple[int | None, str]:
        rng = self.rng
        if code == "late_or_early":
            minutes = rng.randint(3, 18)
            points = -2 if minutes < 10 else -3 if minutes < 15 else -5
            return points, f"{rng.choice(('迟到', '早退'))}{minutes}分钟"
        if code == "spot_check_error":
            return rng.choice((-2, -2, -3, -5)), "主管抽查：" + rng.choice(self.plan.spot_checks)
        if code == "chatting":
            return rng.choice((-1, -2)), rng.choice(LIGHT[code][1])
        if code == "task_not_done":
            return rng.choice((-2, -3, -5)), rng.choice(LIGHT[code][1])
        table = next(t for t in (LIGHT, MEDIUM, SEVERE, BONUS) if code in t)
        return None, rng.choice(table[code][1])

    def _best_of_month(self, events: list[dict]) -> list[dict]:
        """+5 for one agent per team and finished month with the month's cleanest record."""
        faulted = {(e["agent"], e["period"]) for e in events
                   if e["kind"] in ("light", "medium", "severe", "dismissal")}
        awards = []
        for month in self.months[:-1]:
            last = weekdays(month, self.today)[-1]
            for team, _, _ in self.plan.teams:
                clean = [a for a in self.agents if (a["number"], month) not in faulted
                         and a["worked"].get(last) == team]
                if clean:
                    winner = self.rng.choice(clean)
                    awards.append(self._event(winner, "best_of_month", (last, team),
                                              reason=BEST_OF_MONTH))
        return awards

    def correct_closed_month(self) -> None:
        """An adjustment in an open month for a lateness of the closed month found to be wrong:
        how a correction reaches a locked month."""
        closed = self.months[0]
        events = self.fw.ledger.events(self.plan.slug, closed)
        reversed_ids = {e["reverses"] for e in events if e["reverses"]}
        late = sorted((e for e in events if e["rule"] == "late_or_early" and not e["reverses"]
                       and e["id"] not in reversed_ids),
                      key=lambda e: (e["date"], e["agent"], e["points"]))  # not by id: random
        worked = {a["number"]: a["worked"] for a in self.agents}
        for event in late:
            later = [day for day in worked[event["agent"]] if day[:7] > closed]
            if later:
                self.fw.ledger.record(
                    self.plan.slug, event["agent"], "adjustment", later[-1], self.supervisor,
                    points=-event["points"], adjusts=closed,
                    reason=f"复核门禁记录，{event['date']}实为按时到岗，更正{closed}扣分")
                return


def _pick(rng: random.Random, table: dict) -> str:
    codes = list(table)
    return rng.choices(codes, weights=[table[c][0] for c in codes])[0]


def _tier(rng: random.Random, days_ago: int) -> str:
    """Tiers follow tenure: nobody reaches gold in their first year."""
    if days_ago < 365:
        return rng.choices(("regular", "senior"), weights=(80, 20))[0]
    return rng.choices(("regular", "senior", "elite", "expert", "gold"),
                       weights=(50, 25, 12, 8, 5))[0]


def _password(rng: random.Random) -> str:
    return "".join(rng.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def _logins(fw, rng: random.Random, names: _NamePool, floors: list[_Floor], actor: str) -> list[dict]:
    """A login for every role, stored in one commit; returns them with their passwords."""
    wanted = [("admin", "admin", None, None, ()), ("director", "director", None, None, ())]
    for floor in floors:
        slug = floor.plan.slug
        wanted.append((floor.supervisor, "supervisor", slug, None, ()))
        wanted += [(leader_login(slug, team), "team_leader", slug, None, (f"{slug}.{team}",))
                   for team, _, _ in floor.plan.teams]
        wanted.append((f"{slug}.qa", "qa", slug, None, ()))
        staying = [a for a in floor.agents if a["profile"] == "good" and not a["new"]
                   and not a.get("left") and not a.get("moved")]
        agent = rng.choice(staying)
        wanted.append((agent["number"].lower(), "agent", slug, agent["number"], ()))
        wanted.append((f"{slug}.client", "client", slug, None, ()))
    accounts, docs = [], []
    for username, role, project, agent, teams in wanted:
        password = _password(rng)
        if role == "client":
            name = fw.projects.get(project)["client"]
        else:
            name = fw.agents.get(agent)["name"] if agent else names.draw()
        docs.append(fw.users.prepare(username, hash_password(password), [role],
                                     [project] if project else ["*"], name, "zh_CN", agent=agent,
                                     teams=teams))
        accounts.append({"username": username, "password": password, "role": role,
                         "project": project})
    fw.users.add_many(docs, actor)
    return accounts
