"""The client report's sections from QA, complaints and attendance (`report_sections`): their
figures over a month or a week, and each rendered for a client login in both languages with no
agent's name or number, no pay and no internal note (the staff see the names)."""

import datetime as dt

import pytest

from floorwalker.core import ReportSection, validate
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import collect, make_plugin_manager
from floorwalker.core.projects import Projects
from floorwalker.plugins.attendance import punches, roster
from floorwalker.plugins.complaints import handling, records
from floorwalker.plugins.qa import evaluations, interactions, scorecards

from ...pgcluster import store_for

NAMES = ("Li Lei", "Han Meimei", "Wang Fang")
NOW = dt.datetime(2026, 11, 30, 20, 0)
# 部分, 权重, 项目, 类型, 满分, 致命, 说明 (as tests/plugins/qa/conftest.py)
CARD = [("服务用语", 60, "开场使用“请”", "是否", 10, "无", ""), ("服务用语", 60, "语气亲切", "评分", 5, "无", ""),
        ("服务用语", 60, "辱骂客户", "是否", 0, "整体", ""), ("业务处理", 40, "信息准确", "分值", 10, "部分", ""),
        ("业务处理", 40, "记录完整", "是否", 10, "无", ""), ("加分项", None, "主动营销成功", "分值", 5, "无", "")]
FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0", "comment": "好"}
STAFF = {"username": "sup", "roles": ["supervisor"], "projects": ["acme"], "locale": "en"}
CLIENT = {"username": "client", "roles": ["client"], "projects": ["acme"], "locale": "zh_CN"}


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    """acme with QA, complaints and attendance: November's evaluations, complaints against
    named agents with an internal reason, and a week of day shifts."""
    pm = make_plugin_manager(builtins=["qa", "complaints", "attendance"])
    patch = pytest.MonkeyPatch()
    patch.setattr(Projects, "now", lambda self, project: NOW)
    fw = Floorwalker(store_for(tmp_path_factory.mktemp("sections") / "data"), pm)
    fw.projects.create("acme", "Acme Co", "setup", plugins=["qa", "complaints", "attendance"])
    fw.teams.create("acme", "day", "早班", "setup")
    for number, name in zip(("1001", "1002", "1003"), NAMES):
        fw.agents.add("acme", number, name, "setup", team="day", hired="2025-01-01")
    keys = scorecards.COLUMNS
    rows = [(n + 2, {k: "" if v is None else str(v) for k, v in zip(keys, row)}) for n, row in enumerate(CARD)]
    card = scorecards.card_from_rows(rows, [], {k: k for k in (*keys, "forbidden")})
    scorecards.save_draft(fw, "acme", card, "qa1", "质检标准")
    scorecards.publish(fw, "acme", 1, "qa1")
    project = fw.projects.get("acme")
    lines = ["id,agent,time,channel,transcript"] + [f"C{n},{agent},2026-11-{day:02d} 09:00:00,ticket,退款单"
                                                    for n, (agent, day) in enumerate([("1001", 3), ("1001", 4),
                                                                                      ("1002", 5), ("1003", 20)])]
    path = tmp_path_factory.mktemp("in") / "in.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup")
    evaluations.submit(fw, project, "C0", 1, FULL, "qa1")
    evaluations.submit(fw, project, "C1", 1, {**FULL, "a-1-1": "no", "c-1-1": "漏记"}, "qa1")
    evaluations.submit(fw, project, "C2", 1, {**FULL, "a-1-1": "no", "c-1-1": "漏记", "a-0-0": "no", "c-0-0": "未用请"}, "qa1")
    evaluations.submit(fw, project, "C3", 1, {**FULL, "a-0-2": "no", "c-0-2": "辱骂"}, "qa1")
    for n, agent in enumerate(("1001", "1002")):
        doc = records.intake(fw, project, {"channel": "phone", "subject": f"态度差{n}", "complainant": "张三丰",
                                           "contact": "13812345678", "against": "agent", "agent": agent,
                                           "category": "服务态度", "received": f"2026-11-1{n} 10:00"},
                             "sup", at=dt.datetime(2026, 11, 10 + n, 10, 0))
        handling.verdict(fw, project, doc["id"], "valid", "INTERNAL-录音确认坐席语气生硬", "sup", "quarrel_with_customer")
    roster.save_shift(fw, "acme", roster.shift_doc("D", "Day", "08:00", "17:00"), "setup")
    roster.set_entries(fw, "acme", [(a, f"2026-11-{d:02d}", "D") for a in ("1001", "1002") for d in (2, 3)], "setup")
    punched = [punches.punch_doc(a, punches.parse_time(f"2026-11-{d:02d} {t}"), "import")
               for a, d in (("1001", 2), ("1001", 3), ("1002", 2)) for t in ("07:55", "17:05")]
    punches.store_punches(fw, "acme", punched, "setup")
    yield fw
    patch.undo()


