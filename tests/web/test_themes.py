"""Themes: the active theme from the install settings, a theme extending the default one, and
the company's own overrides first."""

from floorwalker.core.templating import theme_names
from floorwalker.core.web import create_app


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
