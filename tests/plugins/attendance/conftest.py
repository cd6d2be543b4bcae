"""A small company with the attendance plugin, built fresh for each test in its own data folder.

Project alpha: team ``day`` (agents 1001 Li, 1002 Han) and team ``eve`` (1003 Wang, 1004 Zhao),
all hired 2026-01-01. Shift types: D 08:00–17:00 and N 22:00–06:00 (voice), C 09:00–18:00
(chat). Nothing is rostered: each test rosters the days it reads, so what it asserts is in view.

Most tests use March 2026: no public holiday in it, and long past, so every shift has concluded.
The people are plain user dicts, as the pages hand them to the services.
"""

import datetime as dt

import pytest

from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.store import FileOps
from floorwalker.plugins.attendance import punches, roster, sheet

from ...pgcluster import copy_folder, store_for

# Long after every shift of the tests: nothing is "scheduled" any more when derived at this time.
LATER = dt.datetime(2027, 6, 1)


@pytest.fixture(autouse=True, scope="session")
def attendance_translations():
    """The plugin's catalog, merged as at start: the pure-rule tests build no plugin manager."""
    make_plugin_manager(builtins=["attendance"])


@pytest.fixture(scope="module")
def cheap_hashes(cheap_argon2):
    with cheap_argon2():
        yield


def user(username: str, *roles: str, agent: str | None = None, teams=()) -> dict:
    return {"username": username, "roles": list(roles), "agent": agent, "projects": ["alpha"],
            "teams": list(teams)}


class Company:
    """The company and the few verbs the tests need to set a day up and read what it became."""

    slug = "alpha"
    tl_day = user("tl_day", "team_leader", teams=["alpha.day"])
    tl_eve = user("tl_eve", "team_leader", teams=["alpha.eve"])
    sup = user("sup", "supervisor")
    director = user("director", "director")
    later = LATER

    def __init__(self, fw: Floorwalker):
        self.fw = fw

    @property
    def project(self) -> dict:
        """Read each time: settings changed by a test live in the project document."""
        return self.fw.projects.get(self.slug)

    @staticmethod
    def agent(number: str) -> dict:
        return user(f"a{number}", "agent", agent=number)

    def configure(self, **changes) -> None:
        self.fw.projects.configure(self.slug, "attendance", changes, "setup")

    def rota(self, *cells: tuple[str, str, str | None]) -> None:
        roster.set_entries(self.fw, self.slug, list(cells), "setup")

    def punch(self, agent: str, *times: str) -> dict:
        docs = [punches.punch_doc(agent, punches.parse_time(t), "import") for t in times]
        return punches.store_punches(self.fw, self.slug, docs, "setup")

    def row(self, agent: str, day: str, now: dt.datetime = LATER) -> dict:
        date = dt.date.fromisoformat(day)
        (found,) = sheet.derive(self.fw, self.project, date, date, now, agents={agent})
        return found

    def settle(self, month: str, now: dt.datetime = LATER) -> dict:
        return sheet.settle(self.fw, self.project, month, "setup", now=now)

    def events(self, agent: str, month: str) -> list[dict]:
        return self.fw.ledger.agent_events(self.slug, month, agent)

    def active(self, agent: str, month: str) -> list[tuple[str, int, str, str]]:
        """The agent's events that still count, as (rule, points, date, evidence)."""
        events = self.events(agent, month)
        reversed_ids = {e["reverses"] for e in events if e["reverses"]}
        return sorted((e["rule"], e["points"], e["date"], e["evidence"]) for e in events
                      if not e["reverses"] and e["id"] not in reversed_ids)


class NoSync(FileOps):
    """The store without fsync: these tests read what a commit wrote, not what survives a power
    cut (tests/core covers that), and a few hundred syncs would make them slow."""

    def fsync(self, fd: int) -> None:
        pass

    def fsync_dir(self, folder) -> None:
        pass


def open_company(folder) -> Company:
    return Company(Floorwalker(store_for(folder, fs=NoSync()), make_plugin_manager(builtins=["attendance"])))


@pytest.fixture(scope="session")
def blank_company(tmp_path_factory):
    """The company's data folder, built once; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("attendance") / "data"
    fw = open_company(folder).fw
    fw.projects.create("alpha", "Alpha Bank", "setup")
    fw.projects.create("beta", "Beta Telecom", "setup")
    fw.teams.create("alpha", "day", "Day", "setup")
    fw.teams.create("alpha", "eve", "Evening", "setup")
    for number, name, team in (("1001", "Li", "day"), ("1002", "Han", "day"),
                               ("1003", "Wang", "eve"), ("1004", "Zhao", "eve")):
        fw.agents.add("alpha", number, name, "setup", team=team, hired="2026-01-01")
    fw.agents.add("beta", "2001", "Qian", "setup", hired="2026-01-01")
    for doc in (roster.shift_doc("D", "Day", "08:00", "17:00"),
                roster.shift_doc("N", "Night", "22:00", "06:00"),
                roster.shift_doc("C", "Chat", "09:00", "18:00", job_type="chat")):
        roster.save_shift(fw, "alpha", doc, "setup")
    return folder


@pytest.fixture
def co(blank_company, tmp_path) -> Company:
    folder = tmp_path / "data"
    copy_folder(blank_company, folder)
    return open_company(folder)
