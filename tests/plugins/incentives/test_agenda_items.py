"""What incentives offers a meeting's agenda (issue 15 item 5, `agenda_items`): the month's score
sheet in short for the monthly all-agent meeting — agents per grade, the average, the lowest —
and never pay, whoever drafts it (a team leader reads the agenda)."""

import datetime as dt

from floorwalker.core import AgendaItem
from floorwalker.core.plugins import collect

from .conftest import MONTH

MEETING_DAY = dt.date(2025, 3, 21)  # the Friday before the 25th


def offered(fw, kind, user):
    project = fw.projects.get("acme")
    return collect(fw.project_hook(project, "agenda_items"), AgendaItem, floorwalker=fw, project=project,
                   meeting={"kind": kind, "date": MEETING_DAY.isoformat(), "time": "14:00"}, day=MEETING_DAY,
                   user=user)


def rendered(fw, item, locale):
    return fw.render(item.template, locale, item.context)


def test_the_monthly_meeting_gets_grades_average_and_lowest(fw, score):
    score("1001", 15)
    score("1003", -30)
    score("1004", 5)
    (item,) = offered(fw, "monthly", {"username": "sup", "roles": ["supervisor"]})
    assert (item.plugin, item.title_zh, item.context["month"]) == ("incentives", "本月考核分汇总", MONTH)
    totals = {r["number"]: r["total"] for r in fw.ledger.sheet("acme", MONTH, columns=False)}
    assert item.context["n"] == 4 and sum(item.context["grades"].values()) == 4
    assert item.context["lowest"] == {"name": "Wang Fang", "total": totals["1003"]}
    assert item.context["average"] == round(sum(totals.values()) / 4, 1)
    assert item.context["grades"]["A"] == 1  # Li Lei's 95
    assert {t["team"] for t in item.context["teams"]} == {"Day team", "Night team"}


def test_a_team_leader_drafting_the_monthly_meeting_sees_no_pay(fw, score):
    score("1001", 15)
    leader = {"username": "tl", "roles": ["team_leader"], "teams": ["acme.day"]}
    (item,) = offered(fw, "monthly", leader)
    assert not {k for k in item.context if "pay" in k}
    for locale in ("zh_CN", "en"):
        html = rendered(fw, item, locale)
        assert "¥" not in html and "绩效" not in html and "pay" not in html.lower()
    assert "最低分" in rendered(fw, item, "zh_CN")


def test_other_meetings_get_nothing_from_incentives(fw, score):
    score("1001", 15)
    assert offered(fw, "briefing", {"username": "sup", "roles": ["supervisor"]}) == []
    assert offered(fw, "weekly", {"username": "sup", "roles": ["supervisor"]}) == []
