"""The client report (issue 16, item 4): weekly and monthly, as a page, a PDF and an xlsx from one
document; written for the client (its figures only, no internal KPI); published by the job once
per period and again by a supervisor; frozen when the month closes, and a closed report built
again is the stored one in every figure; the improvement plan; the rules that changed; the CLI."""

import datetime as dt
import io
import subprocess

import openpyxl
import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.core import KPI, KPIDef, RuleChange, hookimpl
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.reporting import contracts, report, traffic

NOVEMBER = [  # two weeks of a hotline: the week of the 9th misses its 80 % service level
    {"day": f"2026-11-{day:02d}", "start": "09:00", "minutes": 30, "offered": 100, "answered": 95,
     "answered_in_threshold": within, "threshold_seconds": 20, "abandoned": 5, "abandoned_short": 1,
     "abandoned_in_threshold": 2, "talk_seconds": 20000, "hold_seconds": 1000, "wrap_seconds": 2000,
     "csat_responses": 20, "csat_satisfied": 19}
    for day, within in [(2, 90), (3, 88), (4, 91), (9, 60), (10, 62), (11, 70)]]


class Tiny:
    """A plugin with a client section, an internal KPI the client must not see, and a rule change."""

    @hookimpl
    def register_kpis(self):
        return [KPIDef("coffee", "Coffee per agent", "人均咖啡", "", False, "mean", "internal")]

    @hookimpl
    def project_kpis(self, period, first, last):
        return [KPI(code="coffee", title_en="Coffee per agent", title_zh="人均咖啡", value=3.0, n=3)]

    @hookimpl
    def rule_changes(self, first, last):
        day = dt.date(2026, 11, 9)
        return [RuleChange(day, "QA standard version 3 published", "质检标准第 3 版发布")] if first <= day <= last else []


@pytest.fixture(scope="session")
def pm():
    pm = make_plugin_manager(builtins=["reporting"])
    pm.register(Tiny(), name="tiny")
    return pm


@pytest.fixture
def hotline(fw, project):
    form = {"effective": "2026-11-01", "sl_formula": "offered", "sl_threshold_seconds": "20",
            "service_level.target": "80", "service_level.penalty": "2000", "satisfaction.target": "90"}
    contracts.save(fw, project, contracts.parse(fw, project, form), "hotline.supervisor")
    traffic.replace(fw, project, NOVEMBER, "hotline.supervisor", "test")
    return fw.projects.enable("hotline", "tiny", "setup")


def figures(data, code):
    return [f for f in data["figures"] if f["code"] == code]


def test_the_week_measures_against_the_contract_with_the_penalty_of_a_miss(fw, hotline):
    good = report.content(fw, hotline, report.span_of("2026-W45"), fw.render)
    bad = report.content(fw, hotline, report.span_of("2026-W46"), fw.render)
    (sl,) = figures(good, "service_level")
    assert sl["value"] == pytest.approx(269 / 300) and sl["met"] is True
    (sl,) = figures(bad, "service_level")
    assert sl["value"] == pytest.approx(192 / 300) and sl["met"] is False and sl["stake"] == 2000
    assert good["penalty"] is None and bad["penalty"] is None  # penalties are per month: the month's report
    assert [c["title_zh"] for c in bad["changes"]] == ["质检标准第 3 版发布"]
    assert good["changes"] == []


def test_the_report_is_written_for_the_client(fw, hotline):
    data = report.content(fw, hotline, report.span_of("2026-11"), fw.render)
    assert not figures(data, "coffee")  # the internal KPI stays home
    assert [label for label, _ in data["trends"]["service_level"]][:2] == ["2026-11-01", "2026-11-02"]
    assert data["trends"]["service_level"][0][1] is None  # a Sunday with no calls: no data, not 0


def test_published_then_frozen_at_close_and_built_again_it_is_the_same(fw, hotline, clock):
    month = report.span_of("2026-11")
    first = report.publish(fw, hotline, month, "hotline.supervisor", fw.render)
    assert first["frozen"] is False and report.stored(fw, hotline, month)["data"]["penalty"] == 2000
    clock.now = dt.datetime(2026, 12, 2, 9, 0)
    fw.periods.close("hotline", "2026-11", "hotline.supervisor")
    frozen = report.stored(fw, hotline, month)
    assert frozen["frozen"] is True and frozen["dated"] == "2026-11"
    weeks = {r["id"] for r in report.published(fw, hotline) if r["frozen"]}
    assert {"2026-W45", "2026-W46", "2026-W47", "2026-W48"} <= weeks  # the weeks ending in November
    with pytest.raises(Exception, match="frozen"):
        report.publish(fw, hotline, month, "hotline.supervisor", fw.render)
    again = report.content(fw, hotline, month, fw.render)
    assert again["figures"] == frozen["data"]["figures"] and again["trends"] == frozen["data"]["trends"]
    with pytest.raises(Exception):
        report.save_plan(fw, hotline, month, "too late", "hotline.supervisor")


