"""Two projects with the reporting plugin, built fast through the core API, the floor's clock
under the test's hand, and signed-in web clients.

Project hotline (voice, Asia/Shanghai): team day with 1001 Li Lei and 1002 Han Meimei, team night
with 1003 Wang Fang, all hired 2025-01-01. Project shop (chat, e-commerce): team main with 2001
Zhou Jie. Users (every password PASSWORD): ``admin`` (all projects), and per project P in
(hotline, shop) ``P.supervisor``, ``P.team_leader`` (leads the first team), ``P.agent`` (linked to
the first agent: 1001 / 2001) and ``P.client`` (the client's login, as the demo names it).

Fixtures: `pm`, `clock` (``clock.now = datetime(…)``; default Monday 2026-11-16 10:00), `fw`,
`project` (the hotline document), `signed_in` (``signed_in(username)`` → a TestClient signed in),
`login` (``login(role, project="hotline")`` → the same for the conventional user of that role;
role "admin" ignores the project), `csrf` (``csrf(client, url="/account")`` → the form token).
"""

import itertools
import re

import pytest

from floorwalker.core import KPI, KPIDef, hookimpl
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ...pgcluster import store_for

PASSWORD = "correct-horse-7"
ROLES = ("supervisor", "team_leader", "agent", "client")
FIRST_TEAM = {"hotline": "day", "shop": "main"}
FIRST_AGENT = {"hotline": "1001", "shop": "2001"}


@pytest.fixture(scope="session")
def pm():
    return make_plugin_manager(builtins=["reporting"])



def build_company(root, pm, hashed: str = "x") -> Floorwalker:
    fw = Floorwalker(store_for(root), pm)
    fw.projects.create("hotline", "Hotline Telecom", "setup", name="电信热线", channels=["voice"],
                       plugins=["reporting"])
    fw.teams.create("hotline", "day", "Day team", "setup")
    fw.teams.create("hotline", "night", "Night team", "setup")
    fw.agents.add("hotline", "1001", "Li Lei", "setup", team="day", hired="2025-01-01")
    fw.agents.add("hotline", "1002", "Han Meimei", "setup", team="day", hired="2025-01-01")
    fw.agents.add("hotline", "1003", "Wang Fang", "setup", team="night", hired="2025-01-01")
    fw.projects.create("shop", "Shop Online", "setup", name="电商在线", channels=["chat"],
                       plugins=["reporting"])
    fw.teams.create("shop", "main", "Main", "setup")
    fw.agents.add("shop", "2001", "Zhou Jie", "setup", team="main", hired="2025-01-01")
    docs = [fw.users.prepare("admin", hashed, ["admin"], ["*"], "Admin", "en")]
    for slug in ("hotline", "shop"):
        for role in ROLES:
            docs.append(fw.users.prepare(
                f"{slug}.{role}", hashed, [role], [slug], f"{slug} {role}", "en",
                agent=FIRST_AGENT[slug] if role == "agent" else None,
                teams=[f"{slug}.{FIRST_TEAM[slug]}"] if role == "team_leader" else ()))
    fw.users.add_many(docs, "setup")
    return fw


@pytest.fixture
def fw(tmp_path, pm, clock):
    return build_company(tmp_path / "data", pm)


@pytest.fixture
def project(fw):
    return fw.projects.get("hotline")


def csrf_of(client, url: str = "/account") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


@pytest.fixture
def csrf():
    return csrf_of


@pytest.fixture
def signed_in(fw, cheap_argon2):
    """``signed_in(username)``: a test client of the app signed in as a user of `build_company`
    (the app built once per test, each client from its own address)."""
    from starlette.testclient import TestClient

    from floorwalker.core.app import create_app
    from floorwalker.core.users import hash_password
    with cheap_argon2():
        hashed = hash_password(PASSWORD)
    with fw.store.transaction("core", "setup", "user.password") as tx:
        for username in list(fw.store.table("core", "users")):
            tx.update("users", username, {"password_hash": hashed})
    app, hosts = create_app(fw), itertools.count(1)

    def client(username):
        c = TestClient(app, follow_redirects=False, client=(f"10.8.0.{next(hosts)}", 4000))
        token = csrf_of(c, "/login")
        r = c.post("/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
        assert r.status_code == 303, r.text
        return c
    return client


@pytest.fixture
def login(signed_in):
    """``login(role, project="hotline")``: a client signed in as that project's user of *role*."""
    def by_role(role, project="hotline"):
        return signed_in("admin" if role == "admin" else f"{project}.{role}")
    return by_role


class TwoFigures:
    """A plugin with one figure for the client (a share) and one for the centre only."""

    @hookimpl
    def register_kpis(self):
        return [KPIDef("smiles", "Smile rate", "微笑率", "%", True, "ratio", "client"),
                KPIDef("coffee", "Coffee per agent", "人均咖啡", "", False, "mean", "internal")]

    @hookimpl
    def project_kpis(self, period, first, last):
        return [KPI(code="smiles", title_en="Smile rate", title_zh="微笑率", value=97.5, unit="%", n=40,
                    numerator=39, denominator=40),
                KPI(code="coffee", title_en="Coffee per agent", title_zh="人均咖啡", value=3.0, n=3)]
