"""The core pages: what a person sees on them, and the exports."""

import csv
import datetime as dt
import io
import re

from openpyxl import load_workbook
from starlette.testclient import TestClient

MONTH = dt.date.today().isoformat()[:7]
LAST_MONTH = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).isoformat()[:7]


def cells(html: str, row_start: str) -> list[str]:
    """The text of the cells of the first table row whose first cell contains *row_start*."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        texts = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if texts and row_start in texts[0]:
            return texts
    raise AssertionError(f"no row starting with {row_start!r}")


def test_home_lists_only_my_projects_with_the_months_numbers(clients):
    html = clients("supervisor1").get("/").text
    assert "Alpha 信用卡" in html and "Beta Telecom" not in html
    assert re.search(r"Agents</span><span class=\"kpi-value\">3<", html)
    assert re.search(r"Average score</span><span class=\"kpi-value\">81.0<", html)  # 85, 78, 80
    root = clients("root").get("/").text  # an admin of every project sees both
    assert "Alpha 信用卡" in root and "Beta Telecom" in root


def test_the_dashboard_shows_the_score_distribution(clients):
    html = clients("director1").get("/p/alpha/").text
    assert "<svg" in html and "Score distribution" in html
    assert "<title>80–89: 2</title>" in html  # 1001 at 85, 1003 at 80; 1002 at 78
    assert "<title>70–79: 1</title>" in html and "<title>100+: 0</title>" in html


def test_a_page_tells_the_test_client_its_template_and_context(clients):
    """`Page.render` answers as Starlette's template responses do: tests read what the page was
    given, and the HTML only for what a person sees."""
    response = clients("team_leader1").get("/p/alpha/agents?team=night")
    assert response.template.name == "agents.html"
    context = response.context
    assert (context["team"], context["month"], context["project"]["slug"]) == ("night", MONTH, "alpha")
    assert [row["team"] for row in context["rows"]] == ["night"]
    assert context["user"]["username"] == "team_leader1" and context["locale"] == "en"
    assert clients("qa1").get("/p/alpha/agents/9999").template.name == "error.html"


def test_the_roster_filters_by_team_status_and_search(clients):
    client = clients("team_leader1")
    assert client.get("/p/alpha/agents").text.count("/p/alpha/agents/10") == 2  # their day team
    assert client.get("/p/alpha/agents?team=").text.count("/p/alpha/agents/10") == 3  # widened
    assert client.get("/p/alpha/agents?team=night").text.count("/p/alpha/agents/10") == 1
    found = client.get("/p/alpha/agents?q=韩").text
    assert "韩梅梅" in found and "李雷" not in found
    assert "No agent matches" in client.get("/p/alpha/agents?status=left").text


def test_the_agents_month_traces_every_point_to_its_rule_and_recorder(clients):
    html = clients("qa1").get(f"/p/alpha/agents/1002?month={MONTH}").text
    assert '<span class="big">78</span>' in html  # 80 − 2 (loud); the absence was reversed
    first = dt.date.today().replace(day=1)
    loud = cells(html, f"{first:%b} {first.day}, {first.year}")  # the event's date, the English way
    assert "Loud in the work area" in loud[1] and loud[2] == "-2" and loud[3] == "tl"
    assert "leave approved afterwards" in html and "reversed" in html and "reversal" in html
    zh = clients("root").get(f"/p/alpha/agents/1002?month={MONTH}").text
    assert "工作区域大声喧哗" in zh and "旷工" in zh


def test_an_agent_sees_only_their_own_month(clients):
    agent = clients("agent1")
    assert agent.get("/p/alpha/agents/1001").status_code == 200
    assert agent.get("/p/alpha/agents/1002").status_code == 404
    assert agent.get("/p/beta/agents/2001").status_code == 404
    assert "My month" in agent.get("/").text


def test_an_agent_of_another_project_answers_404(clients):
    assert clients("supervisor1").get("/p/alpha/agents/2001").status_code == 404
    assert clients("supervisor1").get("/p/alpha/agents/9999").status_code == 404


def test_a_client_sees_the_dashboard_and_no_agent_names(clients):
    client = clients("client1")
    html = client.get("/p/alpha/").text
    assert "李雷" not in html and "韩梅梅" not in html
    assert client.get("/p/alpha/scores/" + MONTH).status_code == 403
    assert "/p/alpha/agents" not in html  # no roster in the nav


def test_the_score_sheet_sorts_on_the_server(clients):
    client = clients("supervisor1")
    up = client.get(f"/p/alpha/scores/{MONTH}?sort=total").text
    down = client.get(f"/p/alpha/scores/{MONTH}?sort=-total").text
    order = lambda html: re.findall(r'/agents/(\d+)\?month=', html)  # noqa: E731
    assert order(up) == ["1002", "1003", "1001"]
    assert order(down) == ["1001", "1003", "1002"]


def test_the_csv_export_quotes_formulas_and_keeps_numbers(clients):
    r = clients("supervisor1").get(f"/p/alpha/scores/{MONTH}/export.csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Employee no.", "Name", "Team"]
    by_number = {row[0]: row for row in rows[1:]}
    total = rows[0].index("Total")
    assert by_number["1003"][1] == "'=HYPERLINK(\"x\")"
    assert by_number["1002"][total] == "78" and by_number["1002"][5] == "-2"


def test_the_xlsx_export_has_the_sheet_in_the_readers_language(clients):
    r = clients("root").get(f"/p/alpha/scores/{MONTH}/export.xlsx")
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("工号", "姓名", "班组")
    by_number = {row[0]: row for row in rows[1:]}
    total = rows[0].index("总分")
    assert by_number["1003"][1].startswith("'=") and by_number["1001"][total] == 85


def test_periods_list_months_and_a_director_closes_a_past_month(fresh, sign_in, csrf):
    fw, app = fresh
    director = sign_in(app, "director1")
    html = director.get("/p/alpha/periods").text
    assert f"Close {LAST_MONTH}" in html and f"Close {MONTH}" not in html
    assert 'class="confirm"' in html and "Once closed, nothing dated in" in html  # it asks first
    r = director.post(f"/p/alpha/periods/{LAST_MONTH}/close", data={"csrf_token": csrf(director)})
    assert r.status_code == 303
    assert fw.periods.state("alpha", LAST_MONTH) == "closed"
    again = director.post(f"/p/alpha/periods/{LAST_MONTH}/close", data={"csrf_token": csrf(director)})
    assert again.status_code == 409 and "already closed" in again.text
    supervisor = sign_in(app, "supervisor1")
    assert "Close " not in supervisor.get("/p/alpha/periods").text


def test_an_unexpected_error_shows_a_page_in_the_readers_language(fresh, monkeypatch, login):
    fw, app = fresh
    client = TestClient(app, raise_server_exceptions=False, follow_redirects=False)
    login(client, "root", "correct-horse-7")
    monkeypatch.setattr(fw.ledger, "sheet", lambda *a, **k: 1 / 0)
    r = client.get("/p/alpha/")
    assert r.status_code == 500 and "发生意外错误" in r.text and "ZeroDivision" not in r.text
