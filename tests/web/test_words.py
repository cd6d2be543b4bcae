"""The words a page shows: a Chinese agent month after attendance settles a lateness reads in
Chinese (no rule codes, no "late 34 min", no evidence keys, no user names), and the
score-recording form fits the team leader who fills it (core/formats.py, describe_evidence,
plugins/incentives/forms.py)."""

import re

import pytest

from floorwalker.plugins.attendance import punches, roster, sheet

MONTH, DAY = "2026-03", "2026-03-04"  # long past: every shift of it has concluded
URL = "/p/alpha/incentives/record"


@pytest.fixture
def late(fresh, sign_in):
    """A company where 1001 (day team) came in at 08:34 for an 08:00 shift, attendance settled
    it as the team leader, who then recorded a chatting event with the form; the team leader
    reads Chinese and has a name. Returns (fw, the team leader's client)."""
    fw, app = fresh
    fw.users.update("team_leader1", "setup", locale="zh_CN", name="王班长")
    roster.save_shift(fw, "alpha", roster.shift_doc("D", "白班", "08:00", "17:00"), "setup")
    roster.set_entries(fw, "alpha", [("1001", DAY, "D")], "setup")
    punches.store_punches(fw, "alpha", [punches.punch_doc("1001", punches.parse_time(f"{DAY} {t}"), "import")
                                        for t in ("08:34", "17:05")], "setup")
    sheet.settle(fw, fw.projects.get("alpha"), MONTH, "team_leader1")
    client = sign_in(app, "team_leader1")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(URL).text).group(1)
    saved = client.post(URL, data={"csrf_token": token, "agent": "1001", "rule": "chatting",
                                   "date": "2026-03-05", "points": "-1", "note": "与邻座闲聊购物话题"})
    assert saved.status_code == 303
    return fw, client, saved.headers["location"], token


def events_text(html: str) -> str:
    table = re.search(r'<table class="data events">.*?</table>', html, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", table).split())


def test_the_chinese_agent_month_after_a_settled_lateness_has_no_codes_keys_or_user_names(late):
    fw, client, saved_at, _ = late
    page = client.get(saved_at)
    text = events_text(page.text)
    assert "已记录" in page.text  # the flash after saving
    assert re.search(r"迟到 34 分钟", text)                    # the stored "late 34 min", read
    assert "考勤 · 3月4日" in text and "人工记录" in text      # evidence for a person, not a key
    assert text.count("王班长") == 2                            # who recorded both: a name
    assert not re.search(r"[A-Za-z]", text), text              # no code, key, user name or English
    assert 'href="/p/alpha/attendance/punches?agent=1001&amp;date=2026-03-04"' in page.text
    assert '<td class="nowrap">2026年3月4日</td>' in page.text  # a date never wraps before 日


def test_money_reads_one_way_in_both_languages(late, sign_in, fresh):
    fw, _, saved_at, _ = late
    zh = sign_in(fresh[1], "root").get(saved_at).text           # root reads Chinese, sees pay
    en = sign_in(fresh[1], "supervisor1").get(saved_at).text    # supervisor1 reads English
    for html in (zh, en):
        float_ = re.search(r"<dd>(-?¥[\d,]+(?:\.\d\d)?)", html)
        assert float_ and "CN¥" not in html and not float_.group(1).endswith(".00"), float_


def test_the_record_form_lists_the_leaders_team_and_groups_the_rules(late):
    _, client, _, _ = late
    form = client.get(URL)
    numbers = [a["number"] for group in form.context["agents"] for a in group["agents"]]
    assert numbers == ["1001", "1002"]                          # the day team, not 1003 (night)
    kinds = [g["kind"] for g in form.context["groups"]]
    assert kinds == ["bonus", "light", "medium", "severe", "dismissal"]
    assert form.text.count("<optgroup") == 5 and "(+0)" not in form.text
    assert re.search(r"上班睡觉 \(直接辞退评审\)", form.text)


def test_the_rules_are_searchable_without_javascript(late):
    _, client, _, _ = late
    found = client.get(URL + "?q=迟到")
    codes = [r.code for g in found.context["groups"] for r in g["rules"]]
    assert codes == ["late_or_early"]                          # found by its Chinese title
    assert found.context["values"]["rule"] == "late_or_early"  # the one match is chosen
    assert [r.code for g in client.get(URL + "?q=LOUD").context["groups"] for r in g["rules"]] == ["loud"]
    nothing = client.get(URL + "?q=飞行")
    assert "没有与“飞行”匹配的考核项" in nothing.text and nothing.text.count("<optgroup") == 5


def test_a_supervisor_picks_from_every_team(fresh, sign_in):
    form = sign_in(fresh[1], "supervisor1").get(URL)
    teams = {g["team"]: [a["number"] for a in g["agents"]] for g in form.context["agents"]}
    assert teams == {"早班": ["1001", "1002"], "晚班": ["1003"]}


def test_the_range_error_names_the_rule_by_its_title(late):
    _, client, _, token = late
    r = client.post(URL, data={"csrf_token": token, "agent": "1002", "rule": "late_or_early",
                               "date": "2026-03-05", "points": "-9", "note": "堵车"})
    assert r.status_code == 422
    error = re.search(r'<p class="error"[^>]*>([^<]+)</p>', r.text).group(1)
    assert error.startswith("迟到或早退") and "-5 到 -2" in error and "late_or_early" not in error


def test_a_team_leaders_lists_start_at_their_team_and_widen_to_the_project(late):
    _, client, _, _ = late
    assert [r["number"] for r in client.get("/p/alpha/agents").context["rows"]] == ["1001", "1002"]
    assert len(client.get("/p/alpha/agents?team=").context["rows"]) == 3
    sheet_page = client.get(f"/p/alpha/scores/{MONTH}")
    assert [cells[0] for cells in sheet_page.context["rows"]] == ["1001", "1002"]
    assert 'href="/p/alpha/incentives/record"' in sheet_page.text and "记录奖惩" in sheet_page.text
    everyone = client.get(f"/p/alpha/scores/{MONTH}?team=")
    assert len(everyone.context["rows"]) == 3


@pytest.mark.parametrize("stored, zh, en", [
    ("late 34 min", "迟到 34 分钟", "late 34 min"),
    ("late 34 min, left 65 min early", "迟到 34 分钟，早退 1 小时 5 分钟", "late 34 min, left 1 h 5 min early"),
    ("absent from shift D", "旷工（D 班）", "absent from shift D"),
    ("present on shift D", "按时出勤（D 班）", "on time on shift D"),      # a reversal's reason
    ("on_leave on shift N", "请假（N 班）", "on leave on shift N"),
    ("no longer rostered", "已不在排班中", "no longer rostered"),
    ("excused: 地铁停运, 有截图", "考勤说明已通过：地铁停运, 有截图", "excuse accepted: 地铁停运, 有截图"),
    ("堵车", None, None),                                                   # typed by a person
])
def test_attendance_reasons_stored_in_english_read_in_the_readers_language(company, stored, zh, en):
    from floorwalker.plugins.attendance import evidence

    assert (evidence.reason(stored, "zh_CN"), evidence.reason(stored, "en")) == (zh, en)


def test_what_attendance_stores_is_what_it_reads_back(company):
    from floorwalker.plugins.attendance import evidence

    row = {"note": {}, "status": "present", "shift": "D", "late": 7, "early": 0}
    assert evidence.reason(evidence.why(row), "zh_CN") == "迟到 7 分钟"
    assert evidence.reason(evidence.why({**row, "late": 0}), "zh_CN") == "按时出勤（D 班）"
