"""What the QA demo says (pure data and the chat writer; `demo` builds with it): each kind of
project's forbidden phrases, call categories and comments, and the e-commerce floor's chats.

A chat is written from a scenario (催发货, 退款, 尺码 …) and the *faults* drawn for it, the
things auto-QA looks for: no 请 in the agent's first message, a 你, no 再见 at the end, a harsh,
blaming or forbidden phrase, the customer kept waiting, the customer's risk words. The faults
are kept with the chat, so the evaluator's answers agree with what the chat shows.
"""

from __future__ import annotations

import datetime as dt

# the project kind of each demo project (any other project: by its first channel)
KINDS = {"shop": "shop", "telecom": "telecom", "bank": "bank"}
TITLES = {"shop": "电商在线客服质检标准", "telecom": "通信热线质检标准", "bank": "信用卡中心电话质检标准"}
FORBIDDEN = {"shop": ["没办法", "不可能", "自己看", "亲，你"],
             "telecom": ["不知道", "这是规定", "不清楚", "你自己去营业厅"],
             "bank": ["保本", "稳赚", "包过", "肯定没问题", "你自己查"]}
CATEGORIES = {  # (category, weight): a category naming 退款 or 投诉 is a must-check one
    "telecom": (("套餐咨询", 30), ("话费查询", 25), ("宽带故障报修", 20), ("携号转网", 8),
                ("停复机", 10), ("退费申请", 4), ("投诉", 3)),
    "bank": (("账单查询", 30), ("分期办理", 20), ("挂失补卡", 12), ("额度调整", 15),
             ("积分兑换", 12), ("还款咨询", 8), ("投诉", 3)),
}
# why an item lost points, by the item's tag (`TAGS`); other items take `GENERIC`
COMMENTS = {
    "qing": ("首句未使用“请”，直接进入业务", "开场未问候，未使用礼貌用语"),
    "nin": ("对话中以“你”称呼客户", "未全程使用“您”"),
    "zaijian": ("结束时未使用“再见”等结束语", "会话结束语缺失，客户未确认即结束"),
    "speed": ("客户等待超过 60 秒未回复", "首次响应偏慢，高峰期未使用快捷短语"),
    "tone": ("语气生硬，缺少安抚", "回复简短，缺少耐心解释"),
    "donts": ("出现生硬或推诿的表达", "有埋怨客户的语句，违反“三不”"),
    "verify": ("办理业务前未核实机主身份",),
    "policy": ("退换货政策解释错误，向客户错误承诺可无理由退回定制商品",
               "价保规则解释错误，承诺了不在价保范围的差价"),
    "upsell": ("未主动推荐关联商品", "推荐时机不当，客户尚未解决问题"),
    "record": ("工单记录不完整，缺少客户诉求", "订单未按要求备注"),
    "identity": ("未完整核实持卡人身份即告知账单信息",),
    "risk": ("未做反诈风险提示", "交易风险提示不完整"),
    "promise": ("向客户承诺“肯定没问题”，属违规承诺",),
    "fatal": ("未经客户同意为其开通增值业务", "与客户争执并出言威胁"),
}
GENERIC = ("该项执行不到位，请对照质检手册复习", "解答不够完整，客户需追问才明白", "流程有遗漏，需加强练习",
           "表达不够清晰，需要复述确认")
TAGS = {  # item title -> tag (what decides its answer)
    "首句使用“请”并及时问候": "qing", "全程使用“您”": "nin", "结束语规范（含“再见”）": "zaijian",
    "回复及时": "speed", "语气亲切、耐心": "tone", "无生硬、推诿、指责客户的语言": "donts",
    "无辱骂、威胁客户等恶劣行为": "fatal", "政策解答准确、无错误承诺": "policy", "订单备注与工单操作规范": "record",
    "主动推荐关联商品": "upsell", "催付话术得当": "optional",
    "办理业务前核实机主身份": "verify", "未经同意不开通增值业务": "fatal", "故障工单登记规范": "optional",
    "语气语调亲切": "tone", "无推诿、无生硬语言": "donts",
    "完整核实持卡人身份": "identity", "交易风险与反诈提示": "risk", "未作违规承诺": "promise",
    "分期手续费及年化利率告知完整": "optional", "挂失、止付流程操作正确": "optional", "工单记录完整": "record",
}
# what an agent says when it disputes an item, by the item's tag: the reason fits the item
DISPUTE_REASONS = {
    "qing": ("首句已使用“请问有什么可以帮您”，请复核会话开头",), "nin": ("全程已使用“您”，请复核会话记录",),
    "zaijian": ("结束时已说“再见”，是客户先离开了会话",), "speed": ("系统卡顿导致回复延迟，非本人原因",),
    "tone": ("客户情绪激动，本人一直耐心安抚，语气并不生硬",), "donts": ("原话是解释流程，不属于推诿",),
    "policy": ("解答与当时有效的活动规则一致，请核对政策",), "record": ("已在工单备注中记录，请查看工单",),
    "upsell": ("客户问题尚未解决，不适合推荐商品",), "verify": ("通话开始已核实机主身份，录音可查",),
    "identity": ("已按流程核实持卡人身份，录音可查",), "risk": ("通话中已做风险提示，请复核录音",),
    "promise": ("并未作出承诺，只是说明办理流程",),
}
GENERIC_DISPUTE = "该项“{item}”已按流程操作，请复核"


