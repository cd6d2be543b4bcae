"""Auto-QA of every chat transcript by rules, no model (全量质检): pure functions, no store.

`check(text, settings, forbidden)` reads a transcript and returns an `AutoQA`: the three musts
(三要), the three don'ts (三不), the project's forbidden phrases (禁忌用语), response times, long
waits and risk words. `AutoQA.as_json()` is one object of ``floorwalker qa autoqa --format json``.

**The transcript.** A message starts a line ``[HH:MM:SS] 客服: …`` or ``[YYYY-MM-DD HH:MM:SS] 客户：…``
(either colon); the agent is 客服, 坐席 or ``agent`` and the customer 客户, 顾客, 用户, 访客 or
``customer``, each possibly followed by a name (客服小美, 坐席-1023). A stamped line with another
speaker (系统: 会话已转接) is a message of nobody: it counts for no rule and ends the message
before it; any other line continues the message before it. A chat crosses midnight: a time of day
earlier than the one before it is the next day; a line with a date is placed by its date.

**The rules**, each a *hit* when the chat breaks it (what a QA evaluator would mark):

* The musts read the agent's words only, never the customer's. ``opening_qing``: the agent's
  first message has 请 as a word of courtesy (请问, 请稍等, 您请讲) — not inside 申请, 邀请, 聘请,
  宴请, 请假, 请示, 请柬, 请帖, 请客. ``closing_zaijian``: the agent's last message says 再见 (a
  customer's 再见, or the agent's 再见 before a later message of its own, does not close).
  ``uses_nin`` (您字不离口): the agent says 您 at least once and never 你 to anyone; one 你
  (你好, 你们, 你自己) breaks it, because the rule is that 您 never leaves the mouth. A 你 inside
  quotation marks (“你们怎么回事”: the agent repeating the customer) and the word 迷你 (mini) are
  not the agent's 你. An agent that never addresses the customer at all has not kept 您 either.
* The don'ts — ``harsh`` (生硬语言), ``blame`` (推卸责任), ``blaming_customer`` (责备、埋怨客户) —
  and ``forbidden`` (the project's phrases) search the agent's words outside quotation marks, so
  an agent repeating what the customer was told (您说之前的客服讲“这不归我们管”) is not saying
  it. Each list is searched on its own, and each forbidden phrase: a forbidden 不知道 inside the
  harsh 不知道，你自己看 is both. A phrase right after a negation is not said: 这不是您的问题 does not blame the customer,
  不保本 and 不能承诺稳赚 are not the bank's forbidden 保本 and 稳赚 (a negation is 不 没 没有 未
  非 并非 or 无法, then maybe 是 会是 算是 能 敢 可以 or 可能, then maybe 承诺 保证 or 说). A bare
  不知道 is harsh only as an answer (followed by ， 。 or ！), not in 不知道您是否方便.
* ``risk``: risk words (投诉, 赔偿, 起诉, 监管, 12315 …) in the customer's words, negated or not —
  a customer who says they will not complain is still a chat to read. A risk word that is a
  number (12315) does not count inside a longer number (an order number).
* Times: a *wait* runs from the first message of a run of customer messages to the agent's next
  message. ``first_response_s`` is the first wait (from the customer's first message; an
  agent's greeting before it is not a reply), ``average_response_s`` the mean of the waits,
  ``longest_wait_s`` the longest, ``long_waits`` those longer than the setting. A run the agent
  never answered (the customer's last 好的谢谢) is no wait. None where there is no wait.

Every phrase list is a per-project setting (`SETTINGS`, shipped with the Chinese defaults below).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from statistics import fmean
from typing import Iterable, Mapping, Sequence

from floorwalker.core import N_, Setting, SettingField, ValidationError

AGENT, CUSTOMER, OTHER = "agent", "customer", "other"
DAY = 24 * 3600

# --- the transcript -------------------------------------------------------------------------

_STAMPED = re.compile(
    r"^\s*\[\s*(?:(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s+)?(\d{1,2}):(\d{2}):(\d{2})\s*\]"
    r"\s*(?:([^:：\]\n]{1,24}?)\s*[:：])?\s?(.*)$")
_AGENT_WORDS = ("客服", "坐席", "agent")
_CUSTOMER_WORDS = ("客户", "顾客", "用户", "访客", "customer")


@dataclass(frozen=True)
class Message:
    """One message: who said it, when (seconds from the chat's first midnight) and what."""

    speaker: str  # AGENT, CUSTOMER or OTHER
    seconds: int
    time: str  # HH:MM:SS as written
    text: str
    label: str = field(default="", compare=False)  # the speaker as written (系统, 客服小美), for the display


def speaker_of(label: str) -> str:
    """AGENT, CUSTOMER or OTHER for a speaker label such as 客服, 坐席-1023, 访客, 系统."""
    label = (label or "").strip().lower()
    if label.startswith(_AGENT_WORDS):
        return AGENT
    if label.startswith(_CUSTOMER_WORDS):
        return CUSTOMER
    return OTHER


def parse(text: str) -> list[Message]:
    """The messages of a chat transcript, in order; none when no line is of the chat form."""
    found: list[Message] = []
    day, last, first_date = 0, None, None
    for line in (text or "").splitlines():
        match = _STAMPED.match(line)
        if match is None:
            if found and line.strip():
                m = found[-1]
                found[-1] = Message(m.speaker, m.seconds, m.time, f"{m.text}\n{line.strip()}", m.label)
            continue
        year, month, mday, h, mi, s, label, said = match.groups()
        clock = int(h) * 3600 + int(mi) * 60 + int(s)
        if last is not None and clock < last and not (year and first_date):  # past midnight
            day += 1
        if year:  # a date places the line; the first one also dates the undated lines before it
            date = dt.date(int(year), int(month), int(mday))
            first_date = first_date or date - dt.timedelta(days=day)
            day = (date - first_date).days
        last = clock
        found.append(Message(speaker_of(label), day * DAY + clock, f"{int(h):02d}:{mi}:{s}",
                             said.strip(), (label or "").strip()))
    return found


# --- phrases ----------------------------------------------------------------------------------

DEFAULT_HARSH = (
    "有完没完", "烦不烦", "烦死了", "急什么", "催什么", "吵什么", "嚷什么", "听不懂吗", "听不懂人话",
    "说了你也不懂", "说了您也不懂", "说了也不懂", "你懂不懂", "懂不懂", "你到底想怎样", "您到底想怎样", "你到底要怎样", "到底想干嘛",
    "我就这个态度", "爱买不买", "爱用不用", "爱办不办", "爱找谁找谁", "随便你", "随你便", "你想怎样就怎样",
    "不是跟你说了", "不是告诉你了", "跟你说过了", "我都说了", "说过多少遍", "说了多少遍", "说了几遍了",
    "说了两遍", "说了三遍", "说了好几遍", "不知道，", "不知道。", "不知道！", "我也不知道", "我也不清楚",
    "我哪知道", "我不管", "我怎么知道", "你自己看", "自己看说明", "自己不会看", "问那么多干嘛",
    "废话", "快点说", "没看我在忙", "你去投诉", "投诉也没用", "随便投诉", "有本事", "你是不是傻",
    "你有病", "神经病", "你管不着", "关你什么事", "不想买就别", "那你还问")
DEFAULT_BLAME = (
    "不归我管", "不归我们管", "不关我的事", "不关我们的事", "跟我没关系", "跟我们没关系", "和我们没关系",
    "与我们无关", "不是我负责的", "不是我们负责", "不是我们的责任", "不是我们的问题", "不是我们这边的问题",
    "不是我的问题", "不是我们部门", "我们管不了", "我管不了", "我解决不了", "我也没办法", "我们也没办法",
    "这是规定", "公司规定的", "找别人去", "找别人吧", "你去找快递", "您去找快递", "你找快递",
    "找快递公司去", "你去找厂家", "您去找厂家", "你去找商家", "你去营业厅问",
    "那是快递的问题", "那是快递的事", "那是厂家的问题", "那是系统的问题", "那是银行的问题",
    "那是运营商的问题", "是他们的事", "您找他们", "你找他们", "找他们去", "是上一个客服", "上个客服说的不算",
    "别问我")
DEFAULT_BLAMING_CUSTOMER = (
    "是你自己", "是您自己的问题", "是您自己操作", "是您自己没", "您自己操作失误", "您自己没看", "您自己没注意",
    "你自己的问题", "你自己操作", "你自己没", "你自己不看", "您自己不看", "都怪你", "怪你自己", "怪您自己",
    "谁让你", "谁让您", "谁叫你", "早干什么去了", "早干嘛去了", "怎么不早说", "为什么不早说", "你早说啊",
    "你当时怎么不", "您当时怎么不", "你怎么不看", "您怎么不看", "你没看清楚", "是您没看清楚", "不看清楚",
    "是你的错", "是您的错", "是你的责任", "是您的责任", "你填错了", "是您填错了", "你输错了", "是您输错了",
    "你操作错了", "是您操作错了", "你自找的", "活该", "怪不得别人", "怨不得", "怪不得我们", "你不会用",
    "现在来找我们", "现在才来", "不选清楚", "不问清楚")
DEFAULT_RISK = (
    "投诉", "赔偿", "起诉", "监管", "12315", "消协", "消费者协会", "工信部", "银保监",
    "通管局", "通信管理局", "律师", "法院", "曝光", "媒体", "举报", "维权", "报警", "差评")
DEFAULT_LONG_WAIT_S = 60

_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|「[^」]*」|『[^』]*』|‘[^’]*’")
_NEGATED = re.compile(r"(?:不|没有?|未|非|并非|无法)(?:是|会是|算是|能|敢|可以|可能)?(?:承诺|保证|说)?$")
_NOT_QING = re.compile(r"[申邀聘宴]请|请[假示柬帖客]")


@dataclass(frozen=True)
class AutoQASettings:
    """A project's auto-QA settings: the phrase lists and the long-wait threshold."""

    harsh: tuple[str, ...] = DEFAULT_HARSH
    blame: tuple[str, ...] = DEFAULT_BLAME
    blaming_customer: tuple[str, ...] = DEFAULT_BLAMING_CUSTOMER
    risk: tuple[str, ...] = DEFAULT_RISK
    long_wait_s: int = DEFAULT_LONG_WAIT_S

    @classmethod
    def from_settings(cls, values: Mapping) -> "AutoQASettings":
        """The settings of a project's resolved setting values (keys of `SETTINGS`); a key
        missing takes its default."""
        def phrases(key, default):
            return tuple(values[key]) if values.get(key) is not None else default
        return cls(phrases("autoqa_harsh", DEFAULT_HARSH), phrases("autoqa_blame", DEFAULT_BLAME),
                   phrases("autoqa_blaming_customer", DEFAULT_BLAMING_CUSTOMER),
                   phrases("autoqa_risk_words", DEFAULT_RISK),
                   int(values.get("autoqa_long_wait_s") or DEFAULT_LONG_WAIT_S))


@lru_cache(maxsize=1024)
def _matcher(phrases: tuple[str, ...]) -> re.Pattern | None:
    """Every start of any phrase (a lookahead, so overlapping phrases are all seen), the
    longest first at a position (so one phrase a position: `check` searches each rule's list,
    and each forbidden phrase, on its own); a phrase that begins or ends with a digit is not
    part of a longer number."""
    words = sorted({p.strip() for p in phrases if p and p.strip()}, key=len, reverse=True)
    if not words:
        return None
    parts = [(r"(?<!\d)" if w[0].isdigit() else "") + re.escape(w) + (r"(?!\d)" if w[-1].isdigit() else "")
             for w in words]
    first = "".join(sorted({re.escape(w[0]) for w in words}))  # most places fail at once
    return re.compile(f"(?=[{first}])(?=(" + "|".join(parts) + "))")


def find_phrases(text: str, phrases: Sequence[str], negation: bool = True) -> list[tuple[str, int]]:
    """(phrase, position) of each phrase of *phrases* said in *text*, in the order said; with
    *negation*, a phrase right after a negation (不是您的问题, 不保本) is not said."""
    matcher = _matcher(tuple(phrases))
    if matcher is None or not text:
        return []
    found = []
    for match in matcher.finditer(text):
        start, phrase = match.start(), match.group(1)
        if negation and _NEGATED.search(text, max(0, start - 6), start):
            continue
        found.append((phrase, start))
    return found


def unquoted(text: str) -> str:
    """*text* without what it puts inside quotation marks (what someone else said)."""
    return _QUOTED.sub("…", text)


def says_qing(text: str) -> bool:
    """Whether *text* uses 请 as a word of courtesy (请问, 请稍等), not inside 申请, 请假 …"""
    return "请" in _NOT_QING.sub("", text)


def says_ni(text: str) -> bool:
    """Whether *text* calls someone 你 outside quotation marks (迷你, mini, is not a 你)."""
    return "你" in unquoted(text).replace("迷你", "")


# --- the result -------------------------------------------------------------------------------

RULES = {
    "opening_qing": N_("Opens with 请 (please)"),
    "uses_nin": N_("Keeps 您 (the polite you)"),
    "closing_zaijian": N_("Closes with 再见 (goodbye)"),
    "harsh": N_("Harsh words"),
    "blame": N_("Shifting blame"),
    "blaming_customer": N_("Blaming the customer"),
    "forbidden": N_("Forbidden phrases"),
    "long_waits": N_("Customer kept waiting"),
    "risk": N_("Risk words from the customer"),
}
"""Each rule's title (translate with `floorwalker.core.translate`), in the order of a report."""

TIMES = {"first_response_s": N_("First response (seconds)"),
         "average_response_s": N_("Average response (seconds)"),
         "longest_wait_s": N_("Longest wait (seconds)")}
MUSTS = ("opening_qing", "uses_nin", "closing_zaijian")
DONTS = ("harsh", "blame", "blaming_customer")


@dataclass(frozen=True)
class Finding:
    """Where a rule is hit, for the reviewer to confirm or reject: the rule, the phrase (or the
    wait in seconds), and the message's time and text."""

    rule: str
    phrase: str
    time: str
    said: str


@dataclass(frozen=True)
class Wait:
    """The customer waiting: from *time*, the first message (*said*) of a run of the customer's
    messages, *seconds* to the agent's next message."""

    time: str
    seconds: int
    said: str = field(default="", compare=False)


@dataclass(frozen=True)
class AutoQA:
    """One chat checked. `checks` holds the musts (True: kept) and the don'ts (True: broken) as
    booleans and `forbidden` as the phrases found; `findings` where each hit was."""

    interaction: str | None
    agent: str | None
    checks: dict
    first_response_s: int | None
    average_response_s: float | None
    longest_wait_s: int | None
    long_waits: tuple[Wait, ...] = ()
    risk: tuple[str, ...] = ()
    waits: tuple[Wait, ...] = ()
    findings: tuple[Finding, ...] = field(default=(), compare=False)

    @property
    def must_check(self) -> bool:
        """Whether a risk word puts the chat into the must-check sample."""
        return bool(self.risk)

    def hits(self) -> list[str]:
        """The rules this chat breaks, in the order of `RULES`."""
        broken = [r for r in MUSTS if not self.checks[r]] + [r for r in DONTS if self.checks[r]]
        broken += ["forbidden"] * bool(self.checks["forbidden"]) + ["long_waits"] * bool(self.long_waits)
        broken += ["risk"] * bool(self.risk)
        return [r for r in RULES if r in broken]

    def hit_keys(self) -> set[tuple[str, str]]:
        """Each hit as (rule, what) — what is "" for a rule of the whole chat, the phrase for a
        forbidden phrase, the customer's time for a long wait: the units a reviewer confirms or
        rejects, and that `precision_recall` compares."""
        keys = {(rule, "") for rule in self.hits() if rule not in ("forbidden", "long_waits")}
        keys |= {("forbidden", p) for p in self.checks["forbidden"]}
        return keys | {("long_waits", w.time) for w in self.long_waits}

    def as_json(self) -> dict:
        """The object ``qa autoqa --format json`` prints for the chat: exactly the issue's keys."""
        return {"interaction": self.interaction, "agent": self.agent,
                "checks": {**self.checks, "forbidden": list(self.checks["forbidden"])},
                "first_response_s": self.first_response_s,
                "average_response_s": self.average_response_s,
                "longest_wait_s": self.longest_wait_s}


def precision_recall(found: Iterable, expected: Iterable) -> tuple[float, float]:
    """(precision, recall) of the hits *found* against those *expected* (a labelled sample, or
    the hits QA staff confirmed): no hit found is a precision of 1, none expected a recall of 1."""
    found, expected = set(found), set(expected)
    right = len(found & expected)
    return (right / len(found) if found else 1.0, right / len(expected) if expected else 1.0)


def waits(messages: Iterable[Message]) -> list[Wait]:
    """The customer's waits: each run of customer messages to the agent's next message."""
    found, since = [], None
    for m in messages:
        if m.speaker == CUSTOMER and since is None:
            since = m
        elif m.speaker == AGENT and since is not None:
            found.append(Wait(since.time, m.seconds - since.seconds, since.text))
            since = None
    return found


def check(text: str, settings: AutoQASettings | None = None, forbidden: Sequence[str] = (),
          interaction: str | None = None, agent: str | None = None) -> AutoQA:
    """Check one chat transcript by the rules (see the module's text); *forbidden* are the
    project's forbidden phrases (its published scorecard's), *interaction* and *agent* are
    copied into the result."""
    settings = settings or AutoQASettings()
    messages = parse(text)
    agent_said = [m for m in messages if m.speaker == AGENT]
    findings: list[Finding] = []

    def must(rule: str, message: Message | None, kept: bool) -> bool:
        if not kept:
            findings.append(Finding(rule, "", message.time if message else "", message.text if message else ""))
        return kept

    first, last = (agent_said[0], agent_said[-1]) if agent_said else (None, None)
    checks = {"opening_qing": must("opening_qing", first, bool(first) and says_qing(first.text)),
              "uses_nin": _uses_nin(agent_said, findings),
              "closing_zaijian": must("closing_zaijian", last, bool(last) and "再见" in last.text)}
    plain = [unquoted(m.text) for m in agent_said]
    starts = list(accumulate((len(t) + 1 for t in plain[:-1]), initial=0))
    words = "\n".join(plain)  # the agent's words, searched by each rule on its own
    forbidden = tuple(dict.fromkeys(p.strip() for p in forbidden if p and p.strip()))
    said: dict[str, list[str]] = {rule: [] for rule in (*DONTS, "forbidden")}
    searches = [(rule, getattr(settings, rule)) for rule in DONTS] + [("forbidden", (p,)) for p in forbidden]
    for rule, phrases in searches:  # a phrase inside a longer one of another list still counts
        for phrase, at in find_phrases(words, phrases):
            m = agent_said[bisect_right(starts, at) - 1]
            findings.append(Finding(rule, phrase, m.time, m.text))
            if phrase not in said[rule]:
                said[rule].append(phrase)
    for rule in DONTS:
        checks[rule] = bool(said[rule])
    checks["forbidden"] = tuple(p for p in forbidden if p in said["forbidden"])

    risk: list[str] = []
    for m in messages:
        if m.speaker == CUSTOMER:
            for phrase, _at in find_phrases(m.text, settings.risk, negation=False):
                findings.append(Finding("risk", phrase, m.time, m.text))
                risk.append(phrase)
    all_waits = waits(messages)
    long_waits = tuple(w for w in all_waits if w.seconds > settings.long_wait_s)
    findings += [Finding("long_waits", str(w.seconds), w.time, w.said) for w in long_waits]
    seconds = [w.seconds for w in all_waits]
    return AutoQA(interaction, agent, checks,
                  first_response_s=seconds[0] if seconds else None,
                  average_response_s=round(fmean(seconds), 1) if seconds else None,
                  longest_wait_s=max(seconds) if seconds else None,
                  long_waits=long_waits, risk=tuple(p for p in settings.risk if p in risk),
                  waits=tuple(all_waits), findings=tuple(findings))


def _uses_nin(agent_said: list[Message], findings: list[Finding]) -> bool:
    ni = next((m for m in agent_said if says_ni(m.text)), None)
    if ni is not None:
        findings.append(Finding("uses_nin", "你", ni.time, ni.text))
        return False
    if not any("您" in m.text for m in agent_said):
        findings.append(Finding("uses_nin", "", agent_said[0].time if agent_said else "",
                                agent_said[0].text if agent_said else ""))
        return False
    return True


# --- the settings -----------------------------------------------------------------------------

_PHRASE = (SettingField("phrase", "text", "Phrase", "用语"),)


def _check_phrases(rule: str):
    def check_(value) -> None:
        if not isinstance(value, (list, tuple)) or not all(isinstance(p, str) and p.strip() for p in value):
            raise ValidationError(RULES[rule], N_("expected a list of phrases, one a row"))
    return check_


def _phrase_list(key: str, rule: str, default: tuple, en: str, zh: str, help_en: str, help_zh: str) -> Setting:
    return Setting(key, "rows", list(default), en, zh, help_en=help_en, help_zh=help_zh,
                   check=_check_phrases(rule), fields=_PHRASE,
                   to_rows=lambda value: [{"phrase": p} for p in value],
                   from_rows=lambda rows: [str(r["phrase"]).strip() for r in rows if r.get("phrase")],
                   group_en="Auto-QA of chats", group_zh="聊天自动质检")


SETTINGS = [
    _phrase_list("autoqa_harsh", "harsh", DEFAULT_HARSH, "Harsh words (三不: no harsh words)", "生硬语言（三不：不使用生硬语言）",
                 "An agent's message with one of these, outside quotation marks and not after a "
                 "negation, is a hit.", "坐席消息中出现其中之一（引号内、否定之后的除外）即命中。"),
    _phrase_list("autoqa_blame", "blame", DEFAULT_BLAME, "Shifting blame (三不: no shifting blame)",
                 "推卸责任的话（三不：不说推卸责任的话）", "Matched as the harsh words are.", "匹配方式同生硬语言。"),
    _phrase_list("autoqa_blaming_customer", "blaming_customer", DEFAULT_BLAMING_CUSTOMER,
                 "Blaming the customer (三不: never blame the customer)", "责备埋怨客户（三不：不责备、埋怨客户）",
                 "Matched as the harsh words are.", "匹配方式同生硬语言。"),
    _phrase_list("autoqa_risk_words", "risk", DEFAULT_RISK, "Risk words from the customer (put the chat into "
                 "the must-check sample)", "客户风险词（命中的会话必检）",
                 "Any of these in the customer's words, negated or not.", "客户消息中出现其中之一即命中，否定句也算。"),
    Setting("autoqa_long_wait_s", "int", DEFAULT_LONG_WAIT_S, "A customer waiting longer than this "
            "many seconds for the agent's reply is a long wait", "客户等待坐席回复超过多少秒算等待过长",
            min=1, group_en="Auto-QA of chats", group_zh="聊天自动质检"),
]
