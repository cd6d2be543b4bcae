"""What the demo's customers complain about, per kind of project: an e-commerce shop's chat
desk, a telecom hotline and a credit-card hotline. Pure data, read by `demo`.

Each project kind has its taxonomy (categories and root causes, the setting each project keeps)
and, for each course a complaint can take in the demo (`demo.FLOWS`), a few cases: the channel,
who or what it is against, the category and root cause, the subject and what the customer
wants, what the investigation found (the verdict's reason) and the solutions, in the order they
are proposed (a complaint escalated or reopened gets the next one: a changed solution).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    channel: str
    against: str  # agent, team, process, product
    category: str
    root_cause: str
    subject: str
    wants: str
    details: str
    found: str  # what the investigation found: the verdict's reason
    solutions: tuple[str, ...] = ()
    side: str = "bpo"  # who is responsible: our centre, or the client's department
    promise: str = ""


def _rows(names: str, english: str) -> list[dict]:
    return [{"name": n, "name_en": e} for n, e in zip(names.split(), english.split("|"))]


SHOP = {
    "categories": _rows("服务态度 物流配送 商品质量 退换货退款 价格与活动 接待时效 其他",
                        "Service attitude|Delivery|Product quality|Returns and refunds|Prices and "
                        "promotions|Waiting time|Other"),
    "root_causes": _rows("坐席服务 业务知识 仓储物流 商品问题 平台规则 排班与人手 客户原因",
                         "Agent's service|Product knowledge|Warehouse and delivery|Product problem|"
                         "Platform rules|Staffing|On the customer's side"),
    "point": "甲方客服中心",
    "minor": (
        Case("chat", "agent", "服务态度", "坐席服务", "在线客服回复敷衍，同一个问题问了三遍才答复",
             "要求客服道歉，尽快查清退款进度", "客户咨询退款进度，坐席连续使用快捷短语回复“请耐心等待”，未查询订单状态。",
             "聊天记录显示坐席未查询订单即套用快捷回复，答复敷衍，投诉成立",
             ("班长致电致歉，加急处理退款，赠送10元无门槛优惠券",)),
        Case("chat", "agent", "服务态度", "坐席服务", "客服没等我说完就结束了会话",
             "要求说明原因并道歉", "客户补充订单信息时会话被坐席手动结束，客户重新排队20分钟。",
             "会话记录显示坐席在客户输入中手动结束会话，投诉成立",
             ("班长致电致歉，说明会话规则，补发5元优惠券",)),
    ),
    "serious": (
        Case("chat", "agent", "服务态度", "坐席服务", "客服在聊天中说“你自己不会看吗”，态度恶劣",
             "要求涉事客服道歉并给予处理", "客户询问优惠券使用规则，坐席回复带有讥讽语气，客户截图投诉。",
             "聊天记录属实，坐席使用不文明用语并与客户争执，投诉成立",
             ("主管代表公司致歉，赠送会员积分500分，涉事坐席停岗复训",)),
    ),
    "appeal": (
        Case("chat", "agent", "服务态度", "坐席服务", "客服嘲讽我“买不起就别买”",
             "要求客服公开道歉", "客户来电称在线会话中被坐席嘲讽，提供了一张聊天截图。",
             "截图显示会话中出现嘲讽语句，判定坐席与客户争执，投诉成立",
             ("班长致电致歉，赠送10元优惠券",)),
    ),
    "unfounded": (
        Case("chat", "agent", "退换货退款", "客户原因", "客服拒绝为超过七天的商品办理无理由退货",
             "要求退货退款", "商品签收第12天申请无理由退货，被坐席拒绝。",
             "商品签收已超过7天且已拆封使用，坐席按平台规则答复无误，投诉不成立"),
        Case("email", "agent", "价格与活动", "客户原因", "客服答应的赠品一直没有收到",
             "要求补发赠品", "客户称下单前客服承诺赠送保温杯，收货时没有赠品。",
             "聊天记录显示坐席已说明满299元才有赠品，订单金额为268元，投诉不成立"),
    ),
    "product": (
        Case("handling_point", "product", "商品质量", "商品问题", "收到的电饭煲内胆有划痕，申请换货被拒",
             "换一台新的", "甲方客服中心转来：客户收货当天发现内胆划痕，店铺售后以“不影响使用”拒绝换货。",
             "甲方质检确认为出厂瑕疵，投诉成立", ("甲方同意换新，安排上门取件并补发新品",), side="client"),
        Case("handling_point", "product", "商品质量", "商品问题", "羽绒服洗了一次就大量跑绒",
             "退货退款", "甲方客服中心转来：客户按洗标水洗后跑绒严重，要求退货。",
             "甲方质检确认面料防钻绒工艺不合格，投诉成立", ("甲方同意全额退款并承担往返运费",), side="client"),
    ),
    "regulator": (
        Case("regulator", "process", "退换货退款", "平台规则", "消费者通过12315投诉：退款申请提交15天仍未到账",
             "尽快退款并给个说法", "市场监管部门转办：客户退货已签收，退款审核超时未处理。",
             "退款审核积压，超出平台承诺时限，投诉成立",
             ("协调甲方财务当日原路退款，致电说明原因并致歉",), side="client"),
    ),
    "escalated": (
        Case("email", "process", "物流配送", "仓储物流", "大促订单超过10天未发货，客服只会说在排队",
             "立即发货，或取消订单并补偿", "客户11天前下单，客服三次答复“仓库排队中”，没有给出发货时间。",
             "仓库大促积压，未按承诺时效发货，投诉成立",
             ("催促仓库48小时内发货，并告知客户物流单号", "改为顺丰加急发货，补偿20元优惠券",
              "商品已加急送达，另行补偿50元优惠券并由主管致电致歉"),
             promise="承诺3日内送达，每日短信告知物流进度"),
    ),
    "reopened": (
        Case("chat", "process", "退换货退款", "仓储物流", "换货申请通过一周了，新商品还没寄出",
             "尽快寄出换货商品", "客户换货申请已审核通过，仓库一直未发出新商品。",
             "仓库漏发换货单，投诉成立",
             ("催促仓库当日寄出换货商品", "改为直接退款并补偿运费，客户另行购买")),
    ),
    "team": (
        Case("chat", "team", "接待时效", "排班与人手", "夜里咨询半小时都没有客服回复",
             "以后夜间要有人及时回复", "客户凌晨0点多咨询订单，排队35分钟无人接待。",
             "当晚夜班两人病假，排班未补位，投诉成立",
             ("夜班增设一名备班坐席，主管致电致歉",)),
    ),
}

TELECOM = {
    "categories": _rows("服务态度 资费争议 网络质量 业务办理 宽带装维 接通等待 其他",
                        "Service attitude|Charges|Network quality|Service orders|Broadband install and "
                        "repair|Waiting time|Other"),
    "root_causes": _rows("坐席服务 业务知识 系统故障 网络问题 营销政策 排班与人手 客户原因",
                         "Agent's service|Product knowledge|System fault|Network problem|Sales policy|"
                         "Staffing|On the customer's side"),
    "point": "甲方投诉处理中心",
    "minor": (
        Case("phone", "agent", "服务态度", "坐席服务", "客服解释套餐资费不耐烦，多次打断我说话",
             "要求客服道歉", "客户咨询套餐外流量费用，坐席语速快、多次打断客户。",
             "录音显示坐席多次打断客户、语气不耐烦，投诉成立",
             ("班长回电致歉，重新解释套餐资费明细",)),
        Case("phone", "agent", "业务办理", "坐席服务", "客服答应当天回电，结果一直没有回电",
             "尽快回电把业务办了", "客户办理号码过户需要回电确认，坐席登记后未按约回电。",
             "工单显示坐席承诺回电后未跟进，投诉成立", ("班长当日回电致歉并办结过户",)),
    ),
    "serious": (
        Case("phone", "agent", "服务态度", "坐席服务", "客服和我吵架，说“你爱投诉就去投诉”后挂断电话",
             "要求涉事工号道歉并处理", "客户对话费有疑问，通话中与坐席发生争执，坐席先挂断电话。",
             "录音证实坐席与客户争吵并主动挂机，投诉成立",
             ("主管回电致歉，赠送20元话费，涉事坐席停岗复训",)),
    ),
    "appeal": (
        Case("phone", "agent", "服务态度", "坐席服务", "客服在电话里骂人",
             "要求涉事工号道歉", "客户称办理停机保号时被坐席辱骂。",
             "初查通话小结记录客户情绪激动、坐席有争执，判定投诉成立",
             ("班长回电致歉",)),
    ),
    "unfounded": (
        Case("phone", "agent", "业务办理", "客户原因", "客服拒绝为我取消合约套餐",
             "马上取消套餐，不交违约金", "客户合约期剩余8个月，要求免违约金取消。",
             "合约期内取消需按协议支付违约金，坐席解释正确，投诉不成立"),
        Case("phone", "process", "资费争议", "客户原因", "被擅自开通了视频彩铃并扣费",
             "退还费用", "客户称从未办理视频彩铃。",
             "调取开通记录，系客户本人短信回复确认开通，投诉不成立"),
    ),
    "product": (
        Case("handling_point", "product", "宽带装维", "网络问题", "家里宽带连续三天晚上掉线",
             "尽快修好并减免月租", "甲方投诉处理中心转来：客户宽带每晚8点后频繁掉线，报修两次未解决。",
             "甲方装维核实光猫老化，投诉成立", ("甲方装维上门更换光猫，减免当月宽带费",), side="client"),
        Case("handling_point", "product", "网络质量", "网络问题", "小区里手机经常没信号",
             "解决信号问题", "甲方投诉处理中心转来：新建小区室内信号弱，通话经常中断。",
             "甲方网络部确认室分覆盖不足，投诉成立", ("甲方已派单优化基站，赠送20元话费",), side="client"),
    ),
    "regulator": (
        Case("regulator", "process", "资费争议", "营销政策", "用户向工信部申诉：未经同意被办理增值业务并扣费",
             "退还全部费用", "电信用户申诉受理中心转办：客户近三个月每月被扣15元增值业务费。",
             "核实为渠道误办，投诉成立", ("全额退还近三个月费用并关闭该业务，书面致歉",), side="client"),
    ),
    "escalated": (
        Case("phone", "process", "资费争议", "营销政策", "出国一周漫游费两千多元，计费有问题",
             "减免漫游费", "客户出国前未开通漫游包，按标准资费产生高额费用。",
             "漫游提醒短信未按规定下发，投诉成立",
             ("提供通话与流量详单，解释计费规则", "申请减免50%漫游费", "甲方特批减免70%，并开通漫游封顶"),
             promise="承诺5个工作日内给出减免审批结果"),
    ),
    "reopened": (
        Case("phone", "process", "宽带装维", "系统故障", "宽带移机约好的上门时间没人来",
             "尽快上门移机", "客户预约周六上午移机，装维人员未上门也未通知。",
             "派单系统故障导致工单未派出，投诉成立",
             ("重新预约上门移机时间", "安排专人当日上门移机，并减免移机费")),
    ),
    "team": (
        Case("phone", "team", "接通等待", "排班与人手", "晚上打客服电话排队二十多分钟",
             "增加客服人手", "客户晚上9点多来电，排队23分钟后才接通。",
             "当晚系统故障话务激增，夜班人手不足，投诉成立", ("高峰时段增加夜班备班人员，主管回电致歉",)),
    ),
}

BANK = {
    "categories": _rows("服务态度 账单与费用 分期业务 额度与审批 催收行为 用卡安全 接通等待 其他",
                        "Service attitude|Statements and fees|Instalments|Limits and approvals|"
                        "Collection|Card security|Waiting time|Other"),
    "root_causes": _rows("坐席服务 业务知识 系统故障 审批政策 催收管理 排班与人手 客户原因",
                         "Agent's service|Product knowledge|System fault|Approval policy|Collection "
                         "management|Staffing|On the customer's side"),
    "point": "甲方消费者权益保护部",
    "minor": (
        Case("phone", "agent", "服务态度", "坐席服务", "客服语气生硬，一直催我挂电话",
             "要求客服道歉", "客户咨询账单日调整，坐席多次催促客户结束通话。",
             "录音显示坐席语气生硬并催促挂机，投诉成立", ("班长回电致歉，为客户办理账单日调整",)),
        Case("phone", "agent", "分期业务", "业务知识", "办分期时客服没说清楚手续费总额",
             "退还多收的手续费", "客户办理12期账单分期，坐席只告知每期费率，未告知手续费总额。",
             "录音显示坐席未完整告知手续费总额，投诉成立", ("按规定减免首期手续费，班长回电致歉",)),
    ),
    "serious": (
        Case("phone", "agent", "服务态度", "坐席服务", "客服和我争执，说“还不起就别刷卡”",
             "要求涉事客服道歉并处理", "客户咨询最低还款，坐席言语不当并与客户争执。",
             "录音证实坐席与持卡人争执并使用不当言语，投诉成立",
             ("主管回电致歉，涉事坐席停岗复训",)),
    ),
    "appeal": (
        Case("phone", "agent", "服务态度", "坐席服务", "客服挂我电话，还和我吵",
             "要求涉事客服道歉", "客户称咨询年费时被坐席顶撞后挂断电话。",
             "初查通话记录显示由坐席侧挂断，判定坐席与客户争执，投诉成立", ("班长回电致歉",)),
    ),
    "unfounded": (
        Case("phone", "agent", "额度与审批", "审批政策", "申请提额被拒，客服故意刁难",
             "马上提额", "客户申请临时额度被系统拒绝，认为坐席未如实提交。",
             "提额为系统综合评估结果，坐席如实提交并告知，投诉不成立"),
        Case("email", "process", "账单与费用", "客户原因", "客服不给我减免年费",
             "减免今年年费", "客户本年刷卡4次，要求减免年费。",
             "未达到刷卡6次免年费条件，答复符合规定，投诉不成立"),
    ),
    "product": (
        Case("handling_point", "product", "用卡安全", "客户原因", "一笔境外交易不是本人所为",
             "拒付并退回款项", "甲方消保部转来：客户卡片在身边，凌晨出现一笔境外网站消费3280元。",
             "甲方风控确认为盗刷交易，投诉成立", ("甲方发起拒付调单，先行调账，补发新卡",), side="client"),
        Case("handling_point", "product", "账单与费用", "系统故障", "还款后账单仍显示未还并收了滞纳金",
             "退还滞纳金", "甲方消保部转来：客户还款日当天还款，系统入账延迟一天。",
             "甲方核实为入账系统延迟，投诉成立", ("甲方退还滞纳金与利息，更正还款记录",), side="client"),
    ),
    "regulator": (
        Case("regulator", "process", "催收行为", "催收管理", "持卡人向金融监管部门投诉：晚上十点后多次接到催收电话",
             "停止骚扰电话", "监管转办：客户逾期3天，晚上10点后连续接到催收来电。",
             "催收外包机构违反夜间催收规定，投诉成立",
             ("甲方约束催收机构停止夜间催收，并书面致歉",), side="client"),
    ),
    "escalated": (
        Case("phone", "process", "分期业务", "审批政策", "分期提前还款还被收全部手续费",
             "退还未到期的手续费", "客户提前结清24期分期，被一次性收取剩余手续费。",
             "分期协议告知不充分，投诉成立",
             ("解释提前还款规则并提供协议条款", "申请减免剩余手续费的50%", "甲方同意全额退还剩余期数手续费"),
             promise="承诺7个工作日内给出甲方审批结果"),
    ),
    "reopened": (
        Case("phone", "process", "账单与费用", "系统故障", "自动还款没扣款，害我逾期",
             "消除逾期记录", "客户设置了自动还款，本期未扣款导致逾期2天。",
             "自动扣款批处理失败，投诉成立",
             ("减免违约金与利息", "甲方提交征信异议更正，并书面致歉")),
    ),
    "team": (
        Case("phone", "team", "接通等待", "排班与人手", "中午打热线排队十五分钟没人接",
             "增加人手", "客户工作日12:30来电，排队16分钟后放弃。",
             "午间轮休安排不当，在线坐席不足，投诉成立", ("调整午间轮休，高峰时段保证在线人数，主管回电致歉",)),
    ),
}

KINDS = {"shop": SHOP, "telecom": TELECOM, "bank": BANK}

# the notes of the steps a complaint desk writes
RESPONSES = ("已致电客户致歉，告知投诉已受理并说明处理时限", "已回复客户：投诉已受理，由专人跟进",
             "已联系客户安抚情绪，记录诉求")
WAITS = {"customer": ("请客户补充截图、时间等相关材料", "客户需先核对家人是否办理，约定次日再联系"),
         "client": ("已转甲方核实，等待甲方答复", "已提交甲方相关部门处理")}
ANSWERS = ("甲方已答复处理意见", "甲方核实完毕，同意处理方案")
ACCEPTED = ("客户对处理结果表示认可", "客户接受处理方案，表示满意")
NOT_ACCEPTED = ("客户不接受处理结果，要求进一步处理", "客户认为补偿不足，不接受")
UNREACHED = "两次致电均无人接听，已发短信告知"
SERIOUS = "客户不接受致歉，涉及坐席服务行为，改为严重投诉，由班长接手"
TAKEOVER = "严重投诉，由班长接手处理"
ESCALATIONS = ("客户不接受答复，要求追加处理", "客户仍不接受，第二次追加，由主管牵头处理")
REOPEN = "客户再次来电，表示问题仍未解决"
EXPLAIN = "致电客户说明核实结果并耐心解释："  # the answer to an invalid complaint, as its solution
APPEAL = "坐席申诉：调取完整录音与会话记录复核，争执内容系客户一方所说，坐席应答规范，申诉成立，投诉改判不成立"
CLOSE_NOTES = {"satisfied": "回访客户满意，结案", "neutral": "客户表示可以接受，结案",
               "unsatisfied": "客户表示仍不满意，按流程先行结案"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