def test_the_job_publishes_every_ended_period_with_traffic_once(fw, hotline):
    monday = dt.datetime(2026, 11, 16, 6, 0)
    assert report.publish_due(fw, hotline, monday, fw.render) == {"published": 2}  # W45 and W46
    assert {r["id"] for r in report.published(fw, hotline)} == {"2026-W45", "2026-W46"}
    assert report.publish_due(fw, hotline, monday + dt.timedelta(hours=1), fw.render) == {"published": 0}


def test_a_server_that_was_down_catches_up_but_leaves_closed_months_alone(fw, hotline, clock):
    october = [{**row, "day": f"2026-10-{day:02d}"} for row in NOVEMBER[:1] for day in (6, 20)]
    traffic.replace(fw, hotline, october, "hotline.supervisor", "test")
    clock.now = dt.datetime(2026, 11, 20, 9, 0)
    fw.periods.close("hotline", "2026-10", "hotline.supervisor")  # freezes October and its weeks
    frozen = {r["id"] for r in report.published(fw, hotline)}
    assert "2026-10" in frozen and "2026-W41" in frozen
    # down from the 10th of November to the 1st of December: every ended period is published
    clock.now = dt.datetime(2026, 12, 1, 6, 0)
    done = report.publish_due(fw, hotline, dt.datetime(2026, 12, 1, 6, 0), fw.render)
    published = {r["id"]: r for r in report.published(fw, hotline)}
    assert set(published) - frozen == {"2026-11", "2026-W45", "2026-W46"}  # W47, W48: no traffic, no report
    assert done == {"published": 3}
    assert all(published[label]["frozen"] for label in frozen)


def test_the_page_as_the_client_and_the_supervisor(fw, hotline, login, csrf):
    client = login("client")
    for suffix in ("", ".pdf", ".xlsx"):  # not yet published: not the client's to read
        assert client.get(f"/p/hotline/reporting/reports/2026-W46{suffix}").status_code == 404
    assert "2026-W46" not in client.get("/p/hotline/reporting/reports").text
    assert client.post("/p/hotline/reporting/reports/2026-W46/publish",
                       data={"csrf_token": csrf(client)}).status_code == 403
    boss = login("supervisor")
    token = csrf(boss)
    preview = boss.get("/p/hotline/reporting/reports/2026-W46")
    assert preview.status_code == 200 and "Preview" in preview.text and "<svg" in preview.text
    assert "Coffee" not in preview.text  # written for the client: no internal KPI
    assert boss.post("/p/hotline/reporting/reports/2026-W46/plan",
                     data={"csrf_token": token, "plan": "Two more agents on Monday mornings"}).status_code == 303
    assert client.get("/p/hotline/reporting/reports/2026-W46").status_code == 404  # the draft plan stays home
    assert boss.post("/p/hotline/reporting/reports/2026-W46/publish",
                     data={"csrf_token": token}).status_code == 422  # not without the confirmation
    assert boss.post("/p/hotline/reporting/reports/2026-W46/publish",
                     data={"csrf_token": token, "confirm": "yes"}).status_code == 303
    shown = client.get("/p/hotline/reporting/reports/2026-W46").text
    assert "Two more agents on Monday mornings" in shown and "Published" in shown
    assert client.get("/p/hotline/reporting/reports/2026-W46.pdf").status_code == 200
    boss.post("/p/hotline/reporting/reports/2026-W46/plan", data={"csrf_token": token, "plan": "A new draft"})
    assert "A new draft" not in client.get("/p/hotline/reporting/reports/2026-W46").text
    listed = client.get("/p/hotline/reporting/reports").text
    assert "/p/hotline/reporting/reports/2026-W46" in listed


def test_an_agent_reads_reports_only_where_the_project_allows(fw, hotline, login):
    agent = login("agent")
    assert agent.get("/p/hotline/reporting/reports/2026-11").status_code == 403
    fw.projects.configure("hotline", "reporting", {"agents_see_reports": True}, "setup")
    assert agent.get("/p/hotline/reporting/reports/2026-11").status_code == 404  # not published yet
    report.publish(fw, hotline, report.span_of("2026-11"), "hotline.supervisor", fw.render)
    assert agent.get("/p/hotline/reporting/reports/2026-11").status_code == 200


