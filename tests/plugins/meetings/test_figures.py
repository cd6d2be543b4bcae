"""Meeting figures (issue 15 item 8): attendance at the department meetings held, held vs planned,
minutes signed on time, overdue action items, unified answers fully signed, coaching done vs
due — each with its n, internal only; the calendar's figures section, the dashboard's widget and
the unsigned-minutes blocker at the month's close."""

import datetime as dt

import pytest

from floorwalker.plugins.meetings import answers, attendance, coaching, figures, items, records

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def _meeting(fw, acme, date, kind="weekly", department=True, expected=("1001", "1002", "1009")):
    doc = records.new_doc(fw, acme, kind=kind, date=date, time="16:30", title="班务会", expected=list(expected),
                          chair="sup", department=department)
    return records.add(fw, acme, [doc], "sup")[0]


def _sign(fw, acme, clock, m, at):
    records.write_minutes(fw, acme, m["id"], {"taker": "王敏", "decisions": "统一答复：退款三个工作日到账"}, "sup")
    clock.now = at
    records.sign_off(fw, acme, m["id"], "sup")
    clock.now = dt.datetime(2026, 11, 16, 10, 0)


@pytest.fixture
def month(fw, acme, clock):
    """2026-11 up to Monday the 16th: three meetings held (one signed late), one missed, one
    to come; present 3 of 5 expected at the department meetings held (one excused)."""
    weekly = _meeting(fw, acme, "2026-11-09")
    attendance.take(fw, acme, weekly["id"], {"1001": ("present", ""), "1002": ("excused", "外出培训"),
                                             "1009": ("absent", "")}, "sup")
    _sign(fw, acme, clock, weekly, dt.datetime(2026, 11, 10, 9, 0))  # the next working day: on time
    monthly = _meeting(fw, acme, "2026-11-13", kind="monthly", expected=("1001", "1002"))
    attendance.take(fw, acme, monthly["id"], {"1001": ("present", ""), "1002": ("present", "")}, "sup")
    _sign(fw, acme, clock, monthly, dt.datetime(2026, 11, 16, 9, 0))  # Friday's minutes on Monday: on time
    briefing = _meeting(fw, acme, "2026-11-11", kind="briefing", department=False, expected=("1001",))
    attendance.take(fw, acme, briefing["id"], {"1001": ("absent", "")}, "lead")
    _sign(fw, acme, clock, briefing, dt.datetime(2026, 11, 13, 18, 0))  # two working days later: late
    missed = _meeting(fw, acme, "2026-11-12")
    _meeting(fw, acme, "2026-11-20")  # not due yet
    return {"weekly": weekly, "monthly": monthly, "briefing": briefing, "missed": missed}


def _kpis(fw, acme, first=None, last=None):
    return {k.code: k for k in fw.project_hook(acme, "project_kpis")(
        floorwalker=fw, project=acme, period="2026-11", first=first, last=last)[0]}


def test_attendance_held_and_on_time_count_what_could_have_happened(fw, acme, month):
    f = figures.compute(fw, acme, *NOV)
    assert (f.planned, f.held, f.on_time) == (4, 3, 2)
    assert (f.present, f.expected, f.excused) == (3, 5, 1)  # the briefing is no department meeting
    found = _kpis(fw, acme)
    rate = found["meetings_attendance_rate"]
    # the excused are left out of who was due: 3 present of the 4 not excused
    assert (rate.value, rate.n, rate.numerator, rate.denominator) == (75.0, 4, 3, 4)
    assert (found["meetings_held_rate"].value, found["meetings_held_rate"].n) == (75.0, 4)
    assert (found["meetings_minutes_on_time"].numerator, found["meetings_minutes_on_time"].denominator) == (2, 3)
    assert found["meetings_held_rate"].url == "/p/acme/meetings/?month=2026-11#figures"
    # a week: only its meetings (the weekly of the 9th and the briefing of the 11th)
    week = _kpis(fw, acme, dt.date(2026, 11, 9), dt.date(2026, 11, 11))
    assert (week["meetings_held_rate"].numerator, week["meetings_held_rate"].denominator) == (2, 2)
    assert week["meetings_attendance_rate"].value == pytest.approx(50.0)  # 1001 present, 1009 absent


def test_on_time_follows_the_setting_and_the_holiday_calendar(fw, acme):
    holidays = fw.calendar.current()
    # 2026-09-30 (Wed) before the National Day holiday: the next working day is 2026-10-09 (a make-up
    # Friday follows Oct 8?) — read it from the calendar rather than assume
    nxt = dt.date(2026, 10, 1)
    while not holidays.is_workday(nxt):
        nxt += dt.timedelta(days=1)
    doc = {"date": "2026-09-30", "minutes": {"signed_at": f"{nxt.isoformat()}T17:00:00"}}
    assert figures.on_time(doc, 1, holidays) and not figures.on_time(doc, 0, holidays)
    late = {"date": "2026-09-30", "minutes": {"signed_at": f"{(nxt + dt.timedelta(days=1)).isoformat()}T08:00:00"}}
    assert not figures.on_time(late, 1, holidays)
    assert not figures.on_time({"date": "2026-09-30", "minutes": {}}, 5, holidays)