def dispute_reason(item_title: str, draw: int = 0) -> str:
    """An agent's reason for disputing the item *item_title*: one that speaks of that item
    (*draw*, any number, picks among several)."""
    reasons = DISPUTE_REASONS.get(TAGS.get(item_title, ""))
    return reasons[draw % len(reasons)] if reasons else GENERIC_DISPUTE.format(item=item_title)


OVERALL = {"good": ("服务规范，业务熟练，继续保持", "解答清晰，客户满意", "整体表现良好，流程完整"),
           "fair": ("整体尚可，注意细节", "业务处理基本到位，服务用语需加强", "有失分项，请对照质检手册改进"),
           "poor": ("多项失分，需参加专项辅导", "服务意识不足，请班长跟进辅导"),
           "fatal": ("出现致命错误，整改后复检", "触碰红线，已通报班长，需重新培训")}

# --- the e-commerce chats ----------------------------------------------------------------------
# scenario: (category, weight, turns); a turn is "C:…" (the customer) or "A:…" (the agent)
SCENARIOS = (
    ("售前咨询", 20, ("C:这款连衣裙我身高165，体重110斤，穿什么码？",
                      "A:根据您的身高体重，建议您选M码，这款版型偏修身。",
                      "C:腰围68穿M会不会紧？",
                      "A:M码腰围是70厘米，您穿刚好合适，喜欢宽松一点可以选L码。",
                      "C:好的，那我拍M码",
                      "A:好的，同系列的针织开衫搭配也很好看，现在满199减30，您可以看一下。")),
    ("物流", 18, ("C:我前天下的单，什么时候发货啊？",
                  "A:请您稍等，我帮您查询一下。",
                  "A:您的订单已经打包，预计今天下午5点前发出，发货后会短信通知您。",
                  "C:能不能快一点，我周末要用",
                  "A:已经帮您备注加急，仓库会优先安排。")),
    ("物流", 12, ("C:物流三天没更新了，是不是丢件了？",
                  "A:请您不要着急，我马上联系快递核实。",
                  "A:已和快递确认，包裹在中转站滞留，预计明天恢复派送，我会持续跟进。",
                  "C:好吧，那你们盯着点")),
    ("售后换货", 12, ("C:收到的杯子有裂纹",
                      "A:非常抱歉给您带来不便，请您拍一张照片发给我。",
                      "C:[图片]",
                      "A:看到了，给您免费补发一个新的，破损的不用寄回，您看可以吗？",
                      "C:可以，谢谢")),
    ("售后退款", 7, ("C:我申请的退款怎么还没到账？",
                     "A:请您提供一下订单号，我帮您查看。",
                     "C:订单号 {order}",
                     "A:查到了，退款已于前天原路退回，银行处理一般需要1到3个工作日，请您留意银行卡到账信息。",
                     "C:好，那我再等等")),
    ("发票", 8, ("C:可以开发票吗？要公司抬头的",
                 "A:可以的，请您提供公司名称和税号，发货后48小时内开具电子发票。",
                 "C:名称和税号发你了",
                 "A:已经登记好，开好后会发送到您的邮箱。")),
    ("优惠券", 12, ("C:我的优惠券为什么用不了？",
                    "A:请您稍等，我看一下。",
                    "A:这张券满299可用，您的订单是268元，再凑31元就可以用了。",
                    "C:哦，这样啊",
                    "A:店里的收纳盒和袜子正好可以凑单，您可以看看。")),
    ("价保", 8, ("C:我刚买完就降价了，能退差价吗？",
                 "A:您在价保期内，请您把降价页面截图发给我，我帮您申请。",
                 "C:[图片]",
                 "A:已为您提交价保申请，差价会在24小时内退回原支付账户。")),
)
OPENINGS = ("您好，欢迎光临优品汇旗舰店，请问有什么可以帮您？", "亲，您好，我是客服小优，请问有什么可以帮到您？",
            "您好，请问有什么可以帮您？")
