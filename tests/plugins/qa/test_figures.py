"""QA figures, honestly: every average with its n, no grade and no rank below the project's
minimum sample (2 vs 3), the fatal-error and dispute rates, the KPIs a client may and may not
see, the report page and its xlsx, and an agent's own figures on its QA page."""

import datetime as dt
import io
import re

import pytest
from argon2 import PasswordHasher
from openpyxl import load_workbook
from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.plugins.qa import evaluations, figures, interactions

TODAY = dt.date.today().isoformat()
PASSWORD = "correct-horse-7"
FULL = {"a-0-0": "yes", "a-0-1": "5", "a-0-2": "yes", "a-1-0": "10", "a-1-1": "yes", "a-2-0": "0",
        "comment": "很好"}
LOST = {"a-1-1": "no", "c-1-1": "漏记"}  # 业务处理 loses half: 80
FATAL = {"a-0-2": "no", "c-0-2": "辱骂客户"}  # zeroes the whole evaluation


# ---------------------------------------------------------------- pure: grade, minimum n, rank


@pytest.mark.parametrize("average, letter", [(100, "A"), (90.01, "A"), (90, "B"), (80, "B"), (79.99, "C"),
                                             (70, "C"), (65, "D"), (60, "E"), (59.99, "F"), (0, "F")])
def test_the_grade_follows_the_domains_boundaries(average, letter):
    assert figures.grade(average) == letter


def _docs(*scores, fatal=()):
    return [{"id": f"e{i}", "score": s, "fatal": "all" if i in fatal else None, "kind": "evaluation",
             "date": TODAY} for i, s in enumerate(scores)]


@pytest.mark.parametrize("n, enough", [(0, False), (2, False), (3, True), (4, True)])
def test_a_grade_needs_the_minimum_n_but_the_average_is_always_shown(n, enough):
    figure = figures.summarise("1001", _docs(*[95] * n), minimum=3)
    assert (figure.n, figure.enough) == (n, enough)
    assert figure.average == (95 if n else None)
    assert figure.grade == ("A" if enough else None)


def test_only_agents_with_enough_n_are_ranked_and_ties_share_a_rank():
    agents = [figures.summarise("a", _docs(90, 90, 90), 3), figures.summarise("b", _docs(99, 99), 3),
              figures.summarise("c", _docs(90, 90, 90), 3), figures.summarise("d", _docs(70, 80, 90), 3)]
    figures.rank(agents)
    assert [a.rank for a in agents] == [1, None, 1, 3]  # b's 99 on n = 2 ranks nobody


def test_rates_count_fatal_and_disputed_evaluations_over_n():
    figure = figures.summarise("p", _docs(0, 80, 100, 100, 0, fatal=(0, 4)), 3, disputed={"e1"})
    assert (figure.fatal, figure.fatal_rate, figure.disputed, figure.dispute_rate) == (2, 40.0, 1, 20.0)


@pytest.mark.parametrize("state, outcomes, expected", [
    ("raised", [None], "open"), ("forwarded", [None, None], "open"), ("returned", [None], "returned"),
    ("decided", ["accepted", "accepted"], "accepted"), ("decided", ["rejected"], "rejected"),
    ("decided", ["accepted", "rejected"], "partial"), ("decided", ["partial"], "partial")])
def test_a_disputes_outcome_as_a_whole(state, outcomes, expected):
    answer = {"state": state, "items": [{"outcome": o} for o in outcomes]}
    assert figures.outcome_of(answer) == expected


# ---------------------------------------------------------------- a month of evaluations


@pytest.fixture
def month(fw, published, tmp_path):
    """1001: 100, 80, 100 (n = 3); 1002: a fatal 0 and 100 (n = 2); 1003 none."""
    path = tmp_path / "in.csv"
    rows = [("C1", "1001"), ("C2", "1001"), ("C3", "1001"), ("C4", "1002"), ("C5", "1002")]
    path.write_text("id,agent,time,channel,duration,transcript\n" + "".join(
        f"{ident},{agent},{TODAY} 09:0{n}:00,ticket,,已处理\n" for n, (ident, agent) in enumerate(rows)),
        encoding="utf-8")
    interactions.import_file(fw, "acme", path, "sup1")
    project = fw.projects.get("acme")
    for ident, changes in (("C1", {}), ("C2", LOST), ("C3", {}), ("C4", FATAL), ("C5", {})):
        evaluations.submit(fw, project, ident, 1, {**FULL, **changes}, "qa1")
    return fw.projects.today(project).isoformat()[:7]


