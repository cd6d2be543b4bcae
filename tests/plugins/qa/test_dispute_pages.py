"""The dispute as each person meets it on the web: the agent disputes items on a phone form, the
agent's team leader forwards or returns it, a supervisor decides; the others are refused (403),
and a wrong form comes back with the errors beside its fields, in Chinese."""

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.core.users import hash_password
from floorwalker.plugins.qa import disputes, evaluations, interactions

TODAY = dt.date.today().isoformat()
BASE = "/p/acme/qa"
# lost: 语气亲切 (position 1) 3 of 5, and the fatal 辱骂客户 (position 2); evaluated by sup2
LOST = {"a-0-0": "yes", "a-0-1": "3", "c-0-1": "语气生硬", "a-0-2": "no", "c-0-2": "辱骂客户",
        "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0", "comment": "需改进"}
USERS = [("agent1", "agent", "1001", (), "李雷"), ("agent3", "agent", "1003", (), "王芳"),
         ("tl1", "team_leader", None, ("acme.day",), "张班长"), ("tl2", "team_leader", None, ("acme.night",), "赵班长"),
         ("sup1", "supervisor", None, (), "周主管"), ("sup2", "supervisor", None, (), "吴主管")]


class Site:
    def __init__(self, fw, ev):
        self.fw, self.ev, self.app = fw, ev, create_app(fw)
        self.clients, self.tokens, self.hosts = {}, {}, iter(range(1, 250))

    def as_(self, username):
        if username not in self.clients:
            c = TestClient(self.app, follow_redirects=False, client=(f"10.11.0.{next(self.hosts)}", 4000))
            token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
            assert c.post("/login", data={"csrf_token": token, "username": username,
                                          "password": "correct-horse-7"}).status_code == 303
            self.clients[username] = c
            self.tokens[username] = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/account").text).group(1)
        return self.clients[username]

    def get(self, username, path):
        return self.as_(username).get(f"{BASE}/{path}")

    def post(self, username, path, **data):
        return self.as_(username).post(f"{BASE}/{path}", data={"csrf_token": self.tokens[username], **data})

    def dispute(self):
        return disputes.of_month(self.fw, "acme", TODAY[:7])[-1]


@pytest.fixture
def site(fw, published, tmp_path, cheap_argon2):
    path = tmp_path / "in.csv"
    path.write_text("id,agent,time,channel,duration,transcript\n"
                    f"C1,1001,{TODAY} 09:00:00,chat,60,[09:00:00] 客服: 您好\n", encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup1")
    ev = evaluations.submit(fw, fw.projects.get("acme"), "C1", 1, LOST, "sup2")
    with cheap_argon2():
        hashed = hash_password("correct-horse-7")
        fw.users.add_many([fw.users.prepare(user, hashed, [role], ["acme"], name, "zh_CN", agent=agent, teams=teams)
                           for user, role, agent, teams, name in USERS], "setup")
        yield Site(fw, ev)


def _chinese_only(html):
    """The English words of a page's visible text (a code such as 1001 may be data; the
    product's name, the company's, the fixture's agent Li Lei and the switch to English are no
    English to fix)."""
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S)
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ("Acme", "Floorwalker", "English", "Lei")]


def test_the_agent_disputes_items_on_a_phone_form_with_errors_beside_them(site):
    ev = site.ev["id"]
    page = site.get("agent1", f"evaluations/{ev}/dispute")
    assert page.status_code == 200 and 'name="viewport"' in page.text
    assert re.findall(r'<textarea id="f-(r-\d+)"', page.text) == ["r-1", "r-2"]  # only the items that lost points
    empty = site.post("agent1", f"evaluations/{ev}/dispute", **{"r-1": " ", "r-2": ""})
    assert empty.status_code == 422
    assert empty.text.count("请在申诉的每个项目旁填写理由") >= 3  # above the form and beside each item
    assert re.search(r'class="field invalid">\s*<label for="f-r-1"', empty.text)
    assert _chinese_only(empty.text) == []
    kept = site.post("agent1", f"evaluations/{ev}/dispute", **{"r-1": "我很有礼貌", "r-2": ""})
    assert kept.status_code == 303 and kept.headers["location"].endswith(f"/evaluations/{ev}")
    doc = site.dispute()
    assert doc["state"] == "raised" and [i["item"] for i in doc["items"]] == ["语气亲切"]
    again = site.get("agent1", f"evaluations/{ev}")
    assert "申诉" in again.text and f"/disputes/{doc['id']}" in again.text
    assert site.get("agent1", f"evaluations/{ev}/dispute").status_code == 200  # the form …
    assert site.post("agent1", f"evaluations/{ev}/dispute", **{"r-2": "没有"}).status_code == 409  # … answered once


def test_only_the_agent_of_the_evaluation_disputes_it(site):
    ev = site.ev["id"]
    assert site.get("agent3", f"evaluations/{ev}/dispute").status_code == 404  # not its evaluation: not there
    assert site.post("tl1", f"evaluations/{ev}/dispute", **{"r-1": "x"}).status_code == 403
    assert site.post("sup1", f"evaluations/{ev}/acknowledge").status_code == 403
    assert disputes.of_month(site.fw, "acme", TODAY[:7]) == []