RUDE_OPENINGS = ("在的，什么问题？", "您好，在的。", "亲，说吧。")
CLOSINGS = ("感谢您的耐心等待，祝您购物愉快，再见！", "还有其他问题随时联系我们，再见～", "不客气，祝您生活愉快，再见！")
BARE_CLOSINGS = ("好的。", "还有别的问题吗？", "嗯嗯，好的")
FAULT_LINES = {  # an agent's line that breaks a rule
    "ni": ("你把订单号发我一下。", "你先看一下页面上的说明。"),
    "harsh": ("我都说了，要等物流更新。", "急什么，仓库按顺序发货。", "有完没完，这个问题刚才回答过了。"),
    "blame": ("那是快递的问题，您去找快递公司问吧。", "这个不归我们管，是仓库那边的事。"),
    "blaming_customer": ("是您自己没看清楚商品详情页的说明。", "谁让您不早点下单呢。"),
    "forbidden": ("这个没办法，系统就是这样设置的。", "不可能给您改地址了，已经出库。"),
}
RISK_LINES = ("再不给我处理，我就打12315投诉你们！", "质量这么差，我要给差评。", "你们这是欺诈，我要找消协维权。",
              "我要投诉，你们客服到底管不管？")
FAULTS = (("qing", 0.10), ("ni", 0.08), ("zaijian", 0.12), ("harsh", 0.03), ("blame", 0.03),
          ("blaming_customer", 0.02), ("forbidden", 0.03), ("wait", 0.07), ("risk", 0.05))


def chat(rng, start: dt.datetime, order: str) -> tuple[str, str, int, set[str]]:
    """(transcript, category, duration in seconds, faults) of one chat begun at *start*."""
    category, turns = _weighted(rng, [((c, t), w) for c, w, t in SCENARIOS])
    faults = {name for name, chance in FAULTS if rng.random() < chance}
    turns = [t.format(order=order) for t in turns]
    if "risk" in faults:
        turns.insert(2 if len(turns) > 2 else 1, "C:" + rng.choice(RISK_LINES))
    for fault in ("ni", "harsh", "blame", "blaming_customer", "forbidden"):
        if fault in faults:
            agent_lines = [n for n, t in enumerate(turns) if t.startswith("A:")]
            turns.insert(rng.choice(agent_lines) + 1 if agent_lines else len(turns),
                         "A:" + rng.choice(FAULT_LINES[fault]))
    if "ni" not in faults:  # a polite agent keeps 您 in the mouth
        turns = [t.replace("发你了", "发给您了").replace("你们盯着点", "麻烦盯着点") for t in turns]
    said = [("客户", turns[0][2:]),
            ("客服", rng.choice(RUDE_OPENINGS if "qing" in faults else OPENINGS)),
            *(("客户" if t[0] == "C" else "客服", t[2:]) for t in turns[1:])]
    if said[-1][0] == "客服":
        said.append(("客户", rng.choice(("好的，谢谢", "嗯，知道了", "谢谢"))))
    said.append(("客服", rng.choice(BARE_CLOSINGS if "zaijian" in faults else CLOSINGS)))
    replies = [n for n in range(2, len(said)) if said[n][0] == "客服" and said[n - 1][0] == "客户"]
    slow = rng.choice(replies) if "wait" in faults else None
    lines, clock = [_line(start, *said[0])], start
    for n, (who, text) in enumerate(said[1:], start=1):
        if n == slow:
            pause = rng.randint(75, 240)  # the customer kept waiting
        else:
            pause = rng.randint(4, 18) if n == 1 else rng.randint(8, 40)
        clock += dt.timedelta(seconds=pause)
        lines.append(_line(clock, who, text))
    return "\n".join(lines), category, int((clock - start).total_seconds()), faults


def _line(at: dt.datetime, who: str, said: str) -> str:
    return f"[{at:%H:%M:%S}] {who}: {said}"


def _weighted(rng, table):
    return rng.choices([value for value, _ in table], [weight for _, weight in table])[0]


def category(rng, kind: str) -> str:
    return _weighted(rng, CATEGORIES[kind])
