"""The rulebook's rules that did not hold (issue 11, item 7, the incentives part): the best of
the month is one clean agent of the whole floor on every path; the trainer assesses agents and
team leaders, who have a sheet of their own; payroll's probation and leaving flags."""

import re

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from openpyxl import load_workbook
from starlette.testclient import TestClient

from floorwalker.cli import make_cli
from floorwalker.core import Conflict, PermissionDenied
from floorwalker.core.app import create_app
from floorwalker.core.importing import import_score_events
from floorwalker.plugins.incentives.payroll import pay_flags, probation_flags

MONTH = "2025-03"
DAY = "2025-03-10"
PASSWORD = "correct-horse-7"
URL = "/p/acme/incentives"
# (username, roles, teams led)
USERS = [("sup", ["supervisor"], ()), ("trainer", ["trainer"], ()), ("tl", ["team_leader"], ("acme.day",)),
         ("qa1", ["qa"], ())]


@pytest.fixture
def leader(fw):
    """9001 Chen Jing leads the day team: a person of the register with the leader's position."""
    return fw.agents.add("acme", "9001", "Chen Jing", "setup", team="day", hired="2024-06-03",
                         position="team_leader")


@pytest.fixture
def app(fw, leader):
    hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    fw.users.add_many([fw.users.prepare(name, hashed, roles, ["acme"], name, "en", teams=teams)
                       for name, roles, teams in USERS], "setup")
    return create_app(fw)


def client_of(app, username):
    client = TestClient(app, follow_redirects=False)
    client.post("/login", data={"csrf_token": csrf(client, "/login"), "username": username,
                                "password": PASSWORD})
    return client


def csrf(client, url="/account"):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def post(client, path, **form):
    return client.post(f"{URL}/{path}", data={"csrf_token": csrf(client), **form})


# ---------------------------------------------------------------- the best of the month

def test_the_best_of_the_month_is_one_agent_of_the_whole_floor(fw):
    fw.ledger.record("acme", "1001", "best_of_month", DAY, "sup")  # day team
    with pytest.raises(Conflict) as refused:
        fw.ledger.record("acme", "1003", "best_of_month", DAY, "sup")  # the night team's best too
    assert "already went to 1001" in refused.value.message("en")
    assert "全项目每月只有 1 个名额" in refused.value.message("zh_CN")
    fw.ledger.record("acme", "1003", "best_of_month", "2025-04-10", "sup")  # another month is free


def test_reversing_the_award_frees_it_and_a_project_may_give_more(fw):
    first = fw.ledger.record("acme", "1001", "best_of_month", DAY, "sup")
    fw.ledger.reverse(first["id"], "wrong agent", "sup")
    fw.ledger.record("acme", "1002", "best_of_month", DAY, "sup")
    fw.projects.set("acme", "core.floor_awards", 2, "admin")
    fw.ledger.record("acme", "1003", "best_of_month", DAY, "sup")
    with pytest.raises(Conflict):
        fw.ledger.record("acme", "1004", "best_of_month", DAY, "sup")


def test_an_agent_with_a_violation_in_the_month_is_refused_until_it_is_reversed(fw):
    loud = fw.ledger.record("acme", "1001", "loud", "2025-03-03", "tl")
    with pytest.raises(Conflict) as refused:
        fw.ledger.record("acme", "1001", "best_of_month", DAY, "sup")
    assert "has a violation in 2025-03" in refused.value.message("en")
    assert "工作区域大声喧哗" in refused.value.message("zh_CN")  # the violation, in words
    fw.ledger.record("acme", "1002", "extra_task", "2025-03-03", "tl", points=5)  # a bonus is no violation
    fw.ledger.record("acme", "1002", "best_of_month", DAY, "sup")
    fw.ledger.reverse(loud["id"], "not him", "sup")
    with pytest.raises(Conflict):  # clean now, but the floor's award is taken
        fw.ledger.record("acme", "1001", "best_of_month", DAY, "sup")


def test_the_command_line_refuses_a_second_award_and_says_why(fw, pm):
    cli = make_cli(pm)

    def run(number):
        return CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", "en", "--as", "sup",
                                        "scores", "record", "--project", "acme", "--agent", number,
                                        "--rule", "best_of_month", "--date", DAY, "--reason", "top"])

    assert run("1001").exit_code == 0
    result = run("1002")
    assert result.exit_code != 0 and "already went to 1001" in result.stderr


