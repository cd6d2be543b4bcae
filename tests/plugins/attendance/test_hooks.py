"""The attendance plugin as the core calls it: KPIs of a known month, the blockers that stop a
month from closing, closing (which settles), a closed month refusing every attendance write,
and agents leaving, moving and arriving."""

import datetime as dt

import pytest

from floorwalker.core import PeriodClosed
from floorwalker.core.periods import PeriodBlocked
from floorwalker.plugins.attendance import handover, leave, punches, roster, sheet, swaps

MONTH = "2026-03"


def hook(co, name, **kwargs):
    found = co.fw.project_hook(co.project, name)(floorwalker=co.fw, project=co.project, **kwargs)
    return [item for group in found for item in group or ()]


@pytest.fixture
def known_month(co):
    """1001: on time, 10 minutes late, absent. 1002: annual leave, then 5 minutes early."""
    co.rota(("1001", "2026-03-02", "D"), ("1001", "2026-03-03", "D"), ("1001", "2026-03-04", "D"),
            ("1002", "2026-03-02", "D"), ("1002", "2026-03-03", "D"))
    co.punch("1001", "2026-03-02 07:50", "2026-03-02 17:00", "2026-03-03 08:10", "2026-03-03 17:00")
    co.punch("1002", "2026-03-03 07:55", "2026-03-03 16:55")
    annual = leave.request(co.fw, co.project, "1002", "annual", co.agent("1002"), "2026-03-02",
                           asked_at=dt.datetime(2026, 2, 20, 9, 0))
    leave.decide(co.fw, co.project, annual["id"], True, co.sup)
    return co


def test_kpis_of_a_known_month(known_month):
    kpis = {k.code: k for k in hook(known_month, "project_kpis", period=MONTH)}
    assert {code: k.value for code, k in kpis.items()} == {
        "attendance_rate": 75.0,   # 3 present of 4 days due (the leave day is not due)
        "punctuality": 33.3,       # 1 of the 3 present days neither late nor early
        "absences": 1,
        "adherence": 74.3,         # 540 + 530 + 535 on schedule (not roll-call) of 4 × 540 due
        "leave_days": 1.0}
    assert (kpis["attendance_rate"].target, kpis["absences"].higher_is_better) == (95.0, False)


def test_figures_by_agent(known_month):
    rows = [r for r in sheet.month_rows(known_month.fw, known_month.project, MONTH)
            if r["status"] not in ("rest", "scheduled")]
    by_agent = sheet.figures_by(rows, "agent")
    assert (by_agent["1001"]["attendance_rate"], by_agent["1001"]["late"]) == (66.7, 1)
    assert (by_agent["1002"]["on_leave"], by_agent["1002"]["early"]) == (1, 1)
    assert sheet.leave_days_by_kind(known_month.fw, "alpha", MONTH) == {"annual": 1.0}


def test_the_agent_section_and_the_widget_show_the_month(known_month):
    (section,) = hook(known_month, "agent_sections", agent=known_month.fw.agents.get("1001"),
                      period=MONTH, user=known_month.sup)
    assert [r["status"] for r in section.context["rows"]] == ["present", "present", "absent"]
    (widget,) = hook(known_month, "dashboard_widgets", period=MONTH, user=known_month.sup)
    assert widget.context["figures"]["absent"] == 1


def blocker_titles(co):
    return sorted(b.title("en") for b in hook(co, "period_blockers", period=MONTH))


def test_every_open_item_blocks_the_close_until_it_is_dealt_with(co):
    co.rota(("1001", "2026-03-02", "D"), ("1001", "2026-03-03", "D"), ("1001", "2026-03-10", "D"),
            ("1002", "2026-03-02", "D"), ("1003", "2026-03-02", None), ("1003", "2026-03-03", "D"))
    co.punch("1001", "2026-03-02 07:50")              # no check-out: an exception
    co.punch("1002", "2026-03-02 07:50", "2026-03-02 17:00")
    waiting = leave.request(co.fw, co.project, "1001", "personal", co.agent("1001"), "2026-03-10",
                            asked_at=dt.datetime(2026, 3, 1, 9, 0))
    swap = swaps.ask(co.fw, co.project, co.agent("1002"), "1002", "2026-03-02", "1003", "2026-03-03")
    sheet.ask_excuse(co.fw, co.project, "1001", "2026-03-03", "flat tyre", "photo", co.agent("1001"))
    assert blocker_titles(co) == ["Excuses waiting for a decision", "Leave requests waiting for approval",
                                  "Punch exceptions not resolved", "Shift swaps waiting for a decision"]
    with pytest.raises(PeriodBlocked) as blocked:
        co.fw.periods.close("alpha", MONTH, "sup", user=co.sup)
    assert len(blocked.value.blockers) == 4
    assert "Punch exceptions not resolved (1)" in blocked.value.message("en")

    leave.decide(co.fw, co.project, waiting["id"], False, co.sup, "month-end peak")
    swaps.cancel(co.fw, co.project, swap["id"], co.agent("1002"))
    sheet.decide_excuse(co.fw, co.project, "1001", "2026-03-03", False, co.sup, "no photo date")
    assert blocker_titles(co) == ["Punch exceptions not resolved"]
    sheet.resolve_exception(co.fw, co.project, "1001", "2026-03-02", "seen on the floor till 17:00",
                            co.tl_day)
    assert blocker_titles(co) == []

    co.fw.periods.close("alpha", MONTH, "sup", user=co.sup)  # closing settles the month first
    assert co.active("1001", MONTH) == [
        ("absent", -20, d, f"attendance:day:1001:{d}") for d in ("2026-03-03", "2026-03-10")]
    assert sheet.settle(co.fw, co.project, MONTH, "sup") == {"written": 0, "reversed": 0}


