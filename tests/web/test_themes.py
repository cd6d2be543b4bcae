"""Themes: the active theme from the install settings, a theme extending the default one, and
the company's own overrides first."""

import re

from floorwalker.core.app import create_app
from floorwalker.core.templating import theme_names


def test_at_least_two_themes_ship():
    assert {"default", "dark"} <= set(theme_names())


def test_the_dark_theme_extends_the_default_base_and_adds_its_stylesheet(fresh, sign_in):
    fw, _ = fresh
    fw.set_install("setup", theme="dark")
    app = create_app(fw)
    html = sign_in(app, None).get("/login").text
    assert 'href="/static/style.css"' in html and 'href="/static/dark.css"' in html
    assert 'class="theme-dark"' in html
    client = sign_in(app, None)
    assert client.get("/static/dark.css").status_code == 200
    assert client.get("/static/style.css").status_code == 200  # the default's files stay reachable


def test_an_unknown_theme_falls_back_to_the_default(fresh, sign_in):
    fw, _ = fresh
    fw.set_install("setup", theme="no-such-theme")
    assert 'class="theme-default"' in sign_in(create_app(fw), None).get("/login").text


def test_the_companys_own_template_wins(fresh, sign_in):
    fw, _ = fresh
    folder = fw.store.root / "themes" / "default" / "templates"
    folder.mkdir(parents=True)
    (folder / "login.html").write_text(
        '{% extends "default:login.html" %}{% block title %}ACME sign-in{% endblock %}')
    html = sign_in(create_app(fw), None).get("/login").text
    assert "<title>ACME sign-in · Floorwalker</title>" in html and 'name="password"' in html


def test_an_admin_switches_the_theme_and_the_running_app_follows(fresh, sign_in, csrf):
    fw, app = fresh
    visitor, admin = sign_in(app, None), sign_in(app, "admin1")
    assert "dark.css" not in visitor.get("/login").text
    assert visitor.get("/static/dark.css").status_code == 404
    r = admin.post("/admin/settings", data={"theme": "dark", "default_locale": "zh_CN",
                                            "csrf_token": csrf(admin)})
    assert r.status_code == 200 and 'href="/static/dark.css"' in r.text  # the answer is already dark
    assert fw.install_settings()["theme"] == "dark"
    html = visitor.get("/login").text
    assert 'href="/static/dark.css"' in html and 'class="theme-dark"' in html
    assert visitor.get("/static/dark.css").status_code == 200
    admin.post("/admin/settings", data={"theme": "default", "default_locale": "zh_CN",
                                        "csrf_token": csrf(admin)})
    assert "dark.css" not in visitor.get("/login").text


def test_the_install_language_chosen_by_an_admin_greets_new_visitors(fresh, sign_in, csrf):
    fw, app = fresh
    admin = sign_in(app, "admin1")
    assert "用户名" in sign_in(app, None).get("/login").text
    admin.post("/admin/settings", data={"theme": "default", "default_locale": "en", "csrf_token": csrf(admin)})
    assert fw.default_locale() == "en"
    assert "User name" in sign_in(app, None).get("/login").text


def test_the_settings_page_offers_installed_themes_and_refuses_others(fresh, sign_in, csrf):
    fw, app = fresh
    (fw.store.root / "themes" / "acme" / "templates").mkdir(parents=True)  # the company's own theme
    admin = sign_in(app, "root")  # reads Chinese
    form = admin.get("/admin/settings").text
    assert {"default", "dark", "acme"} <= set(re.findall(r'<option value="([^"]+)"', form))
    r = admin.post("/admin/settings", data={"theme": "../etc", "default_locale": "fr",
                                            "csrf_token": csrf(admin)})
    assert r.status_code == 422 and r.text.count('class="error"') == 2 and "必须是" in r.text
    assert fw.install_settings().get("theme") is None and fw.default_locale() == "zh_CN"
    admin.post("/admin/settings", data={"theme": "acme", "default_locale": "zh_CN", "csrf_token": csrf(admin)})
    assert 'class="theme-acme"' in sign_in(app, None).get("/login").text


def test_paths_that_try_to_leave_the_theme_folder_are_refused(fresh, sign_in):
    fw, _ = fresh
    client = sign_in(create_app(fw), None)
    (fw.store.root / "secret.txt").write_text("payroll")
    for path in ("/static/../../core.json", "/static/..%2f..%2fcore.json",
                 "/static/%2e%2e/%2e%2e/core/app.py", "/static/..%5c..%5ccore.json",
                 "/static/../../../data/secret.txt"):
        r = client.get(path)
        assert r.status_code in (400, 404), path
        assert "payroll" not in r.text and '"_meta"' not in r.text and "create_app" not in r.text
