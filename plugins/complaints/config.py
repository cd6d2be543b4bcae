"""The complaints plugin's name, its words (channels, severities, steps) and its per-project
settings: the taxonomy (categories, root causes), the SLA policies, the warning before a breach,
the business hours of the complaint desk and the polite answer to an invalid complaint."""

from __future__ import annotations

from floorwalker.core import N_, Choice, Setting, SettingField, ValidationError

from . import clocks

NAME = "complaints"

CHANNELS = {"phone": N_("Phone"), "chat": N_("Chat"), "email": N_("Email"),
            "handling_point": N_("Client's handling point"), "regulator": N_("Regulator")}
SEVERITIES = {"general": N_("General"), "serious": N_("Serious")}
AGAINST = {"agent": N_("An agent"), "team": N_("A team"), "process": N_("A process"),
           "product": N_("The product")}
SIDES = {"bpo": N_("Our centre"), "client": N_("The client's department")}
STATUSES = {"open": N_("Open"), "waiting": N_("On hold"), "closed": N_("Closed"),
            "archived": N_("Archived")}
VERDICTS = {"valid": N_("Valid"), "invalid": N_("Invalid")}
STEPS = {"intake": N_("Taken in"), "import": N_("Imported"), "handover": N_("Handed over"),
         "classify": N_("Classified"), "severity": N_("Severity changed"), "verdict": N_("Verdict given"),
         "respond": N_("First response"), "callback": N_("Called back"), "escalate": N_("Escalated"),
         "promise": N_("Promise made"), "wait": N_("Put on hold"), "resume": N_("Resumed"),
         "propose": N_("Solution proposed"), "approve": N_("Solution approved"), "close": N_("Closed"),
         "reopen": N_("Reopened"), "archive": N_("Archived"),
         "breach": N_("Deadline passed: escalated to the supervisor")}
WAITING_ON = {"customer": N_("the customer"), "client": N_("the client")}

DEFAULT_CATEGORIES = [{"name": "服务态度", "name_en": "Service attitude"},
                      {"name": "业务差错", "name_en": "Handling error"},
                      {"name": "处理时效", "name_en": "Too slow"},
                      {"name": "产品质量", "name_en": "Product quality"},
                      {"name": "流程政策", "name_en": "Process or policy"},
                      {"name": "其他", "name_en": "Other"}]
DEFAULT_ROOT_CAUSES = [{"name": "坐席服务", "name_en": "Agent's service"},
                       {"name": "业务知识", "name_en": "Product knowledge"},
                       {"name": "系统故障", "name_en": "System fault"},
                       {"name": "流程缺陷", "name_en": "Process gap"},
                       {"name": "产品问题", "name_en": "Product problem"},
                       {"name": "客户原因", "name_en": "On the customer's side"}]
DEFAULT_REPLY = ("尊敬的{complainant}：感谢您对我们服务的关注。针对您反映的“{subject}”，我们已认真核实，"
                 "本次情况不属于服务过失。给您带来的不便，我们深表歉意；如您还有疑问，欢迎随时联系我们。")


DEFAULT_RULES = [{"rule": "quarrel_with_customer"}, {"rule": "complaint_reply_poor"}]


def _check_rules(rows) -> None:
    codes = [str(r.get("rule") or "").strip() for r in rows or ()]
    if not all(codes):
        raise ValidationError(N_("Rule code"), N_("is required"))
    if len(set(codes)) != len(codes):
        raise ValidationError(N_("Rule code"), N_("each name may appear only once"))


def complaint_rules(settings: dict) -> list[str]:
    """The codes of the score rules a valid complaint may be tied to (the setting, in order)."""
    return [str(r.get("rule") or "").strip() for r in settings.get("complaint_rules") or () if r.get("rule")]


def _check_names(rows) -> None:
    names = [r.get("name") for r in rows or ()]
    if len(set(names)) != len(names):
        raise ValidationError(N_("name"), N_("each name may appear only once"))


