"""What the acceptance walk of 2026-12 found in the core's pages (issue 11): timestamps in the
floor's time zone, the language switch keeping the reader's place, the words of the pages."""

import datetime as dt
import html
import re
import time

import pytest
from jinja2 import Environment

from floorwalker.core.templating import filters, local_time


@pytest.fixture
def server_in_utc(monkeypatch):
    """The server's clock in UTC, as in a container: the store writes its local time."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def render(text: str, **context) -> str:
    env = Environment()
    env.filters.update(filters("zh_CN"))
    return env.from_string(text).render(**context)


def test_a_timestamp_reads_in_the_projects_time_zone(server_in_utc):
    written = "2026-12-06T23:41:05.123"  # 07:41 on 7 December in Shanghai
    assert local_time(written, "Asia/Shanghai") == dt.datetime(2026, 12, 7, 7, 41, 5, 123000)
    shanghai = {"timezone": "Asia/Shanghai"}
    assert render("{{ at|date }}", at=written, project=shanghai) == "2026年12月7日"
    assert render("{{ at|datetime }}", at=written, project=shanghai) == "2026年12月7日 07:41"
    assert render("{{ at|date }}", at=written) == "2026年12月7日"  # the install's zone off a project
    assert render("{{ at|date }}", at=written, project={"timezone": "America/New_York"}) == "2026年12月6日"
    assert render("{{ day|date }}", day="2026-12-06", project=shanghai) == "2026年12月6日"  # a day stays
    assert render("{{ at|datetime }}", at="2026-12-06T23:41:05+00:00") == "2026年12月7日 07:41"


def test_the_audit_log_shows_the_install_time_zone(fresh, sign_in, server_in_utc):
    fw, app = fresh
    admin = sign_in(app, "root")
    fw.projects.set("beta", "client", "Beta Mobile", "root")
    entry = next(e for e in fw.store.audit_entries("") if e["actor"] == "root")
    shown = local_time(entry["at"], "Asia/Shanghai")
    page = admin.get("/admin/audit").text
    assert f"{shown:%H:%M}" in page and entry["at"][11:16] not in page


@pytest.mark.parametrize("place", ["/p/alpha/scores/2026-12?team=day&sort=-total",
                                   "/p/alpha/agents?q=%E6%9D%8E&status=active"])
def test_switching_language_keeps_the_page_and_its_query(fresh, sign_in, csrf, place):
    fw, app = fresh
    client = sign_in(app, "supervisor1")
    page = client.get(place).text
    kept = html.unescape(re.search(r'name="next" value="([^"]*)"', page).group(1))
    assert kept == place
    r = client.post("/language", data={"csrf_token": csrf(client, place), "locale": "zh_CN", "next": kept})
    assert r.status_code == 303 and r.headers["location"] == place


@pytest.mark.parametrize("away", ["//evil.example/x", "https://evil.example/", "/\t/evil.example",
                                  "javascript:alert(1)", "/\\evil.example", "/p/alpha/\n"])
def test_the_language_switch_never_leaves_the_site(fresh, sign_in, csrf, away):
    fw, app = fresh
    client = sign_in(app, "supervisor1")
    r = client.post("/language", data={"csrf_token": csrf(client), "locale": "en", "next": away})
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_settings_name_themes_by_their_titles(fresh, sign_in):
    fw, app = fresh
    page = sign_in(app, "root").get("/admin/settings").text  # root reads Chinese
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]*)</option>', page)
    assert ("dark", "深色") in options and ("default", "浅色（默认）") in options
    assert ">dark<" not in page and ">default<" not in page


def test_the_project_list_heads_its_name_column_as_a_projects(fresh, sign_in):
    fw, app = fresh
    page = sign_in(app, "root").get("/admin/projects").text
    assert "<th>名称</th>" in page and "<th>姓名</th>" not in page
