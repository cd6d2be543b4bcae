"""The demo's client issues: one in every state of the loop, over the last weeks of the demo —
closed with the client's confirmation, closed by the supervisor with a note, reopened, answered
and waiting for the client, answered late, assigned and overdue, and one just raised.

Raised through the same functions as the pages, each step at its own past time, by the project's
client login, its supervisor and a team leader (the demo's ``<slug>.client``, ``.supervisor``).
Every project raises its own issues (its business: a hotline's plans, a bank's card holders, a
shop's buyers) in the same states.
"""

from __future__ import annotations

import datetime as dt

from . import issues

# the shape every project's issues share: (days before today, hour raised, the steps after
# raising); a step: (hours after raising, who: "sup" | "lead" | "client", step, whom it is
# assigned to — for "assign" —, else the index of its text in the project's texts)
SHAPE = (
    (26, 10, ((0.5, "sup", "assign", "lead"), (2, "lead", "answer", 0), (30, "lead", "action", 1),
              (50, "client", "confirm", 2))),
    (19, 15, ((1, "sup", "assign", "sup"), (3, "sup", "note", 0), (3.5, "sup", "answer", 1),
              (80, "sup", "close", 2))),
    (12, 11, ((1, "sup", "assign", "lead"), (2, "lead", "answer", 0), (24, "client", "confirm", None),
              (60, "client", "reopen", 1), (62, "lead", "action", 2))),
    (6, 16, ((0.3, "sup", "assign", "sup"), (3, "sup", "answer", 0))),
    (4, 17, ((1, "sup", "assign", "lead"), (74, "lead", "answer", 0))),
    (3, 9, ((1, "sup", "assign", "lead"),)),
    (0, None, ()),
)
# per project, an issue per SHAPE entry: (source, subject, details, the texts of its steps)
TEXTS = {
    "telecom": (
        ("portal", "早高峰排队时间过长", "周一上午 9 点至 10 点，用户反映排队超过 3 分钟。",
         ("已核实：当日早班两人病假，已从晚班调配两人支援早高峰。", "本周起早高峰增加 2 个席位，排班已调整。",
          "本周排队明显缩短，确认关闭。")),
        ("visit", "现场巡检：部分坐席未使用标准开场白", "甲方到场巡检时抽听 10 通，3 通未使用标准开场白。",
         ("质检组本周加抽开场白项目。", "已安排全员复训标准开场白，质检加抽一周。",
          "复训完成，一周抽检合格率 100%，甲方现场确认，结案。")),
        ("phone", "套餐变更答复口径不一致", "不同坐席对月中变更套餐何时生效的答复不一致。",
         ("已在班务会统一答复口径并发布知识库。", "昨天仍有用户得到不同答复。", "对涉及坐席一对一辅导，并加入晨会抽问。")),
        ("portal", "日报数据缺少满意度", "日报中满意度一栏为空。", ("平台导出字段变更，已修正映射并补发日报。",)),
        ("email", "故障报修工单回访不及时", "上周宽带故障报修工单有 12 张超过 48 小时未回访。",
         ("已补做回访，并在工单系统设置 24 小时回访提醒。",)),
        ("inspection", "质检抽样数量不足", "本月部分坐席质检抽样不足 3 次。", ()),
        ("portal", "下周新套餐上线的话术准备", "下周新 5G 套餐上线，请提前准备话术并安排培训。", ()),
    ),
    "bank": (
        ("portal", "账单日前后来电接通慢", "每月账单日前后两天，持卡人反映等待时间明显变长。",
         ("已核实：账单日来电量约为平日 1.4 倍，原排班未上调。", "账单日前后两天增开午间班，排班已调整。",
          "本月账单日接通情况改善，确认关闭。")),
        ("visit", "现场巡检：身份核实步骤不完整", "甲方风控人员抽听 10 通，2 通未完整核实持卡人身份。",
         ("质检组本周将身份核实列为必检项。", "已对全员复训身份核实流程，质检加抽一周。",
          "复训完成，抽检合格率 100%，甲方风控确认，结案。")),
        ("phone", "分期手续费告知口径不一致", "不同坐席对账单分期手续费的告知方式不一致。",
         ("已在班务会统一告知口径并更新知识库。", "昨天仍有持卡人投诉未被告知手续费。",
          "对涉及坐席一对一辅导，并在通话结束前增加确认提示。")),
        ("portal", "日报缺少挂失业务量", "日报中未单列挂失业务的来电量。", ("已在日报中增加挂失业务量一栏并补发本周日报。",)),
        ("email", "投诉回访记录不完整", "上周三起的投诉回访记录缺少回访结果。", ("已补录回访结果，并增加结案前检查。",)),
        ("inspection", "夜班质检覆盖不足", "本月夜班坐席的质检抽样明显少于白班。", ()),
        ("portal", "年费减免活动的话术准备", "下周起开展年费减免活动，请提前准备话术并安排培训。", ()),
    ),
    "shop": (
        ("portal", "晚间咨询首次响应变慢", "晚上 9 点后买家反映客服首次响应超过 1 分钟。",
         ("已核实：晚班两人请假，接待上限未相应调整。", "晚间增加 2 名在线客服，并调整单人接待上限。",
          "本周晚间首响已恢复，确认关闭。")),
        ("visit", "现场巡检：催付话术使用不当", "甲方运营抽查 20 个会话，4 个催付话术过于生硬。",
         ("质检组本周加抽催付话术。", "已更新催付话术模板，并组织全员演练。",
          "演练完成，一周抽检合格率 100%，甲方运营确认，结案。")),
        ("phone", "退换货政策答复不一致", "不同客服对 7 天无理由退货的运费承担答复不一致。",
         ("已在班务会统一答复口径并发布知识库。", "昨天仍有买家得到不同答复。", "对涉及客服一对一辅导，并加入晨会抽问。")),
        ("portal", "日报缺少询单转化率", "日报中询单转化率一栏为空。", ("平台导出字段变更，已修正映射并补发日报。",)),
        ("email", "订单备注遗漏", "上周有 8 个订单的赠品备注遗漏，导致仓库漏发。", ("已补发赠品，并在下单流程增加备注检查。",)),
        ("inspection", "关联商品推荐不足", "本月质检发现多数会话未主动推荐关联商品。", ()),
        ("portal", "双十二大促的接待准备", "下周大促，请提前准备商品话术并安排培训。", ()),
    ),
}
DEFAULT = "telecom"


