"""The contract, versioned (issue 16, item 2): seeded from the project's KPI targets, a new
version from a day with earlier ones kept, none in a closed month, percents typed and fractions
stored, every change audited; who edits and who reads what on the contract page."""

import datetime as dt

import pytest

from floorwalker.core import ValidationError
from floorwalker.plugins.reporting import contracts


def form(effective="2026-11-16", formula="offered_minus_short", **more):
    return {"effective": effective, "sl_formula": formula, "sl_threshold_seconds": "15", **more}


def test_the_first_version_is_seeded_from_the_projects_kpi_targets(fw):
    fw.projects.set("hotline", "kpi.service_level", 0.8, "setup")
    fw.projects.set("hotline", "kpi.service_level_seconds", 20, "setup")
    fw.projects.set("hotline", "kpi.answer_rate", 0.95, "setup")
    project = fw.projects.get("hotline")
    seeded = contracts.version_on(fw, project, dt.date(2026, 11, 1))
    assert (seeded["id"], seeded["sl_formula"], seeded["sl_threshold_seconds"]) == ("seed", "offered", 20)
    assert seeded["targets"]["service_level"]["target"] == 0.8
    assert seeded["targets"]["answer_rate"]["higher_is_better"] is True
    contracts.save(fw, project, contracts.parse(fw, project, form(**{"answer_rate.target": "97"})), "sup")
    # the seed is kept for the days before the new version; the new one from its day
    assert contracts.version_on(fw, project, dt.date(2026, 11, 15))["targets"]["answer_rate"]["target"] == 0.95
    after = contracts.version_on(fw, project, dt.date(2026, 11, 16))
    assert after["targets"]["answer_rate"]["target"] == pytest.approx(0.97)
    assert (after["sl_formula"], after["sl_threshold_seconds"]) == ("offered_minus_short", 15)
    assert [v["effective"] for v in contracts.versions(fw, project)] == [contracts.SEED_DAY, "2026-11-16"]


def test_units_penalties_and_owners_are_checked(fw, project):
    saved = contracts.save(fw, project, contracts.parse(fw, project, form(**{
        "service_level.target": "80", "service_level.penalty": "2000", "service_level.owner": "hotline.supervisor",
        "aht_seconds.target": "240"})), "hotline.supervisor")
    assert saved["targets"]["service_level"] == {"target": 0.8, "higher_is_better": True, "penalty": 2000.0,
                                                 "owner": "hotline.supervisor"}
    assert saved["targets"]["aht_seconds"]["target"] == 240.0  # seconds as seconds
    assert saved["targets"]["aht_seconds"]["higher_is_better"] is False
    for wrong, problem in [({"service_level.target": "120"}, "0 to 100"),
                           ({"service_level.target": "eighty"}, "not a number"),
                           ({"service_level.target": "80", "service_level.owner": "hotline.client"}, "no staff login"),
                           ({"service_level.penalty": "500"}, "needs a target"),
                           ({"sl_formula": "average"}, "formulas")]:
        with pytest.raises(ValidationError, match=problem):
            contracts.parse(fw, project, {**form(), **wrong}, "en")
    with pytest.raises(ValidationError) as err:
        contracts.parse(fw, project, form(**{"service_level.target": "120"}), "zh_CN")
    assert "服务水平" in err.value.message("zh_CN") and "0 到 100" in err.value.message("zh_CN")


def test_a_version_in_a_closed_month_is_refused(fw, project):
    fw.periods.close("hotline", "2026-10", "hotline.supervisor")
    with pytest.raises(ValidationError, match="closed"):
        contracts.save(fw, project, contracts.parse(fw, project, form("2026-10-20")), "sup")
    contracts.save(fw, project, contracts.parse(fw, project, form("2026-11-01")), "sup")
    # the same day again replaces that version; nothing else changes
    contracts.save(fw, project, contracts.parse(fw, project, form("2026-11-01", "offered")), "sup")
    assert [v["sl_formula"] for v in contracts.versions(fw, project)] == ["offered", "offered"]
    assert len(contracts.versions(fw, project)) == 2
    entries = [e for e in fw.store.audit_entries("projects/hotline") if e["action"] == "reporting.contract"]
    assert len(entries) == 2 and {e["actor"] for e in entries} == {"sup"}


