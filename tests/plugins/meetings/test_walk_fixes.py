"""What the acceptance walk of issue 15 found, each as its user meets it: a team leader's
roll-call of its own teams, a unified answer to the whole project or to several teams, an action
item owned by one of the project's people, signed minutes that keep their items, the reports on
the floor's clock and late after the day, titles and evidence in the reader's language, a
briefing that expects the shifts it serves, a year the holiday calendar does not know, and the
smaller things (excused outside the rate, every empty handover heading named)."""

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.core import Absence, RosteredShift, ValidationError, hookimpl
from floorwalker.plugins.meetings import attendance, figures, items, records, reports


def _meeting(fw, acme, kind="briefing", day="2026-11-16", time="08:45", expected=("1001", "1002", "1003"),
             chair="lead", department=False, title=None):
    doc = records.new_doc(fw, acme, kind=kind, date=day, time=time, expected=list(expected), chair=chair,
                          title=title or {"briefing": "晨会", "weekly": "班务会", "handover": "交接会"}[kind],
                          department=department)
    return records.add(fw, acme, [doc], "sup")[0]


# ------------------------------------------------------------------ 1. a team leader's roll-call


def test_a_team_leader_takes_the_briefing_roll_for_its_own_teams(fw, acme, signed_in, leavebook):
    """The form posts every agent: another team's row as shown is ignored, a change to it refused."""
    leavebook.away.append(Absence("1003", dt.date(2026, 11, 16), dt.date(2026, 11, 16), "rest"))
    m = _meeting(fw, acme)
    lead = signed_in("lead")
    url = f"/p/acme/meetings/{m['id']}"
    page = lead.get(url)
    assert 'name="state-1001"' in page.text and 'name="state-1003"' not in page.text  # night's row: read only
    posted = {"csrf_token": lead.csrf, "state-1001": "present", "note-1001": "", "state-1002": "present",
              "note-1002": "", "state-1003": "excused", "note-1003": ""}  # 1003 as the sheet offers it
    assert lead.post(url + "/attendance", data=posted).status_code == 303
    marks = records.get(fw, acme, m["id"])["attendance"]
    assert {n: a["state"] for n, a in marks.items()} == {"1001": "present", "1002": "present"}
    changed = lead.post(url + "/attendance", data={**posted, "state-1003": "absent"})
    assert changed.status_code == 403 and "1003" not in records.get(fw, acme, m["id"])["attendance"]


def test_a_refused_roll_call_keeps_what_was_typed(fw, acme, signed_in):
    m = _meeting(fw, acme)
    sup = signed_in("sup")
    refused = sup.post(f"/p/acme/meetings/{m['id']}/attendance",
                       data={"csrf_token": sup.csrf, "state-1001": "excused", "note-1001": "",
                             "state-1002": "absent", "note-1002": "堵车迟到半小时"})
    assert refused.status_code == 422 and "Li Lei" in refused.text  # the name, not 1001
    assert 'value="堵车迟到半小时"' in refused.text
    assert re.search(r'name="state-1002".*?<option value="absent" selected>', refused.text, re.S)


# ------------------------------------------------------------------ 2. unified answers


def _decided(fw, acme):
    m = _meeting(fw, acme, kind="weekly", time="16:30", expected=("1009",), chair="sup", department=True)
    records.write_minutes(fw, acme, m["id"], {"taker": "王敏", "decisions": "退款三个工作日内到账"}, "sup")
    return m


def test_a_unified_answer_to_the_whole_project_or_to_two_teams(fw, acme, signed_in):
    m = _decided(fw, acme)  # not signed yet: a decision in the minutes may already be published
    sup = signed_in("sup")
    assert f"answers?meeting={m['id']}" in sup.get(f"/p/acme/meetings/{m['id']}").text
    whole = sup.post(f"/p/acme/meetings/{m['id']}/answers", data={"csrf_token": sup.csrf, "decision": "1"})
    assert whole.status_code == 303
    two = sup.post(f"/p/acme/meetings/{m['id']}/answers",
                   data={"csrf_token": sup.csrf, "decision": "1", "teams": ["day", "night"]})
    assert two.status_code == 303
    one = sup.post(f"/p/acme/meetings/{m['id']}/answers",
                   data={"csrf_token": sup.csrf, "decision": "1", "teams": "night"})
    assert one.status_code == 303
    from floorwalker.plugins.meetings import answers
    published = sorted(answers.all_of(fw, acme), key=lambda d: d["id"])
    assert [(d["teams"], d["expected"]) for d in published] == [
        ([], ["1001", "1002", "1003"]), (["day", "night"], ["1001", "1002", "1003"]), (["night"], ["1003"])]


