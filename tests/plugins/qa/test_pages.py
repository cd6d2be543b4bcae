"""The QA pages as each role meets them: QA staff evaluate and keep the standard through forms,
an agent reads only its own evaluations, a client sees nothing of QA."""

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.core.users import hash_password
from floorwalker.plugins.qa import evaluations, interactions, scorecards, workbook

from ...pgcluster import store_for

PASSWORD = "correct-horse-7"
TODAY = dt.date.today().isoformat()
BASE = "/p/acme/qa"
FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0",
        "comment": "很好"}


def _build(root, pm, make_card):
    from floorwalker.core.floorwalker import Floorwalker
    from floorwalker.core.store import Store
    fw = Floorwalker(store_for(root), pm)
    fw.projects.create("acme", "Acme Co", "setup", plugins=["qa"])
    fw.teams.create("acme", "day", "Day team", "setup")
    fw.agents.add("acme", "1001", "Li Lei", "setup", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1002", "Han Meimei", "setup", team="day", hired="2025-01-01")
    hashed = hash_password(PASSWORD)
    fw.users.add_many([fw.users.prepare(name, hashed, [role], ["acme"], name, locale, agent=agent)
                       for name, role, agent, locale in (
                           ("qa1", "qa", None, "zh_CN"), ("sup1", "supervisor", None, "en"),
                           ("tl1", "team_leader", None, "en"), ("agent1", "agent", "1001", "zh_CN"),
                           ("client1", "client", None, "en"))], "setup")
    scorecards.save_draft(fw, "acme", make_card(), "qa1", "电商在线质检标准")
    scorecards.publish(fw, "acme", 1, "qa1")
    path = root / "in.csv"
    path.write_text("id,agent,time,channel,duration,transcript\n"
                    f'C1,1001,{TODAY} 09:00:00,chat,60,"[09:00:00] 客户: 在吗\n[09:00:04] 客服: 您好，请讲"\n'
                    f"C2,1002,{TODAY} 10:00:00,chat,60,[10:00:00] 客服: 您好\n"
                    f"C3,1002,{TODAY} 11:00:00,ticket,,退款单已处理\n", encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup1")
    project = fw.projects.get("acme")
    mine = evaluations.submit(fw, project, "C1", 1, FULL, "qa1")
    other = evaluations.submit(fw, project, "C2", 1, {**FULL, "a-1-1": "no", "c-1-1": "漏记"}, "qa1")
    return fw, mine, other


class Site:
    def __init__(self, fw, mine, other):
        self.fw, self.mine, self.other = fw, mine, other
        self.app = create_app(fw)
        self.clients, self.tokens = {}, {}
        self.addresses = iter(range(1, 250))

    def as_(self, username):
        if username not in self.clients:
            c = TestClient(self.app, follow_redirects=False, client=(f"10.7.0.{next(self.addresses)}", 4000))
            token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
            assert c.post("/login", data={"csrf_token": token, "username": username,
                                          "password": PASSWORD}).status_code == 303
            self.clients[username] = c
            self.tokens[username] = re.search(r'name="csrf_token" value="([^"]+)"',
                                              c.get("/account").text).group(1)
        return self.clients[username]

    def post(self, username, path, files=None, **data):
        return self.as_(username).post(f"{BASE}/{path}", data={"csrf_token": self.tokens[username], **data},
                                       files=files)


@pytest.fixture
def web(tmp_path, pm, make_card, cheap_argon2):
    with cheap_argon2():
        yield Site(*_build(tmp_path / "data", pm, make_card))


def test_qa_staff_open_every_page_in_chinese(web):
    qa = web.as_("qa1")
    for path in ("interactions", "evaluations", "scorecards", "scorecards/1", "interactions/C3",
                 f"evaluations/{web.other['id']}", "scorecards/draft"):
        r = qa.get(f"{BASE}/{path}")
        assert r.status_code == 200, (path, r.text[:300])
    page = qa.get(f"{BASE}/scorecards/1").text
    assert "质检标准" in page and "致命" in page and "加权平均" in page  # the formula, in the reader's words
    assert "您好，请讲" in qa.get(f"{BASE}/evaluations/{web.mine['id']}").text  # the chat beside it


def test_the_evaluate_form_shows_the_chat_and_submits(web):
    form = web.as_("qa1").get(f"{BASE}/interactions/C3")
    assert form.context["card"]["version"] == 1
    r = web.post("qa1", "interactions/C3", version="1", **{**FULL, "a-0-1": "2", "comment": "ok"})
    assert r.status_code == 422
    assert "c-0-1" in r.context["problems"] and r.context["values"]["a-0-1"] == "2"  # kept as typed
    r = web.post("qa1", "interactions/C3", version="1", **{**FULL, "a-0-1": "2", "c-0-1": "语气生硬"})
    assert r.status_code == 303
    done = evaluations.of_interaction(web.fw, "acme", "C3")
    assert len(done) == 1 and done[0]["evaluator"] == "qa1" and done[0]["score"] == 88.0


def test_an_agent_reads_only_its_own_evaluations_and_never_the_sampling(web):
    agent = web.as_("agent1")
    assert agent.get(f"{BASE}/evaluations/{web.mine['id']}").status_code == 200
    assert agent.get(f"{BASE}/evaluations/{web.other['id']}").status_code == 404
    assert agent.get(f"{BASE}/interactions").status_code == 403
    assert agent.get(f"{BASE}/evaluations").status_code == 403
    mine = agent.get(f"{BASE}/mine")
    assert [e["id"] for e in mine.context["rows"]] == [web.mine["id"]]
    assert agent.get(f"{BASE}/").headers["location"].endswith("/qa/mine")


def test_a_client_sees_nothing_of_qa(web):
    client = web.as_("client1")
    for path in ("", "mine", "interactions", "scorecards", f"evaluations/{web.mine['id']}"):
        assert client.get(f"{BASE}/{path}").status_code == 403, path
    assert "/qa/" not in client.get("/p/acme/").text


def test_a_team_leader_reads_but_does_not_evaluate_or_edit(web):
    assert web.as_("tl1").get(f"{BASE}/evaluations").status_code == 200
    assert web.post("tl1", "interactions/C3", version="1", **FULL).status_code == 403
    assert web.post("tl1", "scorecards/draft", rows="0").status_code == 403


def test_the_editor_is_a_form_and_names_a_wrong_row(web):
    rows = scorecards.card_rows(scorecards.get(web.fw, "acme", 1))
    form = {"rows": str(len(rows) + 1), "title": "新版"}
    words = {"是否": "yesno", "评分": "scale", "分值": "points", "无": "none", "部分": "section", "整体": "all"}
    for n, row in enumerate(rows):
        for key, value in row.items():
            form[f"r-{n}-{key}"] = words.get(value, "" if value is None else str(value))
    form["r-1-weight"] = "50"
    r = web.post("qa1", "scorecards/draft", **form)
    assert r.status_code == 422 and r.context["bad_row"] == 2
    assert "权重" in r.text  # the field, in the reader's language
    form["r-1-weight"] = "60"
    r = web.post("qa1", "scorecards/draft", **form)
    assert r.status_code == 303 and r.headers["location"].endswith("/scorecards/2")
    assert scorecards.get(web.fw, "acme", 2)["title"] == "新版"
    assert scorecards.get(web.fw, "acme", 2)["sections"] == scorecards.get(web.fw, "acme", 1)["sections"]
    assert web.post("qa1", "scorecards/1/publish").status_code == 409  # read-only once published


def test_the_standard_goes_out_and_back_in_as_xlsx(web):
    out = web.as_("qa1").get(f"{BASE}/scorecards/1/export.xlsx")
    assert out.status_code == 200
    r = web.post("qa1", "scorecards/import", files={"file": ("标准.xlsx", out.content)})
    assert r.status_code == 303
    draft = scorecards.in_state(web.fw, "acme", "draft")
    published = scorecards.get(web.fw, "acme", 1)
    assert (draft["sections"], draft["forbidden"]) == (published["sections"], published["forbidden"])
    bad = web.post("qa1", "scorecards/import", files={"file": ("x.txt", b"nope")})
    assert bad.status_code == 422


def test_the_agents_month_links_a_qa_event_to_its_evaluation(web):
    from floorwalker.plugins.qa import evidence_links, describe_evidence
    events = [e for e in web.fw.ledger.events("acme", TODAY[:7]) if e["source"] == "qa"]
    project = web.fw.projects.get("acme")
    links = evidence_links(web.fw, project, events, None)
    assert links[events[0]["id"]] == f"{BASE}/evaluations/{web.mine['id']}"
    assert describe_evidence(web.fw, project, events)[events[0]["id"]].reason_zh == "满分"