def test_a_split_span_has_a_part_per_version(fw, project):
    contracts.save(fw, project, contracts.parse(fw, project, form("2026-11-10")), "sup")
    contracts.save(fw, project, contracts.parse(fw, project, form("2026-11-20")), "sup")
    parts = contracts.parts(fw, project, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [(a.day, b.day, v["effective"]) for a, b, v in parts] == [
        (1, 9, contracts.SEED_DAY), (10, 19, "2026-11-10"), (20, 30, "2026-11-20")]


def test_the_project_goals_are_rows_of_a_horizon(fw, project):
    rows = contracts.parse_goals({"g.0.horizon": "long", "g.0.text": "年度满意度达到97%",
                                  "g.1.horizon": "workload", "g.1.text": "日均接待量", "g.1.number": "5200",
                                  "g.2.horizon": "short", "g.2.text": "", "g.2.number": ""})
    assert rows == [{"horizon": "long", "text": "年度满意度达到97%", "number": None},
                    {"horizon": "workload", "text": "日均接待量", "number": 5200.0}]
    contracts.save_goals(fw, project, rows, "sup")
    assert contracts.goals(fw, project) == rows
    with pytest.raises(ValidationError):
        contracts.parse_goals({"g.0.horizon": "someday", "g.0.text": "x"})


def test_only_supervisors_edit_and_a_client_reads_its_targets_only(fw, project, login, csrf):
    contracts.save(fw, project, contracts.parse(fw, project, form("2026-11-01", **{
        "service_level.target": "80", "service_level.penalty": "1500", "service_level.owner": "hotline.supervisor"})),
        "hotline.supervisor")
    contracts.save_goals(fw, project, [{"horizon": "mid", "text": "季度流失率低于5%", "number": None}], "sup")
    fw.users.update("hotline.client", "setup", locale="zh_CN")
    fw.users.update("hotline.supervisor", "setup", locale="zh_CN")
    leader = login("team_leader")
    page = leader.get("/p/hotline/reporting/contract")
    assert page.status_code == 200 and "季度流失率" in page.text and 'name="effective"' not in page.text
    assert leader.post("/p/hotline/reporting/contract", data={"csrf_token": csrf(leader)}).status_code == 403
    client = login("client").get("/p/hotline/reporting/contract").text
    assert "服务水平 = T秒内接通量 ÷（呼入量 − 短时放弃量）" in client  # the chosen formula, written out
    assert "≥ 80.0%" in client and "¥1,500" in client  # its target and penalty
    assert "季度流失率" not in client and "hotline supervisor" not in client  # no goals, no owner
    sup = login("supervisor")
    page = sup.post("/p/hotline/reporting/contract", data={**form("2026-11-20"), "service_level.target": "101",
                                                          "csrf_token": csrf(sup)})
    assert page.status_code == 422 and "服务水平：请填写 0 到 100 之间的数字" in page.text
    done = sup.post("/p/hotline/reporting/contract", data={**form("2026-11-20"), "service_level.target": "85",
                                                          "csrf_token": csrf(sup)})
    assert done.status_code == 303
    assert contracts.version_on(fw, project, dt.date(2026, 11, 20))["targets"]["service_level"]["target"] == 0.85


def test_the_demo_contract_changes_in_the_middle_of_its_second_month(fw):
    from floorwalker.plugins.reporting import contract_demo
    fw.projects.set("hotline", "kpi.service_level", 0.8, "setup")
    fw.projects.set("hotline", "kpi.satisfaction", 0.96, "setup")
    project = fw.projects.get("hotline")
    contract_demo.build(fw, project, ["2026-09", "2026-10", "2026-11"], "demo")
    found = contracts.versions(fw, project)
    assert [v["effective"] for v in found] == [contracts.SEED_DAY, "2026-09-01", "2026-10-16"]
    first, change = found[1], found[2]
    assert first["targets"]["service_level"]["penalty"] == 3000.0
    assert first["targets"]["service_level"]["owner"] == "hotline.supervisor"
    assert (first["sl_formula"], change["sl_formula"]) == ("offered", "offered_minus_short")
    assert change["targets"]["satisfaction"]["target"] == pytest.approx(0.965)