# ------------------------------------------------------------------ 4. 5. action items


def test_an_action_item_is_owned_by_one_of_the_projects_people(fw, acme):
    m = _decided(fw, acme)
    owners = items.owners(fw, acme, m["date"])
    assert owners["sup"] == "Sup" and owners["1001"] == "Li Lei" and "li" not in owners  # the agent, once
    with pytest.raises(ValidationError) as refused:
        items.raise_item(fw, acme, m["id"], "整理话术", "王五", "2026-11-20", "sup")
    assert refused.value.field == "responsible"
    assert items.raise_item(fw, acme, m["id"], "整理话术", "1001", "2026-11-20", "sup")["owner"] == "1001"


def test_signed_minutes_keep_their_action_items_and_say_where_each_went(fw, acme, signed_in):
    first = _decided(fw, acme)
    following = _meeting(fw, acme, kind="weekly", day="2026-11-23", time="16:30", expected=("1009",), chair="sup",
                         department=True)
    item = items.raise_item(fw, acme, first["id"], "整理退款话术", "lead", "2026-11-20", "sup")
    records.sign_off(fw, acme, first["id"], "sup")
    assert records.get(fw, acme, first["id"])["minutes"]["items"] == [
        {"id": item["id"], "text": "整理退款话术", "owner": "lead", "due": "2026-11-20", "status": "open"}]
    (kept,) = items.on_meeting(fw, acme, first["id"])
    assert kept["id"] == item["id"] and kept["went"] == following["id"]
    page = signed_in("sup").get(f"/p/acme/meetings/{first['id']}").text
    assert "整理退款话术" in page and "转至 班务会 · 11月23日" in page and following["id"] not in page.replace(
        f'href="/p/acme/meetings/{following["id"]}"', "")


# ------------------------------------------------------------------ 6. the reports


def test_a_report_is_stamped_on_the_floors_clock_and_late_after_the_due_day(fw, acme, clock, signed_in):
    clock.now = dt.datetime(2026, 11, 23, 21, 30)  # the floor's evening, the day after the 22nd
    reports.hand_in(fw, acme, "2026-11", "本月服务质量稳定", fw.users.get("lead"))
    assert reports.of_month(fw, acme, "2026-11")["lead"]["submitted_at"] == "2026-11-23T21:30:00"
    assert reports.late(fw, acme, "2026-11") == ["lead"]
    page = signed_in("sup").get("/p/acme/meetings/reports?month=2026-11").text
    assert "2026-11-23 21:30" in page and "逾期" in page


# ------------------------------------------------------------------ 7. 8. words, not codes


def test_default_titles_in_the_readers_language_and_a_typed_title_as_typed(fw, acme):
    m = _meeting(fw, acme, kind="handover", time="16:00", expected=("1009",))
    assert records.title(m, "en") == "Shift handover meeting" and records.title(m, "zh_CN") == "交接会"
    assert records.label(m, "en") == "Shift handover meeting · Nov 16"
    typed = _meeting(fw, acme, kind="weekly", time="17:00", expected=("1009",), title="服务质量专题会")
    assert records.title(typed, "en") == "服务质量专题会"


def test_a_missed_meetings_evidence_and_the_cli_name_the_meeting_and_the_chair(fw, acme, pm):
    m = _meeting(fw, acme, kind="weekly", time="16:30", expected=("1009",), chair="sup", department=True)
    attendance.take(fw, acme, m["id"], {"1009": ("absent", "")}, "sup")
    event = attendance.live_event(fw, "acme", records.get(fw, acme, m["id"]), "1009")
    (said,) = fw.project_hook(acme, "describe_evidence")(floorwalker=fw, project=acme, events=[event])
    assert (said[event["id"]].title_zh, said[event["id"]].title_en) == ("班务会 · 11月16日",
                                                                       "Weekly team meeting · Nov 16")
    cli = make_cli(pm)

    def run(*args):
        return CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", "en", "meetings", "list",
                                        "--project", "acme", "--month", "2026-11", *args], catch_exceptions=False)
    table = run("--format", "csv").output
    header, row = table.splitlines()[0], next(line for line in table.splitlines() if m["id"] in line)
    assert header == header.lower() and ",Sup," in row and ",sup," not in row
    assert json.loads(run("--format", "json").output)[0]["chair"] == "sup"  # the JSON keeps the login


# ------------------------------------------------------------------ 9. a briefing's shifts