def test_the_month_report_holds_grades_and_ranks_below_the_minimum(fw, month):
    report = figures.month_report(fw, fw.projects.get("acme"), month)
    agents = {a.key: a for a in report.agents}
    assert (agents["1001"].n, agents["1001"].average, agents["1001"].grade, agents["1001"].rank) == \
        (3, 93.33, "A", 1)
    assert (agents["1002"].n, agents["1002"].average, agents["1002"].grade, agents["1002"].rank) == \
        (2, 50.0, None, None)
    assert (agents["1003"].n, agents["1003"].average, agents["1003"].enough) == (0, None, False)
    teams = {t.key: t for t in report.teams}
    assert (teams["day"].n, teams["day"].average, teams["day"].grade, teams["day"].rank) == (5, 76.0, "C", 1)
    assert (teams["night"].n, teams["night"].grade) == (0, None)
    assert (report.project.n, report.project.fatal_rate, report.minimum) == (5, 20.0, 3)
    assert report.evaluators == [{"evaluator": "qa1", "evaluations": 5, "calibrations": 0}]
    assert report.calibration["sessions"] == 0 and report.calibration["variance"] is None


def test_a_dispute_counts_in_the_rate_and_a_won_one_lifts_the_average(fw, month):
    from floorwalker.plugins.qa import disputes
    project = fw.projects.get("acme")
    [c2] = evaluations.of_interaction(fw, "acme", "C2")
    raised = disputes.dispute(fw, project, c2["id"], {"username": "agent1", "agent": "1001", "roles": ["agent"]},
                              {"r-4": "已记录在工单里"})
    report = figures.month_report(fw, project, month)
    assert (report.project.disputed, report.project.dispute_rate, report.outcomes["open"]) == (1, 20.0, 1)
    disputes.forward(fw, project, raised["id"], {"username": "tl1", "roles": ["team_leader"]})
    disputes.decide(fw, project, raised["id"], {"username": "sup1", "roles": ["supervisor"]},
                    {"o-4": "accepted", "note": "工单中有记录"})
    report = figures.month_report(fw, project, month)
    assert (report.outcomes["accepted"], report.outcomes["open"]) == (1, 0)
    assert {a.key: a.average for a in report.agents}["1001"] == 100


def test_calibration_counts_for_the_evaluators_never_for_the_agent(fw, month):
    from floorwalker.plugins.qa import calibration
    project = fw.projects.get("acme")
    fw.users.add_many([fw.users.prepare(name, "x", ["qa"], ["acme"], name, "zh_CN") for name in ("qa1", "qa2", "qa3")],
                      "setup")
    session = calibration.open_session(fw, project, "C1", ["qa2", "qa3"], "qa1")
    for name, changes in (("qa1", {}), ("qa2", {}), ("qa3", LOST)):
        calibration.submit(fw, project, session["id"], {**FULL, **changes}, name)
    report = figures.month_report(fw, project, month)
    c = report.calibration
    assert (c["sessions"], c["scorings"], c["flagged"]) == (1, 3, 1)  # 记录完整: qa3 differs wholly
    assert c["variance"] == round(50 / 6, 2)  # six items, one at (0 + 100 %) / 2
    assert {a.key: a.n for a in report.agents}["1001"] == 3  # the calibrated chat is no evaluation
    workload = {r["evaluator"]: (r["evaluations"], r["calibrations"]) for r in report.evaluators}
    assert workload == {"qa1": (5, 1), "qa2": (0, 1), "qa3": (0, 1)}


