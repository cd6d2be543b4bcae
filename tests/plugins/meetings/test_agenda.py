"""A meeting's agenda drafted from live data (issue 15 item 5): what the plugins offer through
`agenda_items` is rendered and kept when the chair drafts; the chair edits the draft; signed
minutes freeze it, and the minutes keep what was shown after the data changed."""

import datetime as dt
import re

import pytest

from floorwalker.core import AgendaItem, Conflict, hookimpl
from floorwalker.plugins.meetings import agenda, answers, items, questions, records


class Board:
    """A stand-in plugin whose offer for the morning briefing is whatever `news` says now."""

    def __init__(self):
        self.news = "客户热线今日起延长至22点"

    @hookimpl
    def agenda_items(self, meeting, day):
        if meeting["kind"] != "briefing":
            return []
        return [AgendaItem("Notice board", "公告栏", "meetings/agenda_goals.html", {"goals": self.news}, order=1)]


@pytest.fixture
def board(fw):
    found = Board()
    fw.pm.register(found, name="board")
    fw.projects.enable("acme", "board", "setup")
    return found


def _meeting(fw, acme, kind="briefing", date="2026-11-16", time="08:45"):
    doc = records.new_doc(fw, acme, kind=kind, date=date, time=time, title={"briefing": "晨会", "weekly": "班务会",
                          "monthly": "月度全员大会"}.get(kind, kind), expected=["1001", "1002", "1003"], chair="sup")
    return records.add(fw, acme, [doc], "sup")[0]


def _draft(fw, project, meeting_id, who="sup"):
    return agenda.draft(fw, project, meeting_id, fw.users.get(who))


def _sign(fw, acme, meeting_id):
    records.write_minutes(fw, acme, meeting_id, {"taker": "王敏", "decisions": "退费一律七个工作日内原路退回"}, "sup")
    return records.sign_off(fw, acme, meeting_id, "sup")


def test_drafting_keeps_what_was_shown_when_the_data_changes(fw, acme, board, clock):
    project = fw.projects.get("acme")
    m = _meeting(fw, project)
    doc = _draft(fw, project, m["id"])
    (entry,) = [e for e in doc["agenda"] if e["plugin"] == "board"]
    assert (entry["title_zh"], entry["source"], entry["drafted_by"]) == ("公告栏", "drafted", "sup")
    assert "客户热线今日起延长至22点" in entry["html"]["zh_CN"] and entry["drafted_at"]
    board.news = "已取消"
    assert "客户热线今日起延长至22点" in records.get(fw, project, m["id"])["agenda"][0]["html"]["zh_CN"]
    _sign(fw, acme, m["id"])
    with pytest.raises(Conflict):  # signed minutes: the agenda keeps what was shown
        _draft(fw, project, m["id"])
    assert "已取消" not in str(records.get(fw, project, m["id"])["agenda"])


def test_drafting_again_before_the_meeting_refreshes_the_drafted_items_and_keeps_the_chairs_points(fw, acme, board,
                                                                                                   clock):
    project = fw.projects.get("acme")
    m = _meeting(fw, project)
    _draft(fw, project, m["id"])
    agenda.add_point(fw, project, m["id"], "节前排班提醒", "周五前交", "sup")
    board.news = "系统升级：周三 22:00"
    doc = _draft(fw, project, m["id"])
    shown = agenda.view(doc, "zh_CN")
    assert [e["title"] for e in shown] == ["公告栏", "节前排班提醒"]
    assert "系统升级" in shown[0]["body"] and shown[1]["note"] == "周五前交"
    assert len({e["id"] for e in doc["agenda"]}) == 2


def test_the_chair_removes_reorders_adds_and_notes_and_it_persists(fw, acme, board, clock):
    project = fw.projects.get("acme")
    m = _meeting(fw, project)
    _draft(fw, project, m["id"])
    agenda.add_point(fw, project, m["id"], "表扬：1002 本周零差评", "", "sup")
    agenda.add_point(fw, project, m["id"], "<b>提醒</b>", "", "sup")
    first = records.get(fw, project, m["id"])["agenda"]
    agenda.move(fw, project, m["id"], first[2]["id"], -1, "sup")
    agenda.move(fw, project, m["id"], first[2]["id"], -1, "sup")
    agenda.move(fw, project, m["id"], first[2]["id"], -1, "sup")  # at the top it stays
    agenda.set_note(fw, project, m["id"], first[0]["id"], "请班长转告夜班", "sup")
    agenda.remove(fw, project, m["id"], first[1]["id"], "sup")
    doc = records.get(fw, project, m["id"])
    assert [e.get("text") or e["title_zh"] for e in doc["agenda"]] == ["<b>提醒</b>", "公告栏"]
    assert doc["agenda"][1]["note"] == "请班长转告夜班"
    _sign(fw, acme, m["id"])
    with pytest.raises(Conflict):
        agenda.add_point(fw, project, m["id"], "迟到的要点", "", "sup")


