"""Attendance on the hooks of issue 10: an import of agents as one roster commit, who is away
(`agent_availability`), what waits for a user (`waiting_items`) and KPIs with what they count."""

import datetime as dt

from floorwalker.core import KPI, Absence, KPIDef, WaitingItem
from floorwalker.core.plugins import collect
from floorwalker.plugins.attendance import leave, roster, sheet, swaps

MONTH = "2026-03"


def ask(co, hook, record_type, **kwargs):
    return collect(co.fw.project_hook(co.project, hook), record_type, floorwalker=co.fw,
                   project=co.project, **kwargs)


def test_an_import_of_agents_is_one_roster_commit(co):
    roster.set_pattern(co.fw, "alpha", "day", ["D"] * 5 + [None, None], "tl")
    roster.set_pattern(co.fw, "alpha", "eve", ["C"] * 7, "tl")
    today = co.fw.projects.today(co.project)
    key = roster.month_key(co.fw, "alpha", today.isoformat()[:7])
    before = co.fw.store.read(key).generation
    pairs = [co.fw.agents.new_agent_docs("alpha", number, "New", team=team, hired=today.isoformat())
             for number, team in (("1005", "day"), ("1006", "day"), ("1007", "eve"))]
    co.fw.agents.add_many("alpha", pairs, "hr")
    assert co.fw.store.read(key).generation == before + 1
    month = roster.roster(co.fw, "alpha", today.isoformat()[:7])
    rest_of_month = [d for d in roster.month_dates(today.isoformat()[:7]) if d >= today]
    assert sorted(e["date"] for e in month.values() if e["agent"] == "1007") == [
        d.isoformat() for d in rest_of_month]
    assert {e["shift"] for e in month.values() if e["agent"] == "1005"} <= {"D", None}


def test_who_is_away_leave_and_runs_of_rest_days(co):
    co.rota(("1002", "2026-03-02", "D"), ("1003", "2026-03-02", None), ("1003", "2026-03-03", None),
            ("1003", "2026-03-05", None), ("1001", "2026-03-02", None))
    annual = leave.request(co.fw, co.project, "1002", "annual", co.agent("1002"), "2026-03-02",
                           asked_at=dt.datetime(2026, 2, 20, 9, 0))
    leave.decide(co.fw, co.project, annual["id"], True, co.sup)
    found = ask(co, "agent_availability", Absence, first=dt.date(2026, 3, 1),
                last=dt.date(2026, 3, 31), agents=["1002", "1003"])
    assert [(a.agent, a.first.isoformat(), a.last.isoformat(), a.kind, a.plugin) for a in found] == [
        ("1002", "2026-03-02", "2026-03-02", "leave", "attendance"),
        ("1003", "2026-03-02", "2026-03-03", "rest", "attendance"),
        ("1003", "2026-03-05", "2026-03-05", "rest", "attendance")]


def test_what_waits_for_a_supervisor_a_team_leader_and_an_agent(co):
    co.rota(("1001", "2026-03-10", "D"), ("1002", "2026-03-02", "D"), ("1003", "2026-03-03", "D"),
            ("1001", "2026-03-03", "D"))
    leave.request(co.fw, co.project, "1001", "personal", co.agent("1001"), "2026-03-10",
                  asked_at=dt.datetime(2026, 3, 1, 9, 0))
    swaps.ask(co.fw, co.project, co.agent("1002"), "1002", "2026-03-02", "1003", "2026-03-03")
    sheet.ask_excuse(co.fw, co.project, "1001", "2026-03-03", "flat tyre", "photo", co.agent("1001"))

    def waiting(user):
        return {(w.title_en, w.count) for w in ask(co, "waiting_items", WaitingItem, user=user)}

    assert waiting(co.sup) == {("Leave requests to approve", 1), ("Excuses to decide", 1)}
    assert waiting(co.tl_day) == set()
    assert waiting(co.agent("1003")) == {("Swaps asked of you", 1)}


def test_kpis_say_what_they_count_and_take_a_week(co):
    co.rota(("1001", "2026-03-02", "D"), ("1001", "2026-03-03", "D"), ("1001", "2026-03-10", "D"))
    co.punch("1001", "2026-03-02 07:50", "2026-03-02 17:00", "2026-03-03 08:10", "2026-03-03 17:00")
    month = {k.code: k for k in ask(co, "project_kpis", KPI, period=MONTH)}
    rate = month["attendance_rate"]
    assert (rate.value, rate.n, rate.numerator, rate.denominator) == (66.7, 3, 2, 3)
    assert (month["punctuality"].numerator, month["punctuality"].denominator) == (1, 2)
    week = {k.code: k for k in ask(co, "project_kpis", KPI, period=MONTH, first=dt.date(2026, 3, 2),
                                   last=dt.date(2026, 3, 8))}
    assert (week["attendance_rate"].value, week["absences"].value) == (100.0, 0)
    declared = {k.code: k for k in co.fw.kpi_defs.values() if k.plugin == "attendance"}
    assert set(declared) == set(month) and all(isinstance(k, KPIDef) for k in declared.values())
    assert declared["leave_days"].audience == "internal"
