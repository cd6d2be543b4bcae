"""Calibration: evaluators score one interaction blind against the owner's benchmark; variance
per item and alignment per evaluator; nothing of it ever counts for the agent."""

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from floorwalker.core import Conflict, PermissionDenied, ValidationError
from floorwalker.core.app import create_app
from floorwalker.core.users import hash_password
from floorwalker.plugins.qa import calibration, evaluations, interactions, monthly

TODAY = dt.date.today().isoformat()
PASSWORD = "correct-horse-7"
# the conftest's card: 服务用语 60 (开场 yes/no 10, 语气 0–5, 辱骂 fatal yes/no 0), 业务处理 40
# (信息准确 0–10 fatal section, 记录完整 yes/no 10), 加分项 0–5
FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0",
        "comment": "很好"}


def item(points, maximum, na=False, answer=None):
    return {"points": None if na else points, "maximum": maximum, "na": na,
            "answer": answer if answer is not None else points}


@pytest.mark.parametrize("mine, bench, expected", [
    (item(10, 10), item(10, 10), 0.0),
    (item(9, 10), item(10, 10), 0.1),
    (item(2.5, 5), item(5, 5), 0.5),
    (item(0, 10), item(10, 10), 1.0),
    (item(None, 10, na=True), item(10, 10), 1.0),  # N/A against an answer: a whole difference
    (item(None, 10, na=True), item(None, 10, na=True), None),  # N/A on both sides: left out
    (item(0, 0, answer="no"), item(0, 0, answer="yes"), 1.0),  # a fatal yes/no of 0 full marks
    (item(0, 0, answer="yes"), item(0, 0, answer="yes"), 0.0),
])
def test_the_difference_of_an_item(mine, bench, expected):
    assert calibration.difference(mine, bench) == expected


def test_alignment_weights_each_item_by_its_share_of_the_points():
    bench = [item(10, 10), item(5, 5), item(10, 10)]
    # 10/25 × (1 − 0.5) + 5/25 × 1 + 10/25 × 1 = 0.2 + 0.2 + 0.4
    assert calibration.alignment([item(5, 10), item(5, 5), item(10, 10)], bench) == 80.0
    assert calibration.alignment(bench, bench) == 100.0
    # N/A on both sides leaves the item out and the weights are shared by the rest
    both_na = [item(None, 10, na=True), item(5, 5), item(0, 10)]
    assert calibration.alignment(both_na, [item(None, 10, na=True), item(5, 5), item(10, 10)]) == \
        pytest.approx(5 / 15 * 100, abs=0.01)
    # an item of 0 full marks weighs nothing; nothing left to compare is None
    assert calibration.alignment([item(0, 0, answer="no")], [item(0, 0, answer="yes")]) is None


def test_an_item_over_the_threshold_is_flagged_and_exactly_at_it_is_not():
    bench = {"items": [item(10, 10), item(10, 10)], "score": 100, "fatal": None}
    doc = {"owner": "o", "evaluators": ["a", "b"],
           "scorings": {"o": bench,
                        "a": {"items": [item(9, 10), item(8, 10)], "score": 85, "fatal": None},
                        "b": {"items": [item(9, 10), item(10, 10)], "score": 95, "fatal": None}}}
    found = calibration.compare(doc, 10)
    assert [r["variance"] for r in found["items"]] == [10.0, 10.0]
    assert [r["flagged"] for r in found["items"]] == [False, False]
    assert [r["flagged"] for r in calibration.compare(doc, 9)["items"]] == [True, True]
    assert [e["alignment"] for e in found["evaluators"]] == [85.0, 95.0]