def test_the_minimum_is_the_projects_setting(fw, month):
    fw.projects.configure("acme", "qa", {"min_sample": 2}, "setup")
    agents = {a.key: a for a in figures.month_report(fw, fw.projects.get("acme"), month).agents}
    assert (agents["1002"].grade, agents["1002"].rank) == ("F", 2)


def test_the_kpis_carry_their_n_and_what_a_rate_counts(fw, month):
    project = fw.projects.get("acme")
    found = fw.project_hook(project, "project_kpis")(floorwalker=fw, project=project, period=month,
                                                    first=None, last=None)
    kpis = {k.code: k for result in found for k in result}
    assert (kpis["qa_average"].value, kpis["qa_average"].n) == (76.0, 5)
    fatal = kpis["qa_fatal_rate"]
    assert (fatal.value, fatal.numerator, fatal.denominator) == (20.0, 1, 5)
    assert kpis["qa_too_small"].value == 2  # 1002 and 1003
    declared = {k.code: k.audience for k in figures.KPIS}
    assert declared["qa_average"] == declared["qa_fatal_rate"] == "client"
    assert {c for c, a in declared.items() if a == "internal"} >= {"qa_dispute_rate", "qa_too_small",
                                                                  "qa_calibration_variance"}


def test_a_span_counts_only_its_own_days(fw, month):
    project = fw.projects.get("acme")
    today = fw.projects.today(project)
    other = today.replace(day=2 if today.day == 1 else 1)
    assert figures.month_report(fw, project, month, other, other).project.n == 0
    assert figures.month_report(fw, project, month, min(other, today), max(other, today)).project.n == 5


# ---------------------------------------------------------------- pages


USERS = [("sup1", "supervisor", None, "en"), ("qa1", "qa", None, "zh_CN"), ("client1", "client", None, "en"),
         ("agent1", "agent", "1001", "zh_CN"), ("agent2", "agent", "1002", "en")]


@pytest.fixture
def sign_in(fw, month):
    hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    fw.users.add_many([fw.users.prepare(name, hashed, [role], ["acme"], name, locale, agent=agent)
                       for name, role, agent, locale in USERS], "setup")
    app = create_app(fw)

    def signed_in(username):
        client = TestClient(app, follow_redirects=False)
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        r = client.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
        assert r.status_code == 303, r.text
        return client
    return signed_in


def test_the_report_page_shows_n_beside_every_average_and_no_grade_below_the_minimum(sign_in, month):
    page = sign_in("sup1").get(f"/p/acme/qa/report?month={month}")
    assert page.status_code == 200
    assert page.context["report"].project.n == 5
    row = re.search(r"<tr><td class=\"nowrap\">1002 Han Meimei</td>.*?</tr>", page.text, re.S).group(0)
    assert "n too small" in row and ">2<" in row and ">50<" in row  # a score one way: no trailing zeros
    row = re.search(r"<tr><td class=\"nowrap\">1001 Li Lei</td>.*?</tr>", page.text, re.S).group(0)
    assert ">A<" in row and "n too small" not in row
    zh = sign_in("qa1").get(f"/p/acme/qa/report?month={month}")
    assert "样本不足" in zh.text and "质检报表" in zh.text and "n too small" not in zh.text


def test_the_reports_export_has_the_same_figures_with_n_and_no_grade_below_the_minimum(sign_in, month):
    got = sign_in("sup1").get(f"/p/acme/qa/report.xlsx?month={month}")
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(got.content))
    assert book.sheetnames == ["Agents", "Teams", "Evaluators"]
    rows = list(book["Agents"].values)
    head = rows[0]
    by_number = {r[0]: dict(zip(head, r)) for r in rows[1:]}
    assert (by_number["1001"]["n"], by_number["1001"]["QA average"], by_number["1001"]["Grade"],
            by_number["1001"]["Rank"]) == (3, 93.33, "A", 1)
    assert (by_number["1002"]["n"], by_number["1002"]["Grade"], by_number["1002"]["Rank"]) == \
        (2, "n too small", "n too small")
    assert by_number["1002"]["Fatal-error rate %"] == 50.0
    teams = {r[0]: r for r in list(book["Teams"].values)[1:]}
    assert teams["Project total"][1:3] == (5, 76.0)
    zh = load_workbook(io.BytesIO(sign_in("qa1").get(f"/p/acme/qa/report.xlsx?month={month}").content))
    assert zh.sheetnames[0] == "坐席" and "样本不足" in [c for r in zh["坐席"].values for c in r]