def _check_reply(text) -> None:
    try:
        str(text).format(complainant="", subject="")
    except (KeyError, IndexError, ValueError):
        raise ValidationError(N_("Answer to an invalid complaint"),
                              N_("use only the placeholders {{complainant}} and {{subject}}")) from None


_NAMES = (SettingField("name", "text", "Name (Chinese)", "名称"),
          SettingField("name_en", "text", "Name (English)", "英文名称", required=False))
_ANY = Choice("", "Any", "不限")
_UNITS = (Choice("hours", "business hours", "工作小时"), Choice("days", "business days", "工作日"))
GROUP = {"group_en": "Complaints", "group_zh": "投诉"}

SETTINGS = [
    Setting("categories", "rows", DEFAULT_CATEGORIES, "Complaint categories", "投诉分类",
            fields=_NAMES, check=_check_names, **GROUP),
    Setting("root_causes", "rows", DEFAULT_ROOT_CAUSES, "Root causes", "根本原因",
            fields=_NAMES, check=_check_names, **GROUP),
    Setting("sla_policies", "rows", clocks.PRESETS["cn"], "SLA policies (first match wins)",
            "时限规则（自上而下，先匹配者生效）", check=clocks.check_policies,
            help_en="A complaint takes the first row whose severity, channel and category fit "
                    "(empty: any). Hours: 09:00-18:00 on workdays with the holiday calendar, or 24x7.",
            help_zh="投诉按严重程度、渠道、分类自上而下匹配第一行（留空为不限）。工作时间如 "
                    "09:00-18:00（按节假日与调休安排），或 24x7。",
            fields=(SettingField("severity", "choice", "Severity", "严重程度", required=False,
                                 choices=(_ANY, Choice("general", "General", "一般"),
                                          Choice("serious", "Serious", "严重"))),
                    SettingField("channel", "choice", "Channel", "渠道", required=False,
                                 choices=(_ANY, Choice("phone", "Phone", "电话"), Choice("chat", "Chat", "在线"),
                                          Choice("email", "Email", "邮件"),
                                          Choice("handling_point", "Client's handling point", "甲方处理点（起点）"),
                                          Choice("regulator", "Regulator", "监管部门"))),
                    SettingField("category", "text", "Category", "分类", required=False),
                    SettingField("hours", "text", "Business hours", "工作时间"),
                    SettingField("first_response", "number", "First response", "首次响应", min=0),
                    SettingField("first_response_unit", "choice", "unit", "单位", choices=_UNITS),
                    SettingField("solution", "number", "Solution", "解决", min=0),
                    SettingField("solution_unit", "choice", "unit", "单位", choices=_UNITS),
                    SettingField("closure", "number", "Closure (business days)", "结案（工作日）", min=0)),
            **GROUP),
    Setting("complaint_rules", "rows", DEFAULT_RULES, "Score rules of a valid complaint",
            "投诉成立可选的考核规则", check=_check_rules,
            help_en="The verdict of a valid complaint against an agent offers only these rules (their codes).",
            help_zh="投诉成立且针对坐席时，只能从这些考核规则中选择（填写规则代码）。",
            fields=(SettingField("rule", "text", "Rule code", "规则代码"),), **GROUP),
    Setting("warn_hours", "float", 2.0, "Warn before a breach (business hours)", "超时前预警（工作小时）",
            min=0, max=72, **GROUP),
    Setting("invalid_reply", "str", DEFAULT_REPLY, "Answer to an invalid complaint", "投诉不成立的答复模板",
            check=_check_reply,
            help_en="Placeholders: {complainant}, {subject}.", help_zh="可用占位符：{complainant}、{subject}。",
            **GROUP),
]
SCHEMA = {s.key: s for s in SETTINGS}


def names(rows: list[dict], locale: str) -> dict[str, str]:
    """A taxonomy's stored names → what the reader sees (the English name on an English page
    where there is one)."""
    english = not locale.startswith("zh")
    return {r["name"]: (r.get("name_en") or r["name"]) if english else r["name"] for r in rows}