def test_the_client_of_another_project_cannot_open_it(fw, hotline, login):
    assert login("client", "shop").get("/p/hotline/reporting/reports/2026-11").status_code in (403, 404)


def test_the_pdf_has_every_part_as_chinese_text(fw, hotline, login):
    response = login("supervisor").get("/p/hotline/reporting/reports/2026-W46.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    data = report.content(fw, hotline, report.span_of("2026-W46"), fw.render)
    from floorwalker.core import to_pdf
    from floorwalker.plugins.reporting.report_pages import body
    pdf = to_pdf(html=body(fw, data, "zh_CN", pdf=True), title="电信热线 周报", locale="zh_CN")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    for heading in ("指标达成", "人力配置", "甲方反馈", "改进计划", "本期规则变更", "服务水平", "质检标准第 3 版发布"):
        assert heading in text, heading


def test_the_workbook_has_the_figures_and_the_days(fw, hotline, login):
    response = login("supervisor").get("/p/hotline/reporting/reports/2026-11.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    names = book.sheetnames
    assert names[:2] == ["KPIs", "By day"] and "Rules that changed" in names
    rows = list(book["KPIs"].iter_rows(values_only=True))
    assert rows[0][0] == "KPI" and any(r[0] == "Service level" for r in rows[1:])


def test_the_command_line_writes_each_format(fw, hotline, pm, tmp_path):
    cli = make_cli(pm)
    for fmt in ("html", "pdf", "xlsx"):
        out = tmp_path / f"report.{fmt}"
        result = CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", "zh_CN", "reporting", "report",
                                          "--project", "hotline", "--week", "2026-W46", "--format", fmt,
                                          "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert "服务水平" in (tmp_path / "report.html").read_text()
    both = CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", "en", "reporting", "report",
                                    "--project", "hotline", "--week", "2026-W46", "--month", "2026-11",
                                    "-o", str(tmp_path / "x.pdf")])
    assert both.exit_code != 0 and "--month" in both.output


# ---------------------------------------------------------------- issue 16's walk (fix16a)


def _second_version(fw, project, day="2026-11-09"):
    form = {"effective": day, "sl_formula": "offered_minus_abandoned", "sl_threshold_seconds": "30",
            "service_level.target": "85", "service_level.penalty": "3000", "note": "补充协议"}
    contracts.save(fw, project, contracts.parse(fw, project, form), "hotline.supervisor")


def test_the_rules_that_changed_say_what_changed_old_to_new(fw, hotline):
    _second_version(fw, hotline)
    data = report.content(fw, hotline, report.span_of("2026-11"), fw.render)
    (change,) = [c for c in data["changes"] if c["day"] == "2026-11-09" and c["plugin"] == "reporting"]
    assert change["detail_en"] == (
        "service-level formula: SL = answered within T ÷ offered, T = 20 s → "
        "SL = answered within T ÷ (offered − abandoned), T = 30 s; Service level pass line: 80.0% → 85.0%; "
        "Service level penalty: ¥2,000 → ¥3,000; Satisfaction pass line: 90.0% → none; note: 补充协议")
    zh = change["detail_zh"]
    assert "服务水平公式：服务水平 = T秒内接通量 ÷ 呼入量，T = 20 秒 → 服务水平 = T秒内接通量 ÷（呼入量 − 放弃量），T = 30 秒" in zh
    assert "服务水平及格线：80.0% → 85.0%" in zh and "满意度及格线：90.0% → 无" in zh and "说明：补充协议" in zh
    # the KPI rows of the split month say which formula each part was measured with
    from floorwalker.plugins.reporting.report_pages import body
    page = body(fw, data, "en")
    assert "SL = answered within T ÷ offered, T = 20 s" in page
    assert "SL = answered within T ÷ (offered − abandoned), T = 30 s" in page


def test_a_threshold_change_alone_is_named(fw, hotline):
    old = contracts.versions(fw, hotline)[-1]
    new = {**old, "sl_threshold_seconds": 15}
    assert report.version_changes(fw, old, new, "en") == ["service-level threshold: 20 s → 15 s"]
    assert report.version_changes(fw, old, old, "zh_CN") == []


def test_the_home_tile_measures_against_the_version_in_force_today(fw, hotline, clock):
    from floorwalker.plugins.reporting import kpis
    _second_version(fw, hotline, "2026-11-20")  # signed, not yet in force on the 16th
    (sl,) = [k for k in kpis.hook_kpis(fw, hotline, "2026-11", None, None) if k.code == "service_level"]
    assert sl.target == 80  # not the 85 from the 20th
    assert sl.value == pytest.approx(100 * (90 + 88 + 91 + 60 + 62 + 70) / 600)  # the first formula
    clock.now = dt.datetime(2026, 11, 21, 9, 0)
    (sl,) = [k for k in kpis.hook_kpis(fw, hotline, "2026-11", None, None) if k.code == "service_level"]
    assert sl.target == 85


