"""What the home keeps between views (the table's rendered figure cells, the plugins' waiting items
and panels) is never shown stale: a change to a project's data shows on the next view, exactly as a
process that never saw the home before renders it."""

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.projects import Projects
from floorwalker.plugins.attendance import leave, roster

from ..pgcluster import store_for
from .conftest import PASSWORD, make_company

pytestmark = pytest.mark.usefixtures("cheap_hashes")

NOW = dt.datetime(2026, 10, 12, 10, 30)  # a Monday


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(Projects, "now", lambda self, project: NOW)


def signed_in(app, username):
    client = TestClient(app, follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    assert client.post("/login", data={"csrf_token": token, "username": username,
                                       "password": PASSWORD}).status_code == 303
    return client


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def row_of(html: str, name: str) -> str:
    """The home table's row of project *name*."""
    page = main_of(html)
    start = page.index(name)
    return page[start:page.index("</tr>", start)]


def as_a_new_process_renders_it(root, username: str = "root") -> str:
    """The home as a process that kept nothing renders it (a facade and an app of its own)."""
    fw = Floorwalker(store_for(root), make_plugin_manager())
    return main_of(signed_in(create_app(fw), username).get("/").text)


def test_a_recorded_event_shows_in_the_kept_cells_at_the_next_view(tmp_path, clock):
    fw = make_company(tmp_path)
    app = create_app(fw)
    root = signed_in(app, "root")  # an admin of every project: the table, one row per project
    first = root.get("/").text
    assert root.get("/").text.count("<tr>") == first.count("<tr>")
    assert app.state.home_cells, "the rows' figure cells are kept rendered"
    beta = row_of(first, "Beta Telecom")

    fw.ledger.record("beta", "2001", "loud", "2026-10-12", "tl", reason="talked over the caller")
    second = root.get("/").text
    assert row_of(second, "Beta Telecom") != beta  # its average and events moved
    assert row_of(second, "Alpha 信用卡") == row_of(first, "Alpha 信用卡")
    assert main_of(second) == as_a_new_process_renders_it(tmp_path)


def test_a_new_leave_request_shows_in_the_kept_waiting_items_at_the_next_view(tmp_path, clock):
    fw = make_company(tmp_path)
    roster.save_shift(fw, "alpha", roster.shift_doc("D", "Day", "08:00", "17:00"), "setup")
    roster.set_pattern(fw, "alpha", "day", ["D", "D", "D", "D", "D", None, None], "setup")
    roster.apply_pattern(fw, "alpha", "day", "2026-10-01", "2026-10-31", "setup")
    app = create_app(fw)
    root = signed_in(app, "root")
    before = row_of(root.get("/").text, "Alpha 信用卡")
    assert row_of(root.get("/").text, "Alpha 信用卡") == before  # kept

    leave.request(fw, fw.projects.get("alpha"), "1001", "personal", fw.users.get("agent1"), "2026-10-19",
                  note="family", asked_at=NOW)
    after = root.get("/").text
    assert row_of(after, "Alpha 信用卡") != before
    assert "/p/alpha/attendance/approvals" in row_of(after, "Alpha 信用卡")
    assert main_of(after) == as_a_new_process_renders_it(tmp_path)


def test_the_cells_of_another_language_or_reader_are_not_shared(tmp_path, clock):
    fw = make_company(tmp_path)
    app = create_app(fw)
    zh = main_of(signed_in(app, "root").get("/").text)  # root reads Chinese
    fw.users.update("root", "setup", locale="en")
    en = main_of(signed_in(app, "root").get("/").text)
    assert zh != en and "Average score" in en and "Average score" not in zh
    assert en == as_a_new_process_renders_it(tmp_path)
