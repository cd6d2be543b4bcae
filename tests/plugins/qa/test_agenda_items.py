"""What QA offers a meeting's agenda besides the casebook (issue 15 item 5, `agenda_items`):
yesterday's evaluations under the pass line for the morning briefing, last week per team for the
weekly meeting, the month's results for the monthly meeting."""

import datetime as dt

import pytest

from floorwalker.core import AgendaItem
from floorwalker.core.plugins import collect
from floorwalker.plugins.qa import evaluations, interactions

FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0", "comment": "好"}
POOR = {**FULL, "a-0-0": "no", "c-0-0": "未使用“请”", "a-0-1": "1", "c-0-1": "语气生硬", "a-1-1": "no",
        "c-1-1": "漏记工单号"}


@pytest.fixture
def evaluated(fw, published, tmp_path):
    """On Sunday the 15th: Li Lei's chat scored poorly, Han Meimei's in full; Wang Fang's on the 2nd."""
    path = tmp_path / "in.csv"
    path.write_text("id,agent,time,channel,transcript\nC1,1001,2026-11-14 09:00:00,ticket,退款单\n"
                    "C2,1002,2026-11-14 10:00:00,ticket,查询\nC3,1003,2026-11-01 10:00:00,ticket,改地址\n",
                    encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup1")
    project = fw.projects.get("acme")
    return evaluations.submit_many(fw, project, [("C1", {**POOR, "scorecard_version": "1"}, dt.datetime(2026, 11, 15, 9)),
                                                 ("C2", {**FULL, "scorecard_version": "1"}, dt.datetime(2026, 11, 15, 10)),
                                                 ("C3", {**FULL, "scorecard_version": "1"}, dt.datetime(2026, 11, 2, 10))],
                                   "qa1")


def offered(fw, kind, day):
    project = fw.projects.get("acme")
    return [i for i in collect(fw.project_hook(project, "agenda_items"), AgendaItem, floorwalker=fw, project=project,
                               meeting={"kind": kind, "date": day.isoformat(), "time": "08:45"}, day=day,
                               user={"username": "sup1", "roles": ["supervisor"]})]


def test_the_briefing_gets_yesterdays_evaluations_under_the_pass_line(fw, evaluated):
    poor = next(e for e in evaluated if e["interaction"] == "C1")
    assert poor["score"] < 85
    (item,) = offered(fw, "briefing", dt.date(2026, 11, 16))
    assert (item.plugin, item.title_zh) == ("qa", "昨日低于及格线的质检")
    (row,) = item.context["rows"]  # Han Meimei's full marks are not there
    assert row["name"] == "Li Lei" and row["score"] == poor["score"]
    assert {"item": "记录完整", "comment": "漏记工单号"} in row["lost"]
    assert offered(fw, "briefing", dt.date(2026, 11, 17)) == []  # the day after, nothing from yesterday


def test_the_weekly_meeting_gets_last_weeks_qa_per_team(fw, evaluated):
    (item,) = offered(fw, "weekly", dt.date(2026, 11, 16))
    teams = {t["team"]: t["figure"] for t in item.context["teams"]}
    assert set(teams) == {"Day team"} and teams["Day team"].n == 2  # Wang Fang's was three weeks ago
    assert item.context["lost"][0]["item"] in ("开场使用“请”", "记录完整", "语气亲切")


def test_the_monthly_meeting_gets_the_months_results_without_names(fw, evaluated):
    (item,) = offered(fw, "monthly", dt.date(2026, 11, 20))
    assert item.context["whole"].n == 3 and item.context["under"] == 1
    assert {t.title for t in item.context["teams"]} == {"Day team", "Night team"}
    assert "Li Lei" not in str(item.context)
