"""A small company with the complaints plugin, built fast through the core API, and the
project's clock under the test's hand.

Project acme (complaints enabled, Asia/Shanghai): team day with 1001 Li Lei and 1002 Han
Meimei, team night with 1003 Wang Fang, all hired 2025-01-01; users sup (supervisor), lead
(team leader of day), desk (QA, a complaint handler) and client (acme's client login); project
beta with agent 2001.
"""


import pytest

from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ...pgcluster import store_for


@pytest.fixture(scope="session")
def pm():
    return make_plugin_manager(builtins=["complaints"])



def build_company(root, pm) -> Floorwalker:
    fw = Floorwalker(store_for(root), pm)
    fw.projects.create("acme", "Acme Co", "setup", plugins=["complaints"])
    fw.teams.create("acme", "day", "Day team", "setup")
    fw.teams.create("acme", "night", "Night team", "setup")
    fw.agents.add("acme", "1001", "Li Lei", "setup", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1002", "Han Meimei", "setup", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1003", "Wang Fang", "setup", team="night", hired="2025-01-01")
    fw.projects.create("beta", "Beta Ltd", "setup", plugins=["complaints"])
    fw.teams.create("beta", "main", "Main", "setup")
    fw.agents.add("beta", "2001", "Zhou Jie", "setup", team="main", hired="2025-01-01")
    hashed = "x"
    fw.users.add_many([fw.users.prepare("sup", hashed, ["supervisor"], ["acme"], "Sup", "zh_CN"),
                       fw.users.prepare("lead", hashed, ["team_leader"], ["acme"], "Lead", "zh_CN",
                                        teams=["acme.day"]),
                       fw.users.prepare("desk", hashed, ["qa"], ["acme"], "Desk", "zh_CN"),
                       fw.users.prepare("client", hashed, ["client"], ["acme"], "Client", "zh_CN")],
                      "setup")
    return fw


@pytest.fixture
def fw(tmp_path, pm, clock):
    return build_company(tmp_path / "data", pm)


@pytest.fixture
def acme(fw):
    return fw.projects.get("acme")


@pytest.fixture
def signed_in(fw, cheap_argon2):
    """``signed_in(username)``: a test client of the app signed in as a user of `build_company`."""
    import re

    from starlette.testclient import TestClient

    from floorwalker.core.app import create_app
    from floorwalker.core.users import hash_password
    with cheap_argon2():
        hashed = hash_password("correct-horse-7")
    with fw.store.transaction("core", "setup", "user.password") as tx:
        for name in ("sup", "desk", "client", "lead"):
            tx.update("users", name, {"password_hash": hashed})
    app = create_app(fw)

    def client(username):
        c = TestClient(app, follow_redirects=False)
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
        assert c.post("/login", data={"csrf_token": token, "username": username,
                                      "password": "correct-horse-7"}).status_code == 303
        return c
    return client
