"""The JSON API as a calling system meets it (issue 18): tokens (none, wrong, revoked, expired,
read-only, narrowed to a project, never more than their user), JSON errors naming the field in the
caller's language, pages with a cursor, idempotent writes, the rate, the OpenAPI document made from
the declarations and its docs page, and the `floorwalker token` commands."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from floorwalker.cli import make_cli
from floorwalker.core.api import PREFIX
from floorwalker.core.app import create_app
from floorwalker.core.tokens import TOKENS, Tokens

from .conftest import make_company, signed_in


@pytest.fixture
def fw(tmp_path):
    return make_company(tmp_path / "data")


@pytest.fixture
def app(fw):
    return create_app(fw)


def caller(app, token: str | None, **headers) -> TestClient:
    headers.setdefault("Accept-Language", "en")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return TestClient(app, follow_redirects=False, headers=headers)


def token_for(fw, username, **options):
    return Tokens(fw).create(username, "test", "setup", **options)[1]


def test_no_token_a_wrong_one_a_revoked_or_expired_one_answer_401_in_json(fw, app):
    for token in (None, "nonsense", "fwt_abc.def"):
        r = caller(app, token).get(f"{PREFIX}/projects")
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
        assert r.headers["www-authenticate"] == "Bearer"
    record, secret = Tokens(fw).create("root", "payroll", "setup")
    assert caller(app, secret).get(f"{PREFIX}/projects").status_code == 200
    Tokens(fw).revoke(record["id"], "setup")
    assert caller(app, secret).get(f"{PREFIX}/projects").json()["error"]["message"] == "the token was revoked"
    record, secret = Tokens(fw).create("root", "old", "setup", days=1)
    with fw.store.transaction(TOKENS, "setup", "age") as tx:
        tx.update("tokens", record["id"], {"expires_at": (dt.datetime.now() - dt.timedelta(minutes=1)).isoformat()})
    assert caller(app, secret).get(f"{PREFIX}/projects").status_code == 401


def test_a_browser_session_cannot_call_the_api(app):
    browser = signed_in(app, "supervisor1")
    r = browser.get(f"{PREFIX}/projects/alpha/agents")
    assert r.status_code == 401 and r.headers["content-type"] == "application/json"


def test_a_token_is_its_user_narrowed_never_widened(fw, app):
    leader = caller(app, token_for(fw, "team_leader1", write=True))
    r = leader.post(f"{PREFIX}/projects/alpha/teams", json={"slug": "late", "name": "Late"})
    assert r.status_code == 403  # the token writes, but its user adds no team
    assert leader.get(f"{PREFIX}/projects/beta").status_code == 404  # nor sees another project
    only_alpha = caller(app, token_for(fw, "root", projects=["alpha"]))
    assert [p["slug"] for p in only_alpha.get(f"{PREFIX}/projects").json()] == ["alpha"]
    assert only_alpha.get(f"{PREFIX}/projects/beta").status_code == 404
    reader = caller(app, token_for(fw, "root"))
    r = reader.post(f"{PREFIX}/projects/alpha/teams", json={"slug": "late", "name": "Late"})
    assert r.status_code == 403 and "only reads" in r.json()["error"]["message"]
    agent = caller(app, token_for(fw, "agent1"))
    assert agent.get(f"{PREFIX}/projects/alpha/agents/1001").status_code == 200
    assert agent.get(f"{PREFIX}/projects/alpha/agents/1002").status_code in (403, 404)


def test_pay_columns_only_for_those_who_hold_them(fw, app):
    month = dt.date.today().isoformat()[:7]
    boss = caller(app, token_for(fw, "supervisor1")).get(f"{PREFIX}/projects/alpha/scores/{month}").json()
    leader = caller(app, token_for(fw, "team_leader1")).get(f"{PREFIX}/projects/alpha/scores/{month}").json()
    boss_keys = {c["key"] for c in boss["columns"]}
    leader_keys = {c["key"] for c in leader["columns"]}
    assert "total" in leader_keys and leader["rows"]
    assert boss_keys - leader_keys  # the pay float: the supervisor's, not the team leader's
    assert all(not key.startswith("pay") for key in leader_keys)


def test_errors_name_the_field_in_the_callers_language(fw, app):
    writer = caller(app, token_for(fw, "root", write=True), **{"Accept-Language": "zh-CN"})
    r = writer.post(f"{PREFIX}/projects/alpha/teams", json={"slug": "late"})
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "name" and r.json()["error"]["message"] == "名称：必填"
    r = writer.post(f"{PREFIX}/projects/alpha/teams", content=b"{not json", headers={"Accept-Language": "en"})
    assert r.status_code == 422 and r.json()["error"]["message"] == "body: not JSON"
    r = writer.post(f"{PREFIX}/projects/alpha/teams", json={"slug": "late", "name": "L", "colour": "red"},
                    headers={"Accept-Language": "en"})
    assert r.json()["error"]["field"] == "colour"


def test_lists_page_with_a_cursor(fw, app):
    fw.agents.add_many("alpha", [fw.agents.new_agent_docs("alpha", f"3{n:03d}", f"坐席{n}", team="day",
                                                          hired="2024-01-02") for n in range(230)], "setup")
    reader = caller(app, token_for(fw, "root"))
    seen, cursor, pages = [], None, 0
    while True:
        r = reader.get(f"{PREFIX}/projects/alpha/agents", params={"limit": 100, **({"cursor": cursor} if cursor else {})})
        body = r.json()
        seen += [a["number"] for a in body["items"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == len(set(seen)) == 233 and seen == sorted(seen)
    assert reader.get(f"{PREFIX}/projects/alpha/agents", params={"limit": 0}).status_code == 422
    assert reader.get(f"{PREFIX}/projects/alpha/agents", params={"cursor": "%%%"}).status_code == 422


def test_a_retried_write_is_done_once(fw, app):
    writer = caller(app, token_for(fw, "root", write=True))
    key = {"Idempotency-Key": "upload-2026-12-07-0001"}
    first = writer.post(f"{PREFIX}/projects/alpha/teams", json={"slug": "late", "name": "Late"}, headers=key)
    again = writer.post(f"{PREFIX}/projects/alpha/teams", json={"slug": "late", "name": "Late"}, headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again.headers["idempotent-replay"] == "true"
    assert [t["slug"] for t in fw.teams.of("alpha")].count("late") == 1
    other = writer.post(f"{PREFIX}/projects/alpha/teams", json={"slug": "later", "name": "Later"}, headers=key)
    assert other.status_code == 422 and other.json()["error"]["field"] == "Idempotency-Key"
    without = writer.post(f"{PREFIX}/projects/alpha/teams", json={"slug": "late", "name": "Late"})
    assert without.status_code == 409  # no key: the second creation is refused, as on the page


def test_the_rate_per_token(fw):
    app = create_app(fw, config={"api_rate": 3})
    reader = caller(app, token_for(fw, "root"))
    assert [reader.get(f"{PREFIX}/projects").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert caller(app, token_for(fw, "root")).get(f"{PREFIX}/projects").status_code == 200  # another token


def test_the_openapi_document_is_made_from_the_endpoints(app):
    doc = TestClient(app).get(f"{PREFIX}/openapi.json").json()
    routed = {(r.path, m) for r in app.routes if getattr(r, "path", "").startswith(PREFIX + "/projects")
              for m in r.methods - {"HEAD"}}
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    assert routed == documented and len(doc["paths"]) >= 8
    op = doc["paths"][f"{PREFIX}/projects/{{project}}/teams"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["required"] == ["slug", "name"]
    page = TestClient(app).get("/api/docs")
    assert page.status_code == 200 and "<script" not in page.text and "/projects/{project}/teams" in page.text


def test_unknown_api_paths_answer_json(app):
    r = TestClient(app).get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_token_commands(fw, tmp_path):
    cli, data = make_cli(fw.pm), str(fw.store.root)
    made = CliRunner().invoke(cli, ["--data", data, "--lang", "en", "token", "create", "supervisor1",
                                    "--name", "ACD export", "--write", "--project", "alpha", "--days", "30"])
    assert made.exit_code == 0, made.output
    secret = made.output.strip().splitlines()[-1]
    assert secret.startswith("fwt_")
    listed = json.loads(CliRunner().invoke(cli, ["--data", data, "token", "list", "supervisor1",
                                                 "--format", "json"]).output)
    assert [t["name"] for t in listed] == ["ACD export"] and secret not in json.dumps(listed)
    assert listed[0]["write"] is True and listed[0]["projects"] == ["alpha"]
    app = create_app(fw)
    assert caller(app, secret).get(f"{PREFIX}/projects/alpha").status_code == 200
    revoked = CliRunner().invoke(cli, ["--data", data, "--lang", "en", "token", "revoke", listed[0]["id"]])
    assert revoked.exit_code == 0
    assert caller(app, secret).get(f"{PREFIX}/projects/alpha").status_code == 401
    wrong = CliRunner().invoke(cli, ["--data", data, "--lang", "en", "token", "create", "supervisor1",
                                     "--name", "x", "--project", "beta"])
    assert wrong.exit_code == 1 and "beta" in wrong.output


def test_a_user_makes_a_token_on_the_account_page_sees_it_once_and_revokes_it(fw, app):
    import re
    browser = signed_in(app, "supervisor1")
    page = browser.get("/account/tokens")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    refused = browser.post("/account/tokens", data={"csrf_token": token, "name": "", "days": "30"})
    assert refused.status_code == 422 and "name" in refused.text
    made = browser.post("/account/tokens", data={"csrf_token": token, "name": "ACD", "days": "30",
                                                 "project": "alpha", "write": "1"})
    secret = re.search(r'<code class="token">(fwt_[^<]+)</code>', made.text).group(1)
    assert caller(app, secret).get(f"{PREFIX}/projects/alpha").status_code == 200
    listed = browser.get("/account/tokens").text
    assert secret not in listed and "ACD" in listed  # shown once, listed after
    (record,) = Tokens(fw).all("supervisor1")
    other = signed_in(app, "qa1")
    assert other.post(f"/account/tokens/{record['id']}/revoke",
                      data={"csrf_token": token_of(other)}).status_code == 404  # not its own
    assert browser.post(f"/account/tokens/{record['id']}/revoke", data={"csrf_token": token}).status_code == 303
    assert caller(app, secret).get(f"{PREFIX}/projects/alpha").status_code == 401


def token_of(client) -> str:
    import re
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)