def test_the_team_leader_forwards_and_only_the_agents_own(site):
    site.post("agent1", f"evaluations/{site.ev['id']}/dispute", **{"r-1": "我很有礼貌", "r-2": "没有辱骂"})
    doc = site.dispute()
    mine = site.get("tl1", f"disputes/{doc['id']}")
    assert mine.status_code == 200 and "转交主管" in mine.text and "退回坐席" in mine.text
    assert "<h1>申诉 · 1001 Li Lei</h1>" in mine.text  # the agent by number and name
    assert "转交主管" not in site.get("tl2", f"disputes/{doc['id']}").text
    assert site.post("tl2", "disputes/forward", id=doc["id"], do="forward").status_code == 403  # another team's
    assert site.post("tl1", "disputes/decide", id=doc["id"], **{"o-1": "accepted", "o-2": "accepted",
                                                                   "note": "x"}).status_code == 403
    assert site.dispute()["state"] == "raised"
    assert site.post("tl1", "disputes/forward", id=doc["id"], do="forward").status_code == 303
    forwarded = site.dispute()
    assert forwarded["state"] == "forwarded" and forwarded["forwarded_by"] == "tl1"
    assert "转交主管" not in site.get("tl1", f"disputes/{doc['id']}").text  # it has left the team leader


def test_a_return_needs_a_note_given_beside_the_field(site):
    site.post("agent1", f"evaluations/{site.ev['id']}/dispute", **{"r-1": "我很有礼貌"})
    doc = site.dispute()
    r = site.post("tl1", "disputes/forward", id=doc["id"], do="return", note="")
    assert r.status_code == 422 and re.search(r'class="field invalid"><label for="f-fnote"', r.text)
    assert _chinese_only(r.text) == [] and "为必填项" in r.text
    assert site.post("tl1", "disputes/forward", id=doc["id"], do="return", note="理由不成立").status_code == 303
    assert site.dispute()["state"] == "returned"
    assert disputes.status(site.fw, site.fw.projects.get("acme"), site.ev)[0] == "returned"


def test_the_supervisor_decides_but_never_the_evaluator(site):
    site.post("agent1", f"evaluations/{site.ev['id']}/dispute", **{"r-1": "我很有礼貌", "r-2": "没有辱骂"})
    doc = site.dispute()
    site.post("tl1", "disputes/forward", id=doc["id"], do="forward")
    assert "disputes/decide" not in site.get("sup2", f"disputes/{doc['id']}").text
    assert site.post("sup2", "disputes/decide", id=doc["id"], **{"o-1": "accepted", "o-2": "accepted",
                                                                    "note": "采纳"}).status_code == 403
    page = site.get("sup1", f"disputes/{doc['id']}")
    assert re.search(r'<details class="confirm">.*确认执行</button>', page.text, re.S)  # asks before deciding
    wrong = site.post("sup1", "disputes/decide", id=doc["id"], **{"o-1": "partial", "v-1": "5", "o-2": ""})
    assert wrong.status_code == 422
    for text in ("请给出高于 3、低于 5 的分值", "请对该项目选择采纳、部分采纳或驳回", "为必填项"):
        assert text in wrong.text
    assert 'value="partial" checked' in wrong.text  # the answers kept as given
    assert _chinese_only(wrong.text) == []
    done = site.post("sup1", "disputes/decide", id=doc["id"], **{"o-1": "partial", "v-1": "4", "o-2": "rejected",
                                                                    "note": "语气尚可"})
    assert done.status_code == 303
    decided = site.dispute()
    assert decided["state"] == "decided" and decided["decided_by"] == "sup1"
    assert [(i["outcome"], i["new_answer"]) for i in decided["items"]] == [("partial", 4), ("rejected", None)]
    assert "部分采纳" in site.get("agent1", f"evaluations/{site.ev['id']}").text  # the agent reads the outcome


def test_my_evaluations_show_the_coaching_flag_and_where_each_stands(site):
    project = site.fw.projects.get("acme")
    path = site.fw.store.root.parent / "more.csv"
    path.write_text("id,agent,time,channel,duration,transcript\n"
                    f"C2,1001,{TODAY} 10:00:00,chat,60,[10:00:00] 客服: 您好\n", encoding="utf-8")
    interactions.import_file(site.fw, "acme", path, "sup1")
    coached = evaluations.submit(site.fw, project, "C2", 1, {**LOST, "coaching": "1"}, "sup2")
    assert coached.get("coaching")
    site.post("agent1", f"evaluations/{site.ev['id']}/dispute", **{"r-1": "我很有礼貌"})
    page = site.get("agent1", "mine")
    assert page.status_code == 200
    assert re.search(r"<th>确认与申诉</th><th>辅导</th>", page.text)
    rows = dict(re.findall(r'<tr><td class="nowrap"><a href="[^"]*/evaluations/([^"]+)">(.*?)</tr>', page.text, re.S))
    assert "需要辅导" in rows[coached["id"]] and "需要辅导" not in rows[site.ev["id"]]
    assert "待坐席确认" in rows[coached["id"]] and "截止 " in rows[coached["id"]]  # and until when
    assert "申诉中（待班长转交）" in rows[site.ev["id"]] and "截止 " not in rows[site.ev["id"]]
    assert _chinese_only(page.text) == []
