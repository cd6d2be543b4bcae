"""Administration: users, projects, plugin settings forms and the audit log."""

import re
import sys


def error_beside(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="e-{field}">(.*?)</p>', html)
    return found.group(1) if found else ""


def test_creating_a_user_with_a_bad_name_shows_the_error_beside_it_and_keeps_the_form(fresh, sign_in, csrf):
    fw, app = fresh
    admin = sign_in(app, "admin1")
    r = admin.post("/admin/users/new", data={
        "username": "Bad Name!", "password": "long-enough-1", "name": "张三", "roles": ["qa"],
        "projects": ["alpha"], "locale": "zh_CN", "csrf_token": csrf(admin)})
    assert r.status_code == 422
    assert "lowercase" in error_beside(r.text, "username")
    assert 'value="Bad Name!"' in r.text and 'value="张三"' in r.text
    assert re.search(r'value="qa"\s+checked', r.text)
    assert fw.users.find("bad name!") is None


def test_an_admin_creates_edits_and_disables_a_user(fresh, sign_in, csrf, login):
    fw, app = fresh
    admin = sign_in(app, "admin1")
    r = admin.post("/admin/users/new", data={
        "username": "zhang3", "password": "long-enough-1", "name": "张三", "roles": ["qa", "team_leader"],
        "projects": ["alpha"], "locale": "zh_CN", "csrf_token": csrf(admin)})
    assert r.status_code == 303
    assert fw.users.get("zhang3")["roles"] == ["qa", "team_leader"]
    r = admin.post("/admin/users/zhang3", data={"name": "张三丰", "roles": ["client"], "projects": ["alpha", "beta"],
                                               "locale": "en", "csrf_token": csrf(admin)})
    assert r.status_code == 422 and "exactly one project" in error_beside(r.text, "projects")
    r = admin.post("/admin/users/zhang3", data={"name": "张三丰", "roles": ["supervisor"], "projects": ["alpha"],
                                               "locale": "en", "csrf_token": csrf(admin)})
    assert r.status_code == 303 and fw.users.get("zhang3")["roles"] == ["supervisor"]
    zhang = sign_in(app, None)
    login(zhang, "zhang3", "long-enough-1")
    assert zhang.get("/account").status_code == 200
    admin.post("/admin/users/zhang3/toggle", data={"csrf_token": csrf(admin)})
    assert fw.users.get("zhang3")["disabled"] is True
    assert zhang.get("/account").status_code == 303


def test_the_settings_form_shows_each_bad_value_beside_its_field_and_saves_nothing(fresh, sign_in, csrf):
    fw, app = fresh
    admin = sign_in(app, "admin1")
    form = admin.get("/admin/projects/alpha/settings/core").text
    assert 'name="base_score" value="80"' in form and "Base score of the month" in form
    r = admin.post("/admin/projects/alpha/settings/core", data={
        "base_score": "eighty", "cap": "110", "escalation_medium": "2", "escalation_light": "0",
        "escalation_points": "-20", "csrf_token": csrf(admin)})
    assert r.status_code == 422
    assert "whole number" in error_beside(r.text, "base_score")
    assert "at least 1" in error_beside(r.text, "escalation_light")
    assert error_beside(r.text, "cap") == ""
    assert 'value="eighty"' in r.text  # what was typed stays
    assert fw.projects.settings("alpha", "core")["escalation_light"] == 4


def test_saving_good_settings_changes_the_scores(fresh, sign_in, csrf):
    fw, app = fresh
    admin = sign_in(app, "admin1")
    r = admin.post("/admin/projects/alpha/settings/core", data={
        "base_score": "90", "cap": "110", "escalation_medium": "2", "escalation_light": "4",
        "escalation_points": "-20", "rule_points.0.rule": "loud", "rule_points.0.points": "-3",
        "floor_awards": "1", "show_agent_names_to_client": "true",
        "csrf_token": csrf(admin)})
    assert r.status_code == 200 and "Saved." in r.text
    settings = fw.projects.settings("alpha", "core")
    assert settings["base_score"] == 90 and settings["rule_points"] == {"loud": -3}
    assert settings["show_agent_names_to_client"] is True


def test_an_admin_creates_a_project_and_edits_it(fresh, sign_in, csrf):
    fw, app = fresh
    admin = sign_in(app, "root")
    bad = admin.post("/admin/projects/new", data={"slug": "X", "client": "Gamma", "csrf_token": csrf(admin)})
    assert bad.status_code == 422 and "2–40" in error_beside(bad.text, "slug") and 'value="X"' in bad.text
    r = admin.post("/admin/projects/new", data={"slug": "gamma", "client": "Gamma Air", "channels": ["voice", "chat"],
                                               "csrf_token": csrf(admin)})
    assert r.status_code == 303 and fw.projects.get("gamma")["channels"] == ["voice", "chat"]
    r = admin.post("/admin/projects/gamma", data={"client": "Gamma Airlines", "name": "Gamma", "status": "paused",
                                                 "timezone": "Asia/Shanghai", "channels": ["chat"],
                                                 "csrf_token": csrf(admin)})
    assert r.status_code == 303
    project = fw.projects.get("gamma")
    assert (project["client"], project["status"], project["channels"]) == ("Gamma Airlines", "paused", ["chat"])


def test_an_admin_edits_only_projects_in_their_scope(clients):
    assert clients("admin1").get("/admin/projects/beta").status_code == 404
    assert clients("root").get("/admin/projects/beta").status_code == 200


def test_the_audit_log_filters_by_project_user_and_table(clients):
    admin = clients("root")
    everything = admin.get("/admin/audit").text
    assert "user.add" in everything and "project.create" in everything
    alpha = admin.get("/admin/audit?project=alpha").text
    assert "score.record" in alpha and "score.reverse" in alpha and "project.create" not in alpha
    assert "score.record" not in admin.get("/admin/audit?project=alpha&user=nobody").text
    users = admin.get("/admin/audit?table=users").text
    assert "user.add" in users and "team.create" not in users
    assert "$argon2" not in users  # hashes are never shown (the store redacts them too)


def test_disabling_a_user_asks_first_and_says_what_will_happen(clients):
    page = clients("admin1").get("/admin/users").text
    assert 'class="confirm"' in page and "is signed out at once" in page
    assert page.count('name="csrf_token"') >= 1 and "Yes, go ahead" in page


def test_the_audit_log_reads_this_month_and_the_last_by_default_and_any_month_picked(fresh, sign_in, monkeypatch):
    fw, app = fresh
    admin = sign_in(app, "root")
    store_module = sys.modules[type(fw.store).__module__]  # the files' store or PostgreSQL's
    monkeypatch.setattr(store_module, "now_iso", lambda: "2025-06-03T10:00:00.000")
    fw.projects.set("beta", "client", "Beta of June 2025", "root")
    monkeypatch.undo()
    page = admin.get("/admin/audit")
    assert "Beta of June 2025" not in page.text and "project.create" in page.text
    assert re.search(r"\d{4}-\d{2} 和 \d{4}-\d{2} 的记录；选择月份或日期可查看更早的记录", page.text)
    june = admin.get("/admin/audit?month=2025-06").text
    assert "Beta of June 2025" in june and "project.create" not in june and "2025-06 的记录。" in june
    assert "Beta of June 2025" in admin.get("/admin/audit?date=2025-06-03").text
    assert "Beta of June 2025" not in admin.get("/admin/audit?date=2025-06-04").text
    bad = admin.get("/admin/audit?month=June&date=2025-13-01")
    assert bad.status_code == 422
    assert re.search(r'id="e-month">[^<]*YYYY-MM', bad.text) and re.search(r'id="e-date">[^<]*YYYY-MM-DD', bad.text)
    failed = admin.get("/admin/audit?action=project.set").text
    assert "project.set" in failed and "project.create" not in failed