def sections(fw, period, user):
    return {s.plugin: s for s in collect(fw.project_hook(fw.projects.get("acme"), "report_sections"),
                                         ReportSection, floorwalker=fw, project=fw.projects.get("acme"),
                                         period=period, user=user)}


@pytest.fixture(scope="module")
def render(company):
    from floorwalker.core.app import create_app
    templates = create_app(company).state.shell.templates

    def rendered(section, locale):
        return templates.get(section.template, locale).render(section=section, locale=locale)
    return rendered


def test_the_qa_section_counts_the_periods_evaluations(company):
    qa = sections(company, "2026-11", STAFF)["qa"].context
    assert (qa["n"], qa["fatal"], qa["passed"]) == (4, 1, 1)
    assert qa["pass_rate"] == 0.25
    assert qa["defects"][0] == ("业务处理", "记录完整", 2)
    assert [a["label"] for a in qa["agents"]] == list(NAMES)
    # evaluations count in the week they were given (all on Monday 30 November here)
    week = sections(company, "2026-W49", STAFF)["qa"].context
    assert (week["first"], week["last"], week["n"]) == ("2026-11-30", "2026-12-06", 4)
    assert sections(company, "2026-W48", STAFF)["qa"].context["n"] == 0


def test_the_complaints_and_attendance_sections_count_the_period(company):
    found = sections(company, "2026-11", STAFF)
    c = found["complaints"].context
    assert (c["received"], c["valid"], c["categories"][0]["name"]) == (2, 2, "Service attitude")  # the reader's language
    assert c["rows"][0]["agent"] == "1001 Li Lei"
    a = found["attendance"].context["whole"]
    assert (a["rostered"], a["present"], a["absent"], a["attendance_rate"]) == (4, 3, 1, 0.75)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_section_is_client_safe(company, render, locale):
    found = sections(company, "2026-11", {**CLIENT, "locale": locale})
    assert set(found) == {"qa", "complaints", "attendance"}
    for section in found.values():
        html = render(section, locale)
        for secret in (*NAMES, "1001", "1002", "1003", "INTERNAL", "13812345678", "张三丰", "¥", "pay", "绩效"):
            assert secret not in html, (section.plugin, secret)
    assert ("坐席 #1" if locale == "zh_CN" else "Agent #1") in render(found["qa"], locale)
    assert "态度差0" in render(found["complaints"], locale) and "早班" in render(found["attendance"], locale)


def test_the_staff_read_the_names(company, render):
    html = render(sections(company, "2026-11", STAFF)["qa"], "en")
    assert "Li Lei" in html and "1001" in html


def test_a_project_that_shows_names_shows_them_to_its_client(company, render):
    company.projects.configure("acme", "core", {"show_agent_names_to_client": True}, "admin")
    try:
        assert "Li Lei" in render(sections(company, "2026-11", CLIENT)["qa"], "zh_CN")
    finally:
        company.projects.configure("acme", "core", {"show_agent_names_to_client": False}, "admin")


@pytest.mark.parametrize("period, bounds", [("2026-11", ("2026-11-01", "2026-11-30")),
                                            ("2026-W01", ("2025-12-29", "2026-01-04")),
                                            ("2026-11-30", ("2026-11-30", "2026-12-06"))])
def test_a_period_is_a_month_or_a_week(period, bounds):
    assert tuple(d.isoformat() for d in validate.period_bounds(period)) == bounds


def test_the_complaints_by_category_table_heads_its_counts_as_counts(company, render):
    html = render(sections(company, "2026-11", CLIENT)["complaints"], "zh_CN")
    head = html.split("<tbody>")[0]
    assert "<th>分类</th><th class=\"num\">投诉量</th><th class=\"num\">成立</th>" in head.replace("\n", "")
    assert "受理时间" not in head