def test_a_client_sees_the_qa_average_but_not_the_internal_qa_figures(sign_in, month):
    client = sign_in("client1")
    assert client.get(f"/p/acme/qa/report?month={month}").status_code == 403
    assert client.get(f"/p/acme/qa/report.xlsx?month={month}").status_code == 403
    dashboard = client.get(f"/p/acme/?month={month}")
    codes = {t["code"] for t in dashboard.context["figures"]["tiles"]}
    assert {"qa_average", "qa_fatal_rate"} <= codes
    assert not codes & {"qa_dispute_rate", "qa_too_small", "qa_calibration_variance", "qa_evaluations",
                        "qa_disputes_accepted"}
    assert "QA dispute rate" not in dashboard.text
    staff = {t["code"] for t in sign_in("sup1").get(f"/p/acme/?month={month}").context["figures"]["tiles"]}
    assert {"qa_dispute_rate", "qa_too_small", "qa_calibration_variance"} <= staff


def test_an_agent_sees_its_own_figures_with_n_and_no_grade_below_the_minimum(sign_in, month):
    mine = sign_in("agent1").get("/p/acme/qa/mine")
    assert mine.status_code == 200
    [own] = mine.context["own"]
    assert (own.key, own.n, own.average, own.grade) == (month, 3, 93.33, "A")
    assert "我的质检统计" in mine.text
    other = sign_in("agent2").get("/p/acme/qa/mine")
    [own] = other.context["own"]
    assert (own.n, own.grade) == (2, None) and "n too small" in other.text
    assert sign_in("agent1").get(f"/p/acme/qa/report?month={month}").status_code == 403


# ---------------------------------------------------------------- the bench still runs


def test_the_qa_bench_runs_at_its_small_size_and_times_every_page(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path
    script = Path(__file__).resolve().parents[3] / "bench" / "qa.py"
    out = tmp_path / "qa.json"
    done = subprocess.run([sys.executable, str(script), "--size", "small", "--runs", "3", "--keep",
                           str(tmp_path / "data"), "--json", str(out)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode in (0, 1), done.stderr  # 1: a page over budget on a busy machine
    figures_ = json.loads(out.read_text(encoding="utf-8"))
    assert figures_["evaluations"] == 3 * 6 * 4
    assert [p["url"].split("?")[0].rsplit("/", 2)[-2:] for p in figures_["pages"]] == \
        [["qa", "report"], ["qa", "report.xlsx"], ["client-02", ""], ["qa", "mine"]]
    assert all(p["p95"] >= p["p50"] > 0 for p in figures_["pages"])


def test_the_calibration_figure_counts_the_sessions_of_the_span_asked(fw, month):
    from floorwalker.plugins.qa import calibration
    project = fw.projects.get("acme")
    fw.users.add_many([fw.users.prepare(name, "x", ["qa"], ["acme"], name, "zh_CN") for name in ("qa1", "qa2", "qa3")],
                      "setup")
    session = calibration.open_session(fw, project, "C1", ["qa2", "qa3"], "qa1")
    for name, changes in (("qa1", {}), ("qa2", {}), ("qa3", LOST)):
        calibration.submit(fw, project, session["id"], {**FULL, **changes}, name)
    opened = dt.date.fromisoformat(session["created_at"][:10])
    other = opened - dt.timedelta(days=1) if opened.day > 1 else opened + dt.timedelta(days=1)

    def variance(first, last):
        return {k.code: k for k in figures.kpis(fw, project, month, first, last)}["qa_calibration_variance"]
    assert variance(opened, opened).value == round(50 / 6, 2)
    assert variance(other, other).value is None  # a week without the session has no calibration figure