@pytest.fixture
def site(fw, tmp_path, published, cheap_argon2):
    hashed = hash_password(PASSWORD)
    fw.users.add_many([fw.users.prepare(name, hashed, [role], ["acme"], name, "zh_CN", agent=agent)
                       for name, role, agent in (("owner", "qa", None), ("qa2", "qa", None), ("qa3", "qa", None),
                                                 ("sup1", "supervisor", None), ("tl1", "team_leader", None),
                                                 ("trainer1", "trainer", None),
                                                 ("agent1", "agent", "1001"))], "setup")
    path = tmp_path / "in.csv"
    path.write_text(f'id,agent,time,channel,transcript\nC1,1001,{TODAY} 09:00:00,chat,"[09:00:00] 客户: 在吗\n'
                    f'[09:00:04] 客服: 您好，请讲"\n', encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup1")
    with cheap_argon2():
        yield fw, Clients(create_app(fw))


class Clients:
    def __init__(self, app):
        self.app, self.signed, self.tokens = app, {}, {}
        self.addresses = iter(range(1, 250))

    def __call__(self, username):
        if username not in self.signed:
            c = TestClient(self.app, follow_redirects=False, client=(f"10.8.0.{next(self.addresses)}", 4000))
            token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
            assert c.post("/login", data={"csrf_token": token, "username": username,
                                          "password": PASSWORD}).status_code == 303
            self.signed[username] = c
            self.tokens[username] = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/account").text).group(1)
        return self.signed[username]

    def post(self, username, path, data=None):
        return self(username).post(f"/p/acme/qa/{path}", data={"csrf_token": self.tokens[username], **(data or {})})


def test_a_session_is_blind_until_each_has_submitted(site):
    fw, clients = site
    start = clients.post("owner", "calibration", {"interaction": "C1", "evaluators": ["qa2", "qa3"]})
    assert start.status_code == 303
    sid = start.headers["location"].rsplit("/", 1)[1]
    form = clients("qa2").get(f"/p/acme/qa/calibration/{sid}/score")
    assert form.status_code == 200 and form.template.name == "qa/evaluate.html"
    scoring = form.text.split('<section class="card qa-form">', 1)[1]
    assert "校准" not in scoring and "质检评分" in form.text  # the evaluation form: it need not say so
    assert clients.post("qa2", f"calibration/{sid}/score", {**FULL, "a-1-0": "5", "c-1-0": "信息有误"}).status_code == 303
    # qa3 has not scored: it sees who has, never what they answered
    hidden = clients("qa3").get(f"/p/acme/qa/calibration/{sid}")
    assert hidden.status_code == 200 and hidden.context["visible"] is False and hidden.context["result"] is None
    assert "信息有误" not in hidden.text
    assert clients("tl1").get(f"/p/acme/qa/calibration/{sid}").context["visible"] is False
    # the owner sees nothing either before the benchmark is in
    assert clients("owner").get(f"/p/acme/qa/calibration/{sid}").context["visible"] is False
    assert clients.post("owner", f"calibration/{sid}/score", FULL).status_code == 303
    shown = clients("owner").get(f"/p/acme/qa/calibration/{sid}")
    assert shown.context["visible"] is True
    [qa2] = shown.context["result"]["evaluators"]
    # 信息准确 5 of 10 against 10: that item 50 % off, weighted 10 of the card's 40 points
    assert qa2["alignment"] == 100 - 10 / 40 * 50
    assert "信息有误" in shown.text and "与基准的一致度" in shown.text
    # scored once only; the owner closes; then the team leader sees it too
    again = clients.post("qa2", f"calibration/{sid}/score", FULL)
    assert again.status_code == 409 and "您已评过分" in again.text
    assert calibration.get(fw, "acme", sid)["scorings"]["qa2"]["items"][3]["points"] == 5
    assert clients.post("qa2", f"calibration/{sid}/close").status_code == 403
    assert clients.post("owner", f"calibration/{sid}/close").status_code == 303
    assert clients("tl1").get(f"/p/acme/qa/calibration/{sid}").context["visible"] is True
    assert clients("qa3").get(f"/p/acme/qa/calibration/{sid}/score").status_code == 303  # closed: no form


def test_only_participants_score_and_the_agent_sees_nothing(site):
    fw, clients = site
    doc = calibration.open_session(fw, fw.projects.get("acme"), "C1", ["qa2", "qa3"], "owner")
    assert clients("sup1").get(f"/p/acme/qa/calibration/{doc['id']}/score").status_code == 404
    assert clients("agent1").get(f"/p/acme/qa/calibration/{doc['id']}").status_code == 403
    assert clients("agent1").get("/p/acme/qa/calibration").status_code == 403
    with pytest.raises(PermissionDenied):
        calibration.submit(fw, fw.projects.get("acme"), doc["id"], FULL, "sup1")


def test_a_session_waits_in_waiting_for_me(site):
    fw, clients = site
    calibration.open_session(fw, fw.projects.get("acme"), "C1", ["qa2", "qa3"], "owner")
    waiting = clients("qa2").get("/p/acme/qa/calibration")
    assert len(waiting.context["mine"]) == 1
    assert any(w.url.endswith("/qa/calibration") for w in waiting.context["page"].waiting())


@pytest.mark.parametrize("chosen, field", [
    (["qa2"], "evaluators"),  # one is not several
    (["qa2", "owner"], "evaluators"),  # the owner gives the benchmark
    (["qa2", "tl1"], "evaluators"),  # a team leader does not evaluate
    (["qa2", "agent1"], "evaluators"),
])
def test_opening_a_session_names_what_is_wrong(site, chosen, field):
    fw, clients = site
    with pytest.raises(ValidationError) as caught:
        calibration.open_session(fw, fw.projects.get("acme"), "C1", chosen, "owner")
    assert caught.value.field == field
    page = clients.post("owner", "calibration", {"interaction": "C9", "evaluators": ["qa2", "qa3"]})
    assert page.status_code == 422 and "interaction" in page.context["errors"]


def test_calibration_never_counts_for_the_agent(site):
    fw, clients = site
    project = fw.projects.get("acme")
    doc = calibration.open_session(fw, project, "C1", ["qa2", "qa3"], "owner")
    fatal = {**FULL, "a-0-2": "no", "c-0-2": "辱骂客户"}  # a fatal error on the whole evaluation
    calibration.submit(fw, project, doc["id"], fatal, "qa2")
    calibration.submit(fw, project, doc["id"], FULL, "owner")
    with pytest.raises(Conflict):
        calibration.submit(fw, project, doc["id"], FULL, "qa2")
    assert fw.ledger.events("acme", TODAY[:7]) == []
    assert evaluations.of_agent(fw, "acme", "1001") == []
    assert monthly.averages(evaluations.of_month(fw, "acme", TODAY[:7])) == {}
    assert clients("agent1").get("/p/acme/qa/mine").context["rows"] == []
    # the interaction can still be evaluated for real
    evaluations.submit(fw, project, "C1", 1, FULL, "qa3")
    listed = [j["kind"] for _, j in calibration.scorings_of_month(fw, "acme", TODAY[:7])]
    assert listed == ["calibration", "calibration"]


# ------------------------------------------------------------ the score pages (same site)


def test_the_trainer_imports_the_exam_from_its_page(site, tmp_path):
    fw, clients = site
    month = TODAY[:7]
    trainer = clients("trainer1")
    page = trainer.get("/p/acme/qa/exams")
    assert page.status_code == 200 and "导入当月成绩" in page.text
    bad = trainer.post("/p/acme/qa/exams", data={"csrf_token": clients.tokens["trainer1"], "month": month},
                       files={"file": ("exam.csv", "工号,分数\n1001,120\n".encode(), "text/csv")})
    assert bad.status_code == 422 and "分数" in bad.context["errors"]["file"]
    done = trainer.post("/p/acme/qa/exams", data={"csrf_token": clients.tokens["trainer1"], "month": month},
                        files={"file": ("exam.csv", "工号,分数\n1001,100\n".encode(), "text/csv")})
    assert done.status_code == 303
    shown = trainer.get(done.headers["location"])
    assert "月度业务考试满分" in shown.text and "已导入" in shown.text
    assert clients("qa2").get("/p/acme/qa/exams").context["can_import"] is False
    imports = clients("sup1").get("/p/acme/import")  # the core's import page offers it too
    assert "qa.exams" in imports.context["kinds"]


def test_a_supervisor_records_a_spot_check_and_the_agent_month_reads_it(site):
    fw, clients = site
    wrong = clients.post("sup1", "spot-checks", {"agent": "1001", "date": TODAY, "errors": "2", "points": "-9",
                                                "note": "报价错误"})
    assert wrong.status_code == 422 and set(wrong.context["errors"]) == {"points"}
    assert wrong.context["values"]["note"] == "报价错误"  # what was typed stays
    done = clients.post("sup1", "spot-checks", {"agent": "1001", "date": TODAY, "errors": "2", "points": "-3",
                                               "note": "报价错误"})
    assert done.status_code == 303
    assert "报价错误" in clients("sup1").get(done.headers["location"]).text
    assert clients.post("qa2", "spot-checks", {"agent": "1001"}).status_code == 403
    month = clients("sup1").get(f"/p/acme/agents/1001?month={TODAY[:7]}")
    assert "主管抽查 · " in month.text and "qa:spotcheck" not in month.text