def test_action_items_overdue_are_those_due_before_today_not_done_by_their_day(fw, acme, month, clock):
    m = month["missed"]  # not signed: items may be raised on it
    open_late = items.raise_item(fw, acme, m["id"], "更新退款话术", "lead", "2026-11-10", "sup")
    done_early = items.raise_item(fw, acme, m["id"], "整理知识库", "lead", "2026-11-11", "sup")
    done_late = items.raise_item(fw, acme, m["id"], "复盘投诉", "lead", "2026-11-12", "sup")
    dropped = items.raise_item(fw, acme, m["id"], "调整排班", "lead", "2026-11-13", "sup")
    items.raise_item(fw, acme, m["id"], "月度复盘", "lead", "2026-11-20", "sup")  # not due yet
    clock.now = dt.datetime(2026, 11, 10, 17, 0)
    items.set_status(fw, acme, done_early["id"], "done", "lead")
    clock.now = dt.datetime(2026, 11, 13, 9, 0)
    items.set_status(fw, acme, done_late["id"], "done", "lead")
    items.set_status(fw, acme, dropped["id"], "dropped", "lead")
    clock.now = dt.datetime(2026, 11, 16, 10, 0)
    overdue = _kpis(fw, acme)["meetings_items_overdue"]
    assert (overdue.value, overdue.n, overdue.higher_is_better) == (2, 3, False)
    assert open_late["status"] == "open"


def test_unified_answers_fully_signed_of_those_published_in_the_span(fw, acme, month, clock):
    one = answers.publish(fw, acme, month["weekly"]["id"], "1", "", [], "sup")
    answers.publish(fw, acme, month["monthly"]["id"], "1", "", [], "sup")
    for number in one["expected"]:
        answers.sign(fw, acme, one["id"], {"username": number, "agent": number})
    signed = _kpis(fw, acme)["meetings_answers_signed"]
    assert (signed.value, signed.numerator, signed.denominator) == (50.0, 1, 2)
    assert _kpis(fw, acme, dt.date(2026, 11, 1), dt.date(2026, 11, 15))["meetings_answers_signed"].n == 0


def test_coaching_done_vs_due_is_the_coaching_parts_count(fw, acme, monkeypatch):
    def counted(fw, project, first, last):  # the coaching part's count: ISO days
        return {"due": 4, "done": 3} if (first, last) == ("2026-11-01", "2026-11-30") else {}
    monkeypatch.setattr(coaching, "figures", counted, raising=False)
    done = _kpis(fw, acme)["meetings_coaching_done"]
    assert (done.value, done.numerator, done.denominator) == (75.0, 3, 4)
    monkeypatch.delattr(coaching, "figures")
    assert "meetings_coaching_done" not in _kpis(fw, acme)


def test_every_figure_is_internal_and_declared(fw):
    codes = {k.code for k in figures.KPIS}
    assert codes == {"meetings_attendance_rate", "meetings_held_rate", "meetings_minutes_on_time",
                     "meetings_items_overdue", "meetings_answers_signed", "meetings_coaching_done"}
    assert {fw.kpi_defs[c].audience for c in codes} == {"internal"}
    assert {fw.kpi_defs[c].plugin for c in codes} == {"meetings"}


def test_the_calendar_shows_the_months_figures_in_chinese(fw, acme, month, signed_in):
    page = signed_in("sup").get("/p/acme/meetings/?month=2026-11")
    assert page.status_code == 200 and 'id="figures"' in page.text
    assert "部门会议出勤率" in page.text and "会议召开率" in page.text and "纪要按时签发率" in page.text
    assert "75.0%" in page.text and "4 中的 3" in page.text and "2026-11 会议统计" in page.text and "准假 1 人次" in page.text


def test_the_dashboard_widget_names_minutes_to_sign_for_staff_only(fw, acme, month, signed_in):
    records.write_minutes(fw, acme, month["missed"]["id"], {"taker": "王敏"}, "sup")
    (widget,) = figures.widgets(fw, acme, "2026-11", fw.users.get("sup"))
    assert [m["id"] for m in widget.context["unsigned"]] == [month["missed"]["id"]]
    assert [m["date"] for m in widget.context["upcoming"]] == ["2026-11-20"]
    assert figures.widgets(fw, acme, "2026-11", fw.users.get("li")) == []
    page = signed_in("sup").get("/p/acme/?month=2026-11")
    assert page.status_code == 200 and "待签发的纪要" in page.text and "部门会议出勤率" in page.text


def test_the_unsigned_minutes_are_listed_at_the_month_close(fw, acme, signed_in, clock):
    m = _meeting(fw, acme, "2026-10-19")
    records.write_minutes(fw, acme, m["id"], {"taker": "王敏"}, "sup")
    page = signed_in("sup").get("/p/acme/periods")
    assert page.status_code == 200 and "会议纪要未签发" in page.text