def test_the_briefing_shows_unified_answers_not_yet_signed_by_all(fw, acme, clock):
    weekly = _meeting(fw, acme, "weekly", time="16:30")
    records.write_minutes(fw, acme, weekly["id"], {"taker": "王敏", "decisions": "退费一律七个工作日内原路退回"}, "sup")
    published = answers.publish(fw, acme, weekly["id"], "1", "", [], "sup")
    answers.sign(fw, acme, published["id"], fw.users.get("li"))
    doc = _draft(fw, acme, _meeting(fw, acme)["id"])
    (entry,) = [e for e in doc["agenda"] if e["title_en"] == "Unified answers not yet signed by all"]
    html = entry["html"]["zh_CN"]
    assert "退费一律七个工作日内原路退回" in html and "Han Meimei" in html and "Wang Fang" in html
    assert "Li Lei" not in html  # signed
    assert "尚未全部签收的统一答复口径" == entry["title_zh"]


def test_the_weekly_meeting_lists_open_action_items_and_the_monthly_its_goals(fw, acme, clock):
    earlier = _meeting(fw, acme, "weekly", date="2026-11-09", time="16:30")
    items.raise_item(fw, acme, earlier["id"], "整理退费话术", "1002", "2026-11-13", "sup")
    doc = _draft(fw, acme, _meeting(fw, acme, "weekly", time="16:30")["id"])
    (entry,) = [e for e in doc["agenda"] if e["plugin"] == "meetings"]
    assert "整理退费话术" in entry["html"]["zh_CN"] and "Han Meimei" in entry["html"]["zh_CN"]
    assert "已逾期" in entry["html"]["zh_CN"]  # due on the 13th, the meeting on the 16th
    monthly = _meeting(fw, acme, "monthly", date="2026-11-20", time="14:00")
    _draft(fw, acme, monthly["id"])
    doc = agenda.save_goals(fw, acme, monthly["id"], "接通率 ≥ 95%\n满意度 ≥ 98%", "sup")
    (goals,) = [e for e in doc["agenda"] if e["title_en"] == "Next month's goals"]
    assert doc["goals"].startswith("接通率") and "满意度 ≥ 98%" in goals["html"]["en"]


def test_the_briefing_gets_the_questions_raised_since_the_last_one(fw, acme, clock):
    clock.now = dt.datetime(2026, 11, 14, 15, 20)  # a Saturday
    questions.raise_question(fw, acme, fw.users.get("li"), "周六的退货单周一能查到吗？", "客户来电追问")
    clock.now = dt.datetime(2026, 11, 16, 8, 30)
    doc = _draft(fw, acme, _meeting(fw, acme)["id"])  # Monday's briefing
    (entry,) = [e for e in doc["agenda"] if e["title_en"].startswith("Questions from the floor")]
    html = entry["html"]["zh_CN"]
    assert "周六的退货单周一能查到吗？" in html and "客户来电追问" in html and "Li Lei" in html
    assert entry["title_zh"] == "上次晨会以来坐席提出的问题"


# ------------------------------------------------------------------ the page


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_page_drafts_edits_escapes_and_refuses_after_sign_off(fw, acme, board, signed_in, clock):
    m = _meeting(fw, fw.projects.get("acme"))
    sup = signed_in("sup")
    base = f"/p/acme/meetings/{m['id']}"
    page = sup.get(base).text
    assert "从现场数据生成议程" in page
    assert sup.post(f"{base}/agenda/draft", data={"csrf_token": sup.csrf}).status_code == 303
    page = sup.get(base).text
    assert "公告栏" in page and "Notice board" not in page and "客户热线今日起延长至22点" in page
    # drafting again replaces the drafted items: it is confirmed first
    assert sup.post(f"{base}/agenda/draft", data={"csrf_token": sup.csrf}).status_code == 422
    assert sup.post(f"{base}/agenda", data={"csrf_token": sup.csrf, "do": "add", "text": "<script>x</script>",
                                            "note": ""}).status_code == 303
    page = sup.get(base).text
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page
    assert sup.post(f"{base}/agenda", data={"csrf_token": sup.csrf, "do": "add", "text": ""}).status_code == 422
    _sign(fw, acme, m["id"])
    answer = sup.post(f"{base}/agenda/draft", data={"csrf_token": sup.csrf, "confirm": "yes"})
    assert answer.status_code == 409 and "纪要已签发：议程保持会上所示内容" in answer.text
    assert "从现场数据生成议程" not in sup.get(base).text


def test_a_team_leader_reads_the_agenda_in_english_with_english_titles(fw, acme, board, signed_in, clock):
    m = _meeting(fw, fw.projects.get("acme"))
    _draft(fw, fw.projects.get("acme"), m["id"])
    with fw.store.transaction("core", "setup", "user") as tx:
        tx.update("users", "lead", {"locale": "en"})
    page = signed_in("lead").get(f"/p/acme/meetings/{m['id']}").text
    assert "Notice board" in page and "公告栏" not in page
