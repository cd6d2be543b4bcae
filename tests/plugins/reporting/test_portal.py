"""The plugin's landing page: the client's portal (its KPIs of the month so far, its reports, its
issues and the form to raise one — nothing internal, nothing of another project), the staff's
menu, agents only where the project allows, and the client's home leading to the portal."""

import datetime as dt

from floorwalker.plugins.reporting import issues


def _traffic(fw, project, day):
    from floorwalker.plugins.reporting import traffic
    traffic.replace(fw, project, [{"day": day, "start": "09:00", "minutes": 30, "offered": 100, "answered": 90,
                                   "answered_in_threshold": 72, "threshold_seconds": 20, "abandoned": 10,
                                   "talk_seconds": 16200, "csat_responses": 40, "csat_satisfied": 38}],
                    "hotline.supervisor", "test")


def test_the_client_sees_its_portal_with_client_figures_only(fw, project, clock, login):
    _traffic(fw, project, "2026-11-10")
    _traffic(fw, project, "2026-10-20")
    issues.raise_issue(fw, project, "排队时间过长", "", "hotline.client")
    r = login("client").get("/p/hotline/reporting/")
    assert r.status_code == 200 and r.template.name == "reporting/portal.html"
    client_titles = {k.title_en for k in fw.kpi_defs.values() if k.audience == "client"}
    shown = {f["title_en"]: f for f in r.context["figures"]}
    assert shown and set(shown) <= client_titles
    assert shown["Answer rate"]["value"] == 0.9 and "90.0%" in r.text
    assert r.context["periods"] == []  # nothing published yet: the client is listed no report
    assert [row["doc"]["subject"] for row in r.context["issues_rows"]] == ["排队时间过长"]
    assert 'action="/p/hotline/reporting/issues"' in r.text  # the raise form
    for internal in ("Li Lei", "Han Meimei", "Wang Fang", "hotline.supervisor"):
        assert internal not in r.text


def test_the_portal_lists_the_published_reports_only(fw, project, clock, login):
    from floorwalker.plugins.reporting import report
    _traffic(fw, project, "2026-11-10")
    _traffic(fw, project, "2026-10-20")
    for label in ("2026-W46", "2026-10"):
        report.publish(fw, project, report.span_of(label), "hotline.supervisor", fw.render)
    r = login("client").get("/p/hotline/reporting/")
    assert r.context["periods"] == [{"month": "2026-11", "weeks": ["2026-W46"]},
                                    {"month": "2026-10", "weeks": []}]  # W43 was never published
    assert 'href="/p/hotline/reporting/reports/2026-W46"' in r.text
    assert 'href="/p/hotline/reporting/reports/2026-10"' in r.text
    assert 'href="/p/hotline/reporting/reports/2026-11"' not in r.text  # the month is not published
    assert "2026-W43" not in r.text


def test_staff_get_the_menu_of_pages_they_may_open(fw, project, clock, login):
    r = login("team_leader").get("/p/hotline/reporting/")
    assert r.status_code == 200 and r.template.name == "reporting/menu.html"
    urls = [m["url"] for m in r.context["menu"]]
    assert "/p/hotline/reporting/issues" in urls
    assert all(u.startswith("/p/hotline/reporting/") for u in urls)


def test_agents_see_the_reports_only_where_the_project_allows(fw, project, clock, login):
    agent = login("agent")
    assert agent.get("/p/hotline/reporting/").status_code == 403
    fw.projects.configure("hotline", "reporting", {"agents_see_reports": True}, "admin")
    r = agent.get("/p/hotline/reporting/")
    assert r.status_code == 200 and r.template.name == "reporting/portal.html"
    assert "issues_rows" not in r.context  # the client's issues are not the agents'
    assert agent.get("/p/hotline/reporting/issues").status_code == 403


def test_a_client_of_another_project_gets_404(fw, project, clock, login):
    assert login("client", "shop").get("/p/hotline/reporting/").status_code == 404
    assert login("client", "shop").get("/p/shop/reporting/").status_code == 200


def test_the_clients_home_leads_to_the_portal(fw, project, clock, login):
    issues.raise_issue(fw, project, "排队时间过长", "", "hotline.client")
    r = login("client").get("/")
    assert r.status_code == 200
    assert 'href="/p/hotline/reporting/"' in r.text
    (card,) = [c for c in r.context["cards"] if c["project"]["slug"] == "hotline"]
    (panel,) = [w for w in card["panels"] if w.plugin == "reporting"]
    assert panel.context["open"] == 1
