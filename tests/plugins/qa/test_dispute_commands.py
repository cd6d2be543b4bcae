"""On the command line: ``qa evaluations``' status follows the agent's answer and the dispute,
and ``qa disputes`` lists a month's disputed items with where each stands and its outcome."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.core.projects import Projects
from floorwalker.plugins.qa import disputes, evaluations, interactions

SUBMITTED = dt.datetime(2026, 11, 30, 10, 0)
FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0",
        "comment": "很好"}
LOST = {**FULL, "a-0-1": "3", "c-0-1": "语气生硬", "a-0-2": "no", "c-0-2": "辱骂客户"}
LEADER = {"username": "tl1", "roles": ["team_leader"], "teams": ["acme.day"]}
SUPERVISOR = {"username": "sup1", "roles": ["supervisor"]}


def agent(number):
    return {"username": f"agent{number}", "agent": number, "roles": ["agent"]}


@pytest.fixture
def clock(monkeypatch):
    state = {"now": SUBMITTED}
    monkeypatch.setattr(Projects, "now", lambda _self, project: state["now"])
    return state


@pytest.fixture
def month(fw, published, tmp_path, clock):
    """Four evaluations of 2026-11-30: C1 (1001) and C2 (1002) disputed, C3 (1003) acknowledged,
    C4 (1001) unanswered."""
    path = tmp_path / "in.csv"
    path.write_text("id,agent,time,channel,duration,transcript\n" + "".join(
        f"C{n},{a},2026-11-30 09:0{n}:00,chat,60,[09:00:00] 客服: 您好\n"
        for n, a in ((1, "1001"), (2, "1002"), (3, "1003"), (4, "1001"))), encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup1")
    project = fw.projects.get("acme")
    evs = {c: evaluations.submit(fw, project, c, 1, LOST, "qa1") for c in ("C1", "C2", "C3", "C4")}
    won = disputes.dispute(fw, project, evs["C1"]["id"], agent("1001"), {"r-1": "我很有礼貌", "r-2": "没有辱骂"})
    disputes.forward(fw, project, won["id"], LEADER)
    disputes.decide(fw, project, won["id"], SUPERVISOR, {"o-1": "partial", "v-1": "4", "o-2": "accepted",
                                                         "note": "录音中无辱骂"})
    disputes.dispute(fw, project, evs["C2"]["id"], agent("1002"), {"r-1": "语气正常"})
    disputes.acknowledge(fw, project, evs["C3"]["id"], agent("1003"))
    return evs


@pytest.fixture
def run(fw, pm):
    cli = make_cli(pm)

    def invoke(*args, lang="en"):
        done = CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", lang, *args], catch_exceptions=False)
        assert done.exit_code == 0, done.output
        return done.output
    return invoke


def test_evaluations_json_status_is_the_answer_and_the_dispute(fw, month, run, clock):
    listed = json.loads(run("qa", "evaluations", "--project", "acme", "--month", "2026-11", "--format", "json"))
    status = {e["interaction"]: e["status"] for e in listed}
    assert status == {"C1": "decided", "C2": "raised", "C3": "acknowledged", "C4": "open"}
    won = next(e for e in listed if e["interaction"] == "C1")
    assert won["fatal"] is None and won["score"] > month["C1"]["score"]  # the decision rescored it
    clock["now"] = SUBMITTED + dt.timedelta(hours=72)  # C4's window closes on the dot
    assert {e["interaction"]: e["status"] for e in json.loads(
        run("qa", "evaluations", "--project", "acme", "--month", "2026-11", "--format", "json"))}["C4"] == "accepted"
    table = run("qa", "evaluations", "--project", "acme", "--month", "2026-11", lang="zh_CN")
    assert "申诉已裁定" in table and "已确认" in table
    assert "decided" not in table and "acknowledged" not in table


def test_the_evaluations_help_documents_every_status(run):
    shown = run("qa", "evaluations", "--help")
    for key in disputes.STATUS:
        assert f"  {key} " in shown, key


def test_qa_disputes_lists_each_disputed_item_with_its_state_and_outcome(fw, month, run):
    rows = json.loads(run("qa", "disputes", "--project", "acme", "--month", "2026-11", "--format", "json"))
    assert [(r["agent"], r["item"], r["state"], r["outcome"]) for r in rows] == [
        ("1001", "服务用语 · 语气亲切", "dispute decided", "partly accepted"),
        ("1001", "服务用语 · 辱骂客户", "dispute decided", "accepted"),
        ("1002", "服务用语 · 语气亲切", "disputed: with the team leader", "")]
    now = evaluations.get(fw, "acme", month["C1"]["id"])["score"]
    before = month["C1"]["score"]
    assert (before, now) == (0, 96)  # QA prints a score one way: no trailing zeros
    assert rows[0]["score"] == "0 → 96" and rows[2]["score"] == ""  # before → after
    table = run("qa", "disputes", "--project", "acme", "--month", "2026-11", lang="zh_CN")
    assert "部分采纳" in table and "我很有礼貌" in table and "partly" not in table
    assert json.loads(run("qa", "disputes", "--project", "acme", "--month", "2026-10", "--format", "json")) == []
