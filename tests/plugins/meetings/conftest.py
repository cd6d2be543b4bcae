"""A small company with the meetings plugin and a stand-in for the platform's leave, built fast
through the core API, and the project's clock under the test's hand.

Project acme (meetings and `leavebook` enabled, Asia/Shanghai): team day with 1001 Li Lei and
1002 Han Meimei, team night with 1003 Wang Fang, and 1009 Zhang Wei, a team leader of the
register (position team_leader, team day); users sup (supervisor), lead (team leader of day,
linked to nothing), dir (director), qa1 (QA) and agent 1001's login ``li``. `leavebook.away` is
the list of `Absence` the stand-in answers `agent_availability` with.
"""


import pytest

from floorwalker.core import Absence, hookimpl
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ...pgcluster import store_for


class Leavebook:
    """What a leave-keeping plugin (attendance) answers the platform."""

    def __init__(self):
        self.away: list[Absence] = []

    @hookimpl
    def agent_availability(self, first, last, agents):
        return [a for a in self.away if a.agent in agents and a.first <= last and first <= a.last]


@pytest.fixture
def leavebook():
    return Leavebook()


@pytest.fixture
def pm(leavebook):
    pm = make_plugin_manager(builtins=["meetings"])
    pm.register(leavebook, name="leavebook")
    return pm



def build_company(root, pm) -> Floorwalker:
    fw = Floorwalker(store_for(root), pm)
    fw.projects.create("acme", "Acme Co", "setup", plugins=["meetings", "leavebook"])
    fw.teams.create("acme", "day", "早班", "setup")
    fw.teams.create("acme", "night", "晚班", "setup")
    fw.agents.add("acme", "1001", "Li Lei", "setup", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1002", "Han Meimei", "setup", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1003", "Wang Fang", "setup", team="night", hired="2025-01-01")
    fw.agents.add("acme", "1009", "Zhang Wei", "setup", team="day", hired="2025-01-01", position="team_leader")
    fw.users.add_many([fw.users.prepare("sup", "x", ["supervisor"], ["acme"], "Sup", "zh_CN"),
                       fw.users.prepare("dir", "x", ["director"], ["acme"], "Dir", "zh_CN"),
                       fw.users.prepare("lead", "x", ["team_leader"], ["acme"], "Lead", "zh_CN", teams=["acme.day"]),
                       fw.users.prepare("qa1", "x", ["qa"], ["acme"], "QA", "zh_CN"),
                       fw.users.prepare("li", "x", ["agent"], ["acme"], "Li Lei", "zh_CN", agent="1001")],
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
        for name in ("sup", "dir", "lead", "qa1", "li"):
            tx.update("users", name, {"password_hash": hashed})
    app = create_app(fw)

    def client(username):
        c = TestClient(app, follow_redirects=False)
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text).group(1)
        assert c.post("/login", data={"csrf_token": token, "username": username,
                                      "password": "correct-horse-7"}).status_code == 303
        c.csrf = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/account").text).group(1)
        return c
    return client
