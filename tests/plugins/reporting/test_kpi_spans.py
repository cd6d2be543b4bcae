"""KPIs of spans the acceptance walk of issue 16 found wrong: a service level whose formula needs
short abandons on days imported without them (no data, never 0, and the span says how many days
it left out; the import's preview warns), a week across two months that added the agents short of
QA samples twice, a span not begun yet that showed 0, the chat's seats."""

import datetime as dt

import pytest

from floorwalker.core import KPI, KPIDef, hookimpl
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.reporting import contracts, kpis, traffic
from floorwalker.plugins.reporting.traffic_import import import_file


def day_rows(day, short=True):
    row = {"day": day, "start": "09:00", "minutes": 30, "offered": 100, "answered": 90,
           "answered_in_threshold": 72, "threshold_seconds": 20, "abandoned": 10, "abandoned_in_threshold": 4}
    return [{**row, "abandoned_short": 4} if short else row]


class Counter:
    """A plugin with a count of agents (``distinct``: 40 of the project's 42 in each month) and a
    count of events (``sum``: 0 received, n 0) for any span it is asked."""

    @hookimpl
    def register_kpis(self):
        return [KPIDef("thin", "Agents short of samples", "样本不足人数", "", False, "distinct", "client"),
                KPIDef("moans", "Moans", "投诉量", "", False, "sum", "client")]

    @hookimpl
    def project_kpis(self, period, first, last):
        return [KPI(code="thin", title_en="Agents short of samples", title_zh="样本不足人数", value=40, n=42),
                KPI(code="moans", title_en="Moans", title_zh="投诉量", value=0, n=0)]


@pytest.fixture(scope="session")
def pm():
    pm = make_plugin_manager(builtins=["reporting"])
    pm.register(Counter(), name="counter")
    return pm


@pytest.fixture
def short_formula(fw, project):
    form = {"effective": "2026-11-01", "sl_formula": "offered_minus_short", "sl_threshold_seconds": "20"}
    contracts.save(fw, project, contracts.parse(fw, project, form), "hotline.supervisor")
    return project


def service_level(fw, project, first, last):
    return next(f for f in kpis.figures(fw, project, first, last) if f.code == "service_level")


def test_a_day_without_short_abandons_has_no_service_level_and_a_span_leaves_it_out(fw, short_formula):
    project = short_formula
    traffic.replace(fw, project, day_rows("2026-11-09") + day_rows("2026-11-10", short=False), "sup", "test")
    alone = service_level(fw, project, dt.date(2026, 11, 10), dt.date(2026, 11, 10))
    assert alone.value is None and alone.missing_days == 1 and alone.missing_fields == "abandoned_short"
    week = service_level(fw, project, dt.date(2026, 11, 9), dt.date(2026, 11, 15))
    assert week.value == pytest.approx(72 / (100 - 4))  # the 9th alone: the 10th is not counted as 0 short abandons
    assert (week.n, week.missing_days) == (100, 1)
    assert kpis.gap(week, "zh_CN") == "1 天未计入：其话务数据缺少短时放弃量"
    assert kpis.gap(week, "en") == "Days left out (their traffic has no short abandons): 1"


def test_the_kpi_page_says_which_days_it_left_out(fw, short_formula, login):
    traffic.replace(fw, short_formula, day_rows("2026-11-09") + day_rows("2026-11-10", short=False), "sup", "test")
    html = login("supervisor").get("/p/hotline/reporting/kpis?grain=week&at=2026-W46").text
    assert "Days left out (their traffic has no short abandons): 1" in html


def test_the_preview_warns_of_a_field_the_contracts_formula_needs(fw, short_formula, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("日期,时段,呼入量,接通量,20秒内接通,放弃量\n2026-11-03,08:00-08:30,120,114,98,6\n"
                    "2026-11-04,08:00-08:30,100,95,80,5\n", encoding="utf-8")
    preview = import_file(fw, "hotline", path, "hotline.supervisor", dry_run=True)
    assert not preview.refused and len(preview.warnings) == 1
    assert preview.warnings[0].message("zh_CN").startswith("短时放弃量")
    assert "2" in preview.warnings[0].message("zh_CN") and "无数据" in preview.warnings[0].message("zh_CN")
    path.write_text("日期,时段,呼入量,接通量,20秒内接通,放弃量,短时放弃\n2026-11-03,08:00-08:30,120,114,98,6,2\n",
                    encoding="utf-8")
    assert not import_file(fw, "hotline", path, "hotline.supervisor", dry_run=True).warnings


@pytest.fixture
def counted(fw, project):
    fw.projects.enable("hotline", "counter", "setup")
    return fw.projects.get("hotline")


def test_a_count_of_agents_is_not_added_up_across_months(fw, counted):
    project = counted
    inside = {f.code: f for f in kpis.figures(fw, project, dt.date(2026, 10, 19), dt.date(2026, 10, 25))}
    assert (inside["thin"].value, inside["thin"].n) == (40, 42)
    across = {f.code: f for f in kpis.figures(fw, project, dt.date(2026, 10, 26), dt.date(2026, 11, 1))}
    assert across["thin"].value is None  # not 80 of 84 agents


def test_a_span_not_begun_is_no_data_and_a_span_begun_counts_its_zero(fw, counted):
    project = counted
    ahead = {f.code: f for f in kpis.figures(fw, project, dt.date(2026, 12, 16), dt.date(2026, 12, 31))}
    assert (ahead["moans"].value, ahead["moans"].n) == (None, None)
    assert ahead["thin"].value is None
    begun = {f.code: f for f in kpis.figures(fw, project, dt.date(2026, 11, 9), dt.date(2026, 11, 15))}
    assert begun["moans"].value == 0


def test_the_seats_of_a_chat_floor_are_a_figure(fw):
    shop = fw.projects.get("shop")
    rows = [{"day": "2026-11-10", "start": start, "minutes": 30, "chat_sessions": 40, "seats": seats}
            for start, seats in (("09:00", 10), ("09:30", 14))]
    traffic.replace(fw, shop, rows, "shop.supervisor", "test")
    found = {f.code: f for f in kpis.figures(fw, shop, dt.date(2026, 11, 10), dt.date(2026, 11, 10))}
    assert (found["seats"].value, found["seats"].title_zh) == (12, "在线坐席数（时段平均）")
    assert found["contacts"].value == 80