class Rosterbook:
    """A stand-in roster: 1001 and 1002 on the day shift, 1003 on the night shift."""

    @hookimpl
    def agent_shifts(self, first, last):
        found, day = [], first
        while day <= last:
            for agent, (start, hours) in {"1001": (8, 9), "1002": (8, 9), "1003": (21, 9)}.items():
                begin = dt.datetime.combine(day, dt.time(start))
                found.append(RosteredShift(agent, day, begin, begin + dt.timedelta(hours=hours), "D"))
            day += dt.timedelta(days=1)
        return found


def test_a_briefing_expects_only_the_agents_on_the_shifts_it_serves(fw, acme, pm, clock, signed_in):
    pm.register(Rosterbook(), name="rosterbook")
    rostered = {**acme, "plugins": [*acme["plugins"], "rosterbook"]}
    made = records.plan_month(fw, rostered, "2026-12", "sup")
    briefing = next(m for m in made if m["kind"] == "briefing")
    assert briefing["expected"] == ["1001", "1002"]  # the night shift starts at 21:00
    monthly = next(m for m in made if m["kind"] == "monthly")
    assert "1003" in monthly["expected"]


def test_a_missed_meeting_shows_no_attendance_and_an_agent_reads_signed_minutes(fw, acme, clock, signed_in):
    missed = _meeting(fw, acme, day="2026-11-13")
    attendance.take(fw, acme, missed["id"], {"1001": ("present", "")}, "lead")  # never signed: missed
    held = _meeting(fw, acme, day="2026-11-16")
    records.write_minutes(fw, acme, held["id"], {"taker": "张伟", "information": "新话术今日起执行"}, "lead")
    records.sign_off(fw, acme, held["id"], "lead")
    clock.now = dt.datetime(2026, 11, 17, 10, 0)
    li = signed_in("li")
    mine = li.get("/p/acme/meetings/mine")
    (row,) = [r for r in mine.context["rows"] if r["doc"]["id"] == missed["id"]]
    assert row["state"] == "missed" and row["mark"] == {}
    page = li.get(f"/p/acme/meetings/mine/{held['id']}")
    assert page.status_code == 200 and "新话术今日起执行" in page.text and "<form" not in page.text.split("<main")[-1]
    other = _meeting(fw, acme, day="2026-11-16", time="09:00", expected=("1002",))
    assert li.get(f"/p/acme/meetings/mine/{other['id']}").status_code == 404


# ------------------------------------------------------------------ 10. a year the calendar does not know


def test_planning_a_year_the_calendar_does_not_know_is_warned(fw, acme, pm, signed_in):
    assert records.calendar_knows(fw, "2026-12") and not records.calendar_knows(fw, "2099-01")
    done = CliRunner().invoke(make_cli(pm), ["--data", str(fw.store.root), "--lang", "en", "meetings", "plan",
                                             "--project", "acme", "--month", "2099-01"], catch_exceptions=False)
    assert "does not know 2099" in done.output
    page = signed_in("sup").get("/p/acme/meetings/?month=2099-01").text
    assert "节假日" in page and "2099" in page and 'role="alert"' in page
    assert 'role="alert"' not in signed_in("sup").get("/p/acme/meetings/?month=2026-12").text


# ------------------------------------------------------------------ 11. smaller


def test_the_excused_are_left_out_of_the_attendance_rate(fw, acme):
    m = _meeting(fw, acme, kind="weekly", day="2026-11-09", time="16:30", expected=("1001", "1002"), chair="sup",
                 department=True)
    attendance.take(fw, acme, m["id"], {"1001": ("present", ""), "1002": ("excused", "轮休")}, "sup")
    records.write_minutes(fw, acme, m["id"], {"taker": "王敏"}, "sup")
    records.sign_off(fw, acme, m["id"], "sup")
    f = figures.compute(fw, acme, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert (f.present, f.due, f.excused) == (1, 1, 1)
    (rate,) = [r for r in figures.rows(f) if r["code"] == "meetings_attendance_rate"]
    assert rate["value"] == 100.0


def test_the_handover_refusal_names_every_empty_heading(fw, acme):
    m = _meeting(fw, acme, kind="handover", time="16:00", expected=("1009",))
    records.write_minutes(fw, acme, m["id"], {"taker": "张伟", "business": "无"}, "lead")
    with pytest.raises(ValidationError) as refused:
        records.sign_off(fw, acme, m["id"], "lead")
    said = refused.value.message("zh_CN")
    assert all(word in said for word in ("上级指示", "客户建议与投诉", "流程与设备变化"))