def test_penalties_are_counted_in_the_monthly_report_only(fw, hotline, login):
    boss = login("supervisor")
    week = boss.get("/p/hotline/reporting/reports/2026-W46").text
    assert "1 KPI missed its target." in week and "¥" not in week.split("KPIs against target")[1].split("</table>")[0]
    assert "the monthly report counts them" in week
    month = boss.get("/p/hotline/reporting/reports/2026-11").text
    assert "1 KPI missed its target. Penalties ¥2,000." in month
    day = boss.get("/p/hotline/reporting/kpis?grain=day&at=2026-11-10").text
    assert "1 KPI missed its target." in day and "Penalties ¥" not in day and "¥2,000" not in day
    assert "Penalties ¥2,000." in boss.get("/p/hotline/reporting/kpis?grain=month&at=2026-11").text
    zh = report_pages_body(fw, hotline, "2026-W46", "zh_CN")
    assert "1 项指标未达标。" in zh and "罚款合计" not in zh


def report_pages_body(fw, project, label, locale):
    from floorwalker.plugins.reporting.report_pages import body
    return body(fw, report.content(fw, project, report.span_of(label), fw.render), locale)


def test_the_tables_scroll_inside_the_page_on_a_phone(fw, hotline, login):
    page = login("supervisor").get("/p/hotline/reporting/reports/2026-11").text
    assert '<div class="tablewrap"><table class="data report-kpis">' in page


def test_the_workbook_holds_numbers_with_their_formats(fw, hotline, login):
    report.publish(fw, hotline, report.span_of("2026-11"), "hotline.supervisor", fw.render)
    response = login("client").get("/p/hotline/reporting/reports/2026-11.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header, *rows = list(book["KPIs"].iter_rows())
    columns = [c.value for c in header]
    (sl,) = [r for r in rows if r[0].value == "Service level"]
    value = sl[columns.index("Value")]
    assert value.value == pytest.approx(461 / 600) and value.number_format == "0.0%"
    assert sl[columns.index("Penalty")].value == 2000 and "¥" in sl[columns.index("Penalty")].number_format
    assert isinstance(sl[columns.index("n")].value, int)
    (aht,) = [r for r in rows if r[0].value == "Average handle time (seconds)"]
    assert isinstance(aht[columns.index("Value")].value, float) and '" s"' in aht[columns.index("Value")].number_format
    days = list(book["By day"].iter_rows(values_only=True))
    assert any(isinstance(v, float) for row in days[1:] for v in row[1:])


def test_the_chinese_workbook_names_n_as_the_page_does(fw, hotline):
    from floorwalker.plugins.reporting.report_pages import workbook
    data = report.content(fw, hotline, report.span_of("2026-W46"), fw.render)
    (kpis_sheet, *_) = workbook(data, "zh_CN")
    assert "样本数" in kpis_sheet.headings and "n" not in kpis_sheet.headings
    assert "罚款" not in kpis_sheet.headings  # a week: no penalty column


def test_the_pdf_keeps_short_cells_on_one_line():
    from floorwalker.plugins.reporting.report_pages import unbroken
    html = '<table><tr><th>投诉人</th><th class="x">结案</th><th>解决方案</th></tr><tr><td>已达成</td><td>班长回电致歉，重新解释套餐资费明细</td></tr></table>'
    out = unbroken(html)
    assert '<th style="white-space:nowrap">投诉人</th>' in out
    assert '<th class="x" style="white-space:nowrap">结案</th>' in out
    assert '<td style="white-space:nowrap">已达成</td>' in out
    assert "<td>班长回电致歉，重新解释套餐资费明细</td>" in out


def test_the_chinese_pdf_embeds_the_simplified_face_only(fw, hotline, tmp_path):
    from floorwalker.core import to_pdf
    from floorwalker.plugins.reporting.report_pages import body
    data = report.content(fw, hotline, report.span_of("2026-11"), fw.render)
    assert data["trends"]  # the charts are in it
    path = tmp_path / "report.pdf"
    path.write_bytes(to_pdf(html=body(fw, data, "zh_CN", pdf=True), title="电信热线 月报", locale="zh_CN"))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    assert "CJK-SC" in fonts and "CJK-JP" not in fonts  # the JP face draws ≥ as ⩾