def test_an_import_with_two_awards_writes_nothing(fw, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("agent,rule,date,points,reason\n1001,best_of_month,2025-03-10,,top\n"
                    "1003,best_of_month,2025-03-11,,top\n1002,loud,2025-03-11,,noisy\n", encoding="utf-8")
    with pytest.raises(Conflict) as refused:
        import_score_events(fw, "acme", path, "sup")
    assert "already went to 1001" in refused.value.message("en")
    assert fw.ledger.events("acme", MONTH) == []
    path.write_text("agent,rule,date,points,reason\n1001,loud,2025-03-03,,noisy\n"
                    "1001,best_of_month,2025-03-10,,top\n", encoding="utf-8")
    with pytest.raises(Conflict, match="violation"):  # the file's own violation counts
        import_score_events(fw, "acme", path, "sup")


def test_the_web_form_refuses_the_award_with_the_reason(app, fw):
    sup = client_of(app, "sup")
    fw.ledger.record("acme", "1001", "best_of_month", DAY, "sup")
    page = post(sup, "record", agent="1003", rule="best_of_month", date=DAY, points="", note="top")
    assert page.status_code == 409 and "already went to 1001" in page.text


def test_a_violation_after_the_award_holds_the_month_close(fw):
    fw.ledger.record("acme", "1001", "best_of_month", "2025-03-03", "sup")
    assert not [b for b in fw.periods.blockers("acme", MONTH) if "Best of the month" in b.title_en]
    fw.ledger.record("acme", "1001", "chatting", DAY, "tl", points=-1)
    (blocker,) = [b for b in fw.periods.blockers("acme", MONTH) if "Best of the month" in b.title_en]
    assert blocker.count == 1 and "/agents/1001" in blocker.url


# ---------------------------------------------------------------- the trainer and the leaders

def test_the_trainer_records_on_agents_and_judges_a_leader_once_a_month(app, fw):
    trainer = client_of(app, "trainer")
    page = post(trainer, "record", agent="1003", rule="entry_error", date=DAY, points="", note="wrong phone")
    assert page.status_code == 303
    assert post(trainer, "judgement", agent="1001", month=MONTH, points="2", note="x").status_code == 403
    page = post(trainer, "leaders/judgement", agent="9001", month=MONTH, points="4", note="晨会组织到位")
    assert page.status_code == 303
    (judged,) = [e for e in fw.ledger.events("acme", MONTH) if e["rule"] == "leader_judgement"]
    assert (judged["agent"], judged["points"], judged["recorded_by"]) == ("9001", 4, "trainer")
    again = post(trainer, "leaders/judgement", agent="9001", month=MONTH, points="-2", note="again")
    assert again.status_code == 409
    no_reason = post(trainer, "leaders/judgement", agent="9001", month="2025-04", points="1", note=" ")
    assert no_reason.status_code == 422
    page = post(trainer, "leaders/record", agent="9001", rule="handover_log_missing", date=DAY,
                points="", note="交接班记录缺少调班情况")
    assert page.status_code == 303
    assert fw.ledger.sheet("acme", MONTH, leaders=True)[0]["total"] == 80 + 4 - 5


def test_the_leaders_page_takes_only_leaders(app):
    trainer = client_of(app, "trainer")
    page = post(trainer, "leaders/judgement", agent="1001", month=MONTH, points="1", note="good")
    assert page.status_code == 422 and "1001 is not a team leader" in page.text


def test_a_team_leader_cannot_judge_a_leader_even_of_their_own_team(app, fw, leader):
    tl = client_of(app, "tl")
    assert tl.get(f"{URL}/leaders").status_code == 403
    assert post(tl, "leaders/judgement", agent="9001", month=MONTH, points="5", note="me").status_code == 403
    # nor through the agents' forms: the leader 9001 is in the day team tl leads
    assert post(tl, "judgement", agent="9001", month=MONTH, points="5", note="me").status_code == 403
    assert post(tl, "record", agent="9001", rule="extra_task", date=DAY, points="", note="x").status_code == 403
    assert post(tl, "record", agent="1001", rule="loud", date=DAY, points="", note="x").status_code == 303
    user = fw.users.get("tl")
    with pytest.raises(PermissionDenied):
        fw.access.authorize(user, "incentives.judgement", fw.projects.get("acme"), {"agent": "9001"})
    assert not [e for e in fw.ledger.events("acme", MONTH) if e["agent"] == "9001"]


def test_the_leaders_sheet_and_the_agents_sheet_do_not_mix(app, fw, leader):
    fw.ledger.record("acme", "9001", "extra_task", DAY, "trainer", points=5)
    agents = {r["number"] for r in fw.ledger.sheet("acme", MONTH)}
    leaders = {r["number"]: r for r in fw.ledger.sheet("acme", MONTH, leaders=True)}
    assert agents == {"1001", "1002", "1003", "1004"} and set(leaders) == {"9001"}
    assert (leaders["9001"]["total"], leaders["9001"]["grade"]) == (85, "B")  # graded like an agent
    page = client_of(app, "trainer").get(f"{URL}/leaders?month={MONTH}")
    assert page.status_code == 200 and "Chen Jing" in page.text and "Li Lei" not in page.text
    boards = client_of(app, "sup").get(f"{URL}/boards?month={MONTH}").text
    assert "Chen Jing" not in boards


def test_a_leader_is_added_from_the_command_line_and_an_import(fw, pm, tmp_path):
    cli = make_cli(pm)
    result = CliRunner().invoke(cli, ["--data", str(fw.store.root), "--as", "admin", "agent", "add",
                                      "--project", "acme", "--number", "9002", "--name", "Wu Lan",
                                      "--team", "night", "--hired", "2025-01-02", "--position", "team_leader"])
    assert result.exit_code == 0, result.output
    assert fw.agents.get("9002")["position"] == "team_leader"
    path = tmp_path / "people.csv"
    path.write_text("工号,姓名,班组,入职日期,岗位\n9003,孙丽,day,2025-01-02,班长\n1010,周明,day,2025-01-02,坐席\n",
                    encoding="utf-8")
    from floorwalker.core.importing import import_agents
    assert import_agents(fw, "acme", path, "admin") == 2
    assert (fw.agents.get("9003")["position"], fw.agents.get("1010")["position"]) == ("team_leader", "agent")
    assert fw.agents.get("1001")["position"] == "agent"


# ---------------------------------------------------------------- payroll's flags

SETTINGS = {"resign_after_start_months": 1, "probation_months": 3}


@pytest.mark.parametrize("left_on, flags", [
    ("2025-01-31", ["no_settlement"]),      # within a month of starting on 2025-01-06
    ("2025-02-06", ["training_fee"]),       # a month after: still in probation
    ("2025-04-05", ["training_fee"]),
    ("2025-04-06", []),                     # probation over: an ordinary leaver
])
def test_a_resignation_flags_the_month_of_leaving(left_on, flags):
    person = {"hired": "2025-01-06", "left_on": left_on, "leave_reason": "resigned"}
    assert probation_flags(person, left_on[:7], "C", SETTINGS) == flags
    assert probation_flags({**person, "leave_reason": "dismissed"}, left_on[:7], "C", SETTINGS) == []


@pytest.mark.parametrize("month, grade, flags", [
    ("2025-01", "A", ["early_confirmation"]), ("2025-04", "A", ["early_confirmation"]),
    ("2025-05", "A", []), ("2025-02", "B", [])])
def test_an_excellent_probationer_may_apply_for_early_confirmation(month, grade, flags):
    person = {"hired": "2025-01-06", "left_on": None, "leave_reason": None}
    assert probation_flags(person, month, grade, SETTINGS) == flags


def test_the_flags_are_on_the_close_page_and_in_the_export_for_pay_holders_only(app, fw, score):
    fw.agents.leave("1004", "2025-03-20", "resigned", "setup")          # started 2025-03-03
    score("1002", 15)                                                     # an A in month 3 of 3
    score("1003", 15)
    fw.projects.set("acme", "incentives.probation_months", 2, "admin")    # 1003's probation is over
    fw.agents.leave("1003", "2025-03-31", "resigned", "setup")            # and a resignation after it
    assert pay_flags(fw, fw.projects.get("acme"), MONTH, fw.ledger.sheet("acme", MONTH)) == \
        {"1004": ["no_settlement"]}
    fw.projects.set("acme", "incentives.probation_months", 3, "admin")
    assert pay_flags(fw, fw.projects.get("acme"), MONTH, fw.ledger.sheet("acme", MONTH)) == \
        {"1002": ["early_confirmation"], "1003": ["training_fee"], "1004": ["no_settlement"]}
    sup = client_of(app, "sup")
    close = sup.get(f"{URL}/close?month={MONTH}").text
    assert "Pay-sheet flags" in close and "no salary settlement" in close
    assert "no salary settlement" not in client_of(app, "tl").get(f"{URL}/sheet?month={MONTH}").text
    fw.periods.close("acme", MONTH, "sup")
    book = load_workbook(__import__("io").BytesIO(sup.get(f"{URL}/pay.xlsx?month={MONTH}").content))
    rows = {r[0]: r for r in book.active.values}
    assert "no salary settlement" in rows["1004"][8] and rows["9001"][9] == "Team leader"