def test_a_closed_month_refuses_every_attendance_write(co, tmp_path):
    co.rota(("1001", "2026-03-02", "D"), ("1001", "2026-03-03", "D"), ("1002", "2026-03-03", "N"),
            ("1002", "2026-03-04", "D"))
    co.punch("1001", "2026-03-02 07:50", "2026-03-02 17:00")
    (punch, _) = punches.punches(co.fw, "alpha", MONTH)
    roster.set_pattern(co.fw, "alpha", "day", ["D"] * 7, "tl")
    co.fw.periods.close("alpha", MONTH, "sup", user=co.sup)
    key = roster.month_key(co.fw, "alpha", MONTH)
    generation = co.fw.store.read(key).generation
    later = dt.datetime(2026, 2, 1, 9, 0)
    writes = [
        lambda: co.rota(("1001", "2026-03-04", "D")),
        lambda: co.punch("1001", "2026-03-03 08:00"),
        lambda: punches.add_manual(co.fw, "alpha", "1001", "2026-03-03 08:00", "card", "tl"),
        lambda: punches.correct(co.fw, "alpha", punch["id"], "2026-03-02 07:45", "fast", "tl"),
        lambda: punches.void(co.fw, "alpha", punch["id"], "wrong", "tl"),
        lambda: leave.request(co.fw, co.project, "1001", "annual", co.agent("1001"), "2026-03-03",
                              asked_at=later),
        lambda: swaps.ask(co.fw, co.project, co.agent("1001"), "1001", "2026-03-02", "1002",
                          "2026-03-04"),
        lambda: handover.write_log(co.fw, "alpha", co.agent("1001"), "day", "2026-03-03", "D", "N",
                                   "1001", "1002", "fine"),
        lambda: sheet.record_mark(co.fw, co.project, "1001", "2026-03-03", "cover", co.tl_day, "x"),
        lambda: sheet.ask_excuse(co.fw, co.project, "1001", "2026-03-03", "bus", "", co.agent("1001")),
        lambda: sheet.resolve_exception(co.fw, co.project, "1001", "2026-03-03", "ok", co.tl_day),
        lambda: roster.apply_pattern(co.fw, "alpha", "day", "2026-03-01", "2026-03-31", "tl"),
    ]
    for write in writes:
        with pytest.raises(PeriodClosed):
            write()
    assert co.fw.store.read(key).generation == generation
    assert sheet.settle(co.fw, co.project, MONTH, "sup") == {"written": 0, "reversed": 0}


def test_a_leaver_loses_the_shifts_after_the_last_day(co):
    co.rota(*[("1002", f"2026-03-{d}", "D") for d in ("09", "10", "11", "12")],
            ("1002", "2026-04-01", "D"), ("1001", "2026-03-11", "D"))
    co.fw.agents.leave("1002", "2026-03-10", "resigned", "hr")
    left = {e["date"] for m in ("2026-03", "2026-04") for e in roster.roster(co.fw, "alpha", m).values()
            if e["agent"] == "1002"}
    assert left == {"2026-03-09", "2026-03-10"}
    assert roster.entry(co.fw, "alpha", "1001", "2026-03-11")["shift"] == "D"


def test_moving_to_another_project_drops_the_shifts_from_the_move_on(co):
    co.rota(("1002", "2026-03-10", "D"), ("1002", "2026-03-11", "D"))
    co.fw.agents.move("1002", "beta", "hr", start="2026-03-11")
    assert {e["date"] for e in roster.roster(co.fw, "alpha", MONTH).values()} == {"2026-03-10"}


def test_a_new_agent_gets_the_teams_pattern_for_the_rest_of_the_month(co):
    roster.set_pattern(co.fw, "alpha", "day", ["D"] * 5 + [None, None], "tl")
    hired = co.fw.projects.today(co.project) + dt.timedelta(days=1)
    co.fw.agents.add("alpha", "1005", "Sun", "hr", team="day", hired=hired.isoformat())
    month = hired.isoformat()[:7]
    days = sorted(e["date"] for e in roster.roster(co.fw, "alpha", month).values()
                  if e["agent"] == "1005")
    assert days == [d.isoformat() for d in roster.month_dates(month) if d >= hired]


def test_each_attendance_event_links_to_its_evidence(known_month):
    co = known_month
    sheet.settle(co.fw, co.project, MONTH, "system")
    mark = sheet.record_mark(co.fw, co.project, "1002", "2026-03-03", "away", co.sup, "smoking", 12)
    events = co.fw.ledger.events("alpha", MONTH)
    found = co.fw.project_hook(co.project, "evidence_links")(
        floorwalker=co.fw, project=co.project, events=events, user=co.sup)
    links = {k: v for group in found for k, v in (group or {}).items()}
    absent = next(e for e in events if e["rule"] == "absent")
    assert links[absent["id"]] == "/p/alpha/attendance/punches?agent=1001&date=2026-03-04"
    assert links[mark["event"]] == f"/p/alpha/attendance/marks?month=2026-03#mark-{mark['id']}"
    assert all(e["source"] == "attendance" for e in events if e["id"] in links)
