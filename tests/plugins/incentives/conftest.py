"""A small company with the incentives plugin, built fast through the core API.

Project acme: team day (leader ``tl``) with 1001 Li Lei and 1002 Han Meimei, team night with
1003 Wang Fang, all hired 2025-01-01 (so 2025-03 is their third month); 1004 Zhao Min joins the
day team on 2025-03-03 (a new hire in March). Project beta: agent 2001.
"""

import pytest

from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ...pgcluster import store_for

MONTH = "2025-03"
DAY = "2025-03-10"
# ranges wide enough to reach any score with one event (tests only)
WIDE = {"extra_task": [1, 100], "absent": [-100, -1]}


@pytest.fixture(scope="session")
def pm():
    return make_plugin_manager(builtins=["incentives"])


def build_company(root, pm) -> Floorwalker:
    fw = Floorwalker(store_for(root), pm)
    fw.projects.create("acme", "Acme Co", "setup", plugins=["incentives"])
    fw.teams.create("acme", "day", "Day team", "setup")
    fw.teams.create("acme", "night", "Night team", "setup")
    fw.agents.add("acme", "1001", "Li Lei", "setup", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1002", "Han Meimei", "setup", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1003", "Wang Fang", "setup", team="night", hired="2025-01-01")
    fw.agents.add("acme", "1004", "Zhao Min", "setup", team="day", hired="2025-03-03")
    fw.projects.create("beta", "Beta Ltd", "setup", plugins=["incentives"])
    fw.agents.add("beta", "2001", "Zhou Jie", "setup", hired="2025-01-01")
    for slug in ("acme", "beta"):
        fw.projects.configure(slug, "core", {"rule_points": WIDE}, "setup")
    return fw


@pytest.fixture
def fw(tmp_path, pm):
    return build_company(tmp_path / "data", pm)


@pytest.fixture
def score(fw):
    """``score(number, points, day=DAY)``: move an agent's March by *points* with one event (the
    fixture widens two rules' ranges so any score is one event away)."""
    def record(number, points, day=DAY, project="acme"):
        if not points:
            return None
        code = "extra_task" if points > 0 else "absent"
        return fw.ledger.record(project, number, code, day, "tl", points=points, reason="test")
    return record
