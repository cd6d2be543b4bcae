"""The staffing page: a day's intervals with the chart, the gap red where short; the forecast
typed by a supervisor (an error names its field and keeps what was typed); who may see what."""

import datetime as dt

import pytest

from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.attendance import roster
from floorwalker.plugins.reporting import traffic

DAY = "2026-11-16"


@pytest.fixture(scope="session")
def pm():
    return make_plugin_manager(builtins=["attendance", "reporting"])


@pytest.fixture
def planned(fw):
    fw.projects.enable("hotline", "attendance", "setup")
    roster.save_shift(fw, "hotline", roster.shift_doc("D", "Day", "09:00", "17:00"), "setup")
    roster.set_entries(fw, "hotline", [("1001", DAY, "D"), ("1002", DAY, "D")], "setup")
    last_week = (dt.date.fromisoformat(DAY) - dt.timedelta(weeks=1)).isoformat()
    traffic.replace(fw, "hotline", [{"day": last_week, "start": "09:00", "minutes": 30, "offered": 100,
                                     "answered": 100, "talk_seconds": 18000}], "setup", "test")
    return fw


def test_the_day_with_its_chart_and_the_short_interval_in_red(planned, login):
    page = login("team_leader").get(f"/p/hotline/reporting/staffing?day={DAY}")
    assert page.status_code == 200
    rows = page.context["rows"]
    nine = next(r for r in rows if r["start"] == "09:00")
    assert (nine["required"], nine["scheduled"], nine["gap"]) == (20, 2, -18)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="svgchart svgchart-bars"' in page.text
    assert 'class="num short">-18</td>' in page.text.replace("−", "-")
    assert "/staffing/forecast" not in page.text  # a team leader reads, does not forecast


def test_a_supervisor_types_a_forecast_and_the_plan_follows(planned, login, csrf):
    sup = login("supervisor")
    form = sup.get(f"/p/hotline/reporting/staffing/forecast?day={DAY}")
    assert form.status_code == 200 and 'name="calls_09:00"' in form.text
    token = csrf(sup, f"/p/hotline/reporting/staffing/forecast?day={DAY}")
    done = sup.post("/p/hotline/reporting/staffing/forecast",
                    data={"csrf_token": token, "day": DAY, "calls_09:00": "10", "aht_09:00": "180"})
    assert done.status_code == 303 and done.headers["location"].endswith(f"staffing?day={DAY}")
    nine = next(r for r in sup.get(done.headers["location"]).context["rows"] if r["start"] == "09:00")
    assert (nine["calls"], nine["source"], nine["required"]) == (10, "hand", 5)
    bad = sup.post("/p/hotline/reporting/staffing/forecast",
                   data={"csrf_token": token, "day": DAY, "calls_09:00": "-3", "calls_10:00": "7"})
    assert bad.status_code == 422 and "calls" in bad.context["error"]
    assert 'name="calls_10:00" value="7"' in bad.text  # what was typed stays


def test_the_chinese_page_speaks_chinese(planned, fw, login):
    with fw.store.transaction("core", "setup", "user.locale") as tx:
        tx.update("users", "hotline.supervisor", {"locale": "zh_CN"})
    page = login("supervisor").get(f"/p/hotline/reporting/staffing?day={DAY}")
    for words in ("人力测算", "预测来电量", "已排班", "缺口"):
        assert words in page.text
    for english in ("Scheduled", "Forecast calls", "Required on the phones", "Gap<"):
        assert english not in page.text


@pytest.mark.parametrize("role", ["client", "agent"])
def test_a_client_and_an_agent_never_see_it(planned, login, role):
    assert login(role).get(f"/p/hotline/reporting/staffing?day={DAY}").status_code == 403