def plan(slug: str) -> list[tuple]:
    """*slug*'s issues as (days before today, hour, source, subject, details, steps), a step as
    (hours after raising, who, step, text — or whom, for "assign")."""
    found = []
    for (days, hour, steps), (source, subject, details, texts) in zip(SHAPE, TEXTS.get(slug, TEXTS[DEFAULT])):
        found.append((days, hour, source, subject, details,
                      tuple((hours, who, step, what if step == "assign" else ("" if what is None else texts[what]))
                            for hours, who, step, what in steps)))
    return found


def build(fw, project: dict, rng, actor: str, today: dt.date) -> list[dict]:
    """Add the plan's issues to *project* (the clock of the demo stands at *today*'s end or at
    the project's now, whichever is earlier); return them."""
    slug = project["slug"]
    users = {u["username"]: u for u in fw.users.all()}
    client, sup = f"{slug}.client", f"{slug}.supervisor"
    if client not in users or sup not in users:
        return []
    lead = next((u["username"] for u in users.values() if "team_leader" in (u.get("roles") or ())
                 and slug in (u.get("projects") or ())), sup)
    who = {"sup": sup, "lead": lead, "client": client}
    now = min(fw.projects.now(project), dt.datetime.combine(today, dt.time(23, 59)))
    made = []
    for days, hour, source, subject, details, steps in plan(slug):
        raised = now - dt.timedelta(minutes=rng.randint(20, 50)) if hour is None else \
            dt.datetime.combine(today - dt.timedelta(days=days), dt.time(hour, rng.randint(0, 50)))
        if raised > now:
            continue
        by = client if source == "portal" else sup
        doc = issues.raise_issue(fw, project, subject, details, by, source=source,
                                 contact="" if source == "portal" else "甲方项目经理",
                                 raised_at=raised.isoformat(sep=" ", timespec="minutes"))
        for hours, person, step, text in steps:
            at = raised + dt.timedelta(hours=hours)
            if at > now:
                break
            actor_name = who[person]
            if step == "assign":
                issues.assign(fw, project, doc["id"], who[text], actor_name, at=at)
            elif step in ("answer", "action", "note"):
                issues.respond(fw, project, doc["id"], step, text, users[actor_name], at=at)
            else:
                getattr(issues, step)(fw, project, doc["id"], text, actor_name, at=at)
        made.append(issues.get(fw, project, doc["id"]))
    return made
