"""Every POST route refuses a text field past its limit before its handler runs: a 422 page names
the field in the reader's language, and nothing in the data folder changes. (The red team's
five 9 MB notes grew a month file to 45 MB, slowing every later write to that month.)"""

import datetime as dt
import re
import time

import pytest
from starlette.routing import Route

from floorwalker.core.app import create_app

MONTH = dt.date.today().isoformat()[:7]
PARAMS = {"project": "alpha", "number": "1001", "month": MONTH, "period": MONTH, "fmt": "csv", "username": "victim",
          "plugin": "core", "id": "no-such-id", "kind": "attendance.punches"}


@pytest.fixture(scope="module")
def own(tmp_path_factory, company_factory):
    """A company of this module's own (a route the limit did not stop could write to it)."""
    root = tmp_path_factory.mktemp("limits")
    fw = company_factory(root)
    return root, create_app(fw)


@pytest.fixture(scope="module")
def admin(own, sign_in):
    return sign_in(own[1], "admin1")  # an admin who reads English


def post_routes(app) -> list[Route]:
    """The forms' routes (the API's take JSON checked against their schemas: test_api.py)."""
    return [r for r in app.routes if isinstance(r, Route) and "POST" in r.methods and not r.path.startswith("/api/")]


def url_of(route: Route) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PARAMS[m.group(1)], route.path)


def limit_of(route: Route, field: str) -> int:
    return route.limits.get(field, route.limits.get("*", 2000))


def files(root) -> dict:
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)


def test_every_post_route_refuses_a_note_one_character_past_its_limit(own, admin):
    root, app = own
    routes = post_routes(app)
    assert len(routes) > 30  # the core's and both plugins'
    csrf = token(admin)
    for route in routes:
        limit = limit_of(route, "note")
        before = files(root)
        response = admin.post(url_of(route), data={"csrf_token": csrf, "note": "x" * (limit + 1)})
        assert response.status_code == 422, (route.path, response.status_code)
        assert f"note: at most {limit} characters (got {limit + 1})" in response.text, route.path
        assert files(root) == before, route.path


def test_a_longer_limit_declared_by_the_route_is_honoured(own, admin):
    """A project's "json" settings (every team's stage goals) run longer than a note."""
    _, app = own
    (route,) = [r for r in post_routes(app) if r.path == "/admin/projects/{project}/settings/{plugin}"]
    assert route.limits == {"*": 20_000}
    data = {"csrf_token": token(admin), "rule_points": "x" * 5000}
    passed = admin.post(url_of(route), data=data)
    assert "at most" not in passed.text  # the handler ran: its own checks answered
    refused = admin.post(url_of(route), data={**data, "rule_points": "x" * 20_001})
    assert refused.status_code == 422
    assert "rule_points: at most 20000 characters (got 20001)" in refused.text


def test_the_red_teams_9_mb_note_is_refused_at_once_and_the_month_file_is_unchanged(own, sign_in):
    root, app = own
    qa = sign_in(app, "qa1")
    before = files(root)
    note = "x" * 9 * 2**20
    started = time.perf_counter()
    response = qa.post("/p/alpha/attendance/marks",
                       data={"csrf_token": token(qa), "agent": "1001", "kind": "cover", "note": note})
    took = time.perf_counter() - started
    assert response.status_code == 422
    assert f"note: at most 2000 characters (got {len(note)})" in response.text
    assert files(root) == before
    assert took < 1.0, f"the refusal took {took:.2f} s"


def test_the_refusal_reads_in_the_readers_language(own, sign_in):
    root_user = sign_in(own[1], "root")  # reads Chinese
    response = root_user.post("/p/alpha/incentives/reversals",
                              data={"csrf_token": token(root_user), "reason": "x" * 2001})
    assert response.status_code == 422
    assert "原因：最多 2000 个字符（实际 2001 个）" in response.text


def test_an_uploaded_file_is_no_text_field(own, admin):
    """An import's file may be longer than a note: its own checks answer, not the limit."""
    rows = "agent,time\n" + "1001,2020-01-01 08:00\n" * 200
    response = admin.post("/p/alpha/attendance/punches/import", data={"csrf_token": token(admin)},
                          files={"file": ("punches.csv", rows.encode(), "text/csv")})
    assert len(rows) > 2000 and "at most" not in response.text
