"""The demo's contract: a first version from the demo's first day, taken over from the project's
KPI targets with a penalty and an owner per target, and a change in the middle of the second
month (a supplementary agreement: short abandons leave the service level, satisfaction up half a
point, AHT ten seconds looser), so a month of the demo is measured in two parts; and the project's own short-, mid- and long-term and workload
targets. Written through `contracts.save`, the path the contract page takes."""

from __future__ import annotations

from . import contracts

# code -> penalty in yuan for a miss
PENALTIES = {"service_level": 3000.0, "answer_rate": 2000.0, "aht_seconds": 1000.0, "satisfaction": 2000.0,
             "first_response_seconds": 1500.0, "conversion_rate": 2000.0, "average_order_value": 1000.0,
             "complaints_per_thousand": 1500.0, "qa_average": 1000.0, "attendance_rate": 500.0}
EXTRA = {"complaints_per_thousand": 1.5, "qa_average": 85.0, "attendance_rate": 0.95}  # beside kpi_targets
GOALS = {
    "telecom": [("short", "本月服务水平稳定在80%以上", 80.0), ("mid", "本季度满意度提升至97%", 97.0),
                ("long", "年度投诉率降至每千次接触1次以下", 1.0), ("workload", "日均接待量", 1100.0)],
    "bank": [("short", "本月接通率达到97%", 97.0), ("mid", "本季度首次解决率提升至85%", 85.0),
             ("long", "年度零监管投诉", 0.0), ("workload", "日均接待量", 650.0)],
    "shop": [("short", "大促期间首次响应不超过20秒", 20.0), ("mid", "本季度询单转化率提升至48%", 48.0),
             ("long", "年度客单价达到180元", 180.0), ("workload", "日均接待会话量", 750.0)],
}


def build(fw, project: dict, months: list[str], actor: str) -> None:
    if not months:
        return
    slug = project["slug"]
    owner = next((u["username"] for u in contracts.owners(fw, project) if "supervisor" in u.get("roles", ())),
                 None)
    seeded = contracts.seed(project)
    kinds = {d.code for d in contracts.kinds(fw, project)}
    targets = {code: {"target": t["target"], "higher_is_better": fw.kpi_defs[code].higher_is_better,
                      "penalty": PENALTIES.get(code), "owner": owner}
               for code, t in seeded["targets"].items() if code in kinds}
    for code, target in EXTRA.items():
        if code in kinds and code not in targets:
            targets[code] = {"target": target, "higher_is_better": fw.kpi_defs[code].higher_is_better,
                             "penalty": PENALTIES.get(code), "owner": owner}
    first = {**seeded, "effective": f"{months[0]}-01", "targets": targets,
             "note": "合同首版：沿用项目原有考核指标，约定罚款与负责人"}
    first.pop("id")
    contracts.save(fw, project, first, actor)
    if len(months) > 1:
        changed = {code: dict(t) for code, t in targets.items()}
        if "satisfaction" in changed:
            changed["satisfaction"]["target"] = round(changed["satisfaction"]["target"] + 0.005, 4)
        if "aht_seconds" in changed:
            changed["aht_seconds"]["target"] = changed["aht_seconds"]["target"] + 10
        if "first_response_seconds" in changed:
            changed["first_response_seconds"]["target"] = 15.0
        change = {**first, "effective": f"{months[1]}-16", "targets": changed,
                  "sl_formula": "offered_minus_short" if "service_level" in changed else first["sl_formula"],
                  "note": "补充协议：短时放弃不计入服务水平，满意度提高0.5个百分点，平均处理时长放宽10秒"}
        contracts.save(fw, project, change, actor)
    contracts.save_goals(fw, project, [{"horizon": h, "text": t, "number": n} for h, t, n in GOALS.get(slug, ())],
                         actor)
