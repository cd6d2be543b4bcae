"""A small company built once per session through the core API, and signed-in test clients.

Read-only by convention: a test that changes data builds its own company (`make_company`).
Every user's password is PASSWORD; the hash is computed once so building the company is fast.
"""

import datetime as dt
import itertools
import re

import pytest
from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.users import ROLES, hash_password

from ..pgcluster import store_for

PASSWORD = "correct-horse-7"
MONTH = dt.date.today().isoformat()[:7]
DAY = dt.date.today().replace(day=1).isoformat()
HIRED = "2024-01-02"


@pytest.fixture(scope="session", autouse=True)
def cheap_hashes(cheap_argon2):
    with cheap_argon2():
        yield


def make_company(root, pm=None) -> Floorwalker:
    """Projects alpha (two teams, three agents, a leaver) and beta (one agent); a user per role in
    alpha (``<role>1``; the agent login is 1001; team_leader1 leads the day team), an all-projects admin ``root``, a supervisor of
    beta and a spare user ``victim``."""
    fw = Floorwalker(store_for(root), pm or make_plugin_manager())
    fw.projects.create("alpha", "Alpha Bank", "setup", name="Alpha 信用卡")
    fw.projects.create("beta", "Beta Telecom", "setup")
    fw.teams.create("alpha", "day", "早班", "setup")
    fw.teams.create("alpha", "night", "晚班", "setup")
    fw.teams.create("beta", "main", "Main", "setup")
    fw.agents.add("alpha", "1001", "李雷", "setup", team="day", hired=HIRED)
    fw.agents.add("alpha", "1002", "韩梅梅", "setup", team="day", hired=HIRED)
    fw.agents.add("alpha", "1003", "=HYPERLINK(\"x\")", "setup", team="night", hired=HIRED)
    fw.agents.add("beta", "2001", "Zhao Wei", "setup", team="main", hired=HIRED)
    fw.ledger.record("alpha", "1001", "best_of_month", DAY, "tl")
    fw.ledger.record("alpha", "1002", "loud", DAY, "tl")
    event = fw.ledger.record("alpha", "1002", "absent", DAY, "tl")
    fw.ledger.reverse(event["id"], "leave approved afterwards", "tl")
    hashed = hash_password(PASSWORD)
    docs = []
    for role in ROLES:
        docs.append(fw.users.prepare(f"{role}1", hashed, [role], ["alpha"], f"{role} one", "en",
                                     agent="1001" if role == "agent" else None,
                                     teams=["alpha.day"] if role == "team_leader" else ()))
    docs.append(fw.users.prepare("root", hashed, ["admin"], ["*"], "Root", "zh_CN"))
    docs.append(fw.users.prepare("betasup", hashed, ["supervisor"], ["beta"], "Beta sup", "en"))
    docs.append(fw.users.prepare("victim", hashed, ["qa"], ["alpha"], "Victim", "en"))
    fw.users.add_many(docs, "setup")
    return fw


@pytest.fixture(scope="session")
def company(tmp_path_factory):
    return make_company(tmp_path_factory.mktemp("company"))


@pytest.fixture(scope="session")
def app(company):
    return create_app(company)


_addresses = itertools.count(1)


def _address(n: int) -> str:
    """The n-th client address, each its own /64 too (the throttle's per-address ceiling)."""
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def signed_in(app, username: str | None) -> TestClient:
    """A client from its own address (so the throttle of one test never hits another),
    signed in as *username* (None: signed out)."""
    client = TestClient(app, follow_redirects=False, client=(_address(next(_addresses)), 4000))
    if username:
        r = log_in(client, username, PASSWORD)
        assert r.status_code == 303, r.text
    return client


def log_in(client: TestClient, username: str, password: str, **fields):
    """Post the sign-in form as a browser does: with the CSRF token the form carries."""
    token = csrf_of(client, "/login")
    return client.post("/login", data={"csrf_token": token, "username": username,
                                       "password": password, **fields})


def csrf_of(client: TestClient, url: str = "/account") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


@pytest.fixture(scope="session")
def clients(app):
    """A signed-in client per user name, made once."""
    made = {}

    def get(username):
        if username not in made:
            made[username] = signed_in(app, username)
        return made[username]
    return get


@pytest.fixture(scope="session")
def sign_in():
    """``sign_in(app, username)``: a fresh client signed in as *username* (None: signed out)."""
    return signed_in


@pytest.fixture(scope="session")
def login():
    """``login(client, username, password, **fields)``: post the sign-in form with its token."""
    return log_in


@pytest.fixture(scope="session")
def csrf():
    """``csrf(client, url)``: the CSRF token in the forms of *url* for that client's session."""
    return csrf_of


@pytest.fixture
def fresh(tmp_path):
    """A company of its own, for a test that changes data: (fw, app)."""
    fw = make_company(tmp_path)
    return fw, create_app(fw)


@pytest.fixture(scope="session")
def company_factory():
    """``company_factory(root, pm=None)``: build the test company in *root* with *pm*."""
    return make_company
