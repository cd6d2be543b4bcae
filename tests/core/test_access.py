"""Who may do what: the actions plugins declare, the teams a leader leads, the decision itself."""

import orjson
import pytest

from floorwalker.core import Action, NotFound, PermissionDenied, ValidationError, hookimpl
from floorwalker.core.access import collect_actions
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ..pgcluster import store_for

LEADERS = ("admin", "director", "supervisor", "team_leader")


def company(root, *extra) -> Floorwalker:
    pm = make_plugin_manager(builtins=[])
    for plugin in extra:
        pm.register(plugin, name=type(plugin).__name__.lower())
    fw = Floorwalker(store_for(root), pm)
    fw.projects.create("alpha", "Alpha", "setup")
    fw.projects.create("beta", "Beta", "setup")
    fw.teams.create("alpha", "day", "Day", "setup")
    fw.teams.create("alpha", "night", "Night", "setup")
    fw.agents.add("alpha", "1001", "Li", "setup", team="day", hired="2026-01-05")
    fw.agents.add("alpha", "1003", "Wang", "setup", team="night", hired="2026-01-05")
    fw.agents.move("1003", "alpha", "setup", team="day", start="2026-03-01")
    fw.agents.add("beta", "2001", "Zhao", "setup", hired="2026-01-05")
    return fw


class Coach:
    @hookimpl
    def register_actions(self):
        return [Action("coach.note", LEADERS, "Write a coaching note", "写辅导记录", writes=True),
                Action("coach.view", LEADERS + ("qa",), "See coaching", "查看辅导")]


@pytest.fixture
def fw(tmp_path):
    return company(tmp_path / "data", Coach())


LEADER = {"username": "tl", "roles": ["team_leader"], "projects": ["alpha"], "teams": ["alpha.day"]}


def test_a_leader_writes_for_the_team_of_the_agent_on_the_records_day(fw):
    alpha = fw.projects.get("alpha")
    fw.access.authorize(LEADER, "coach.note", alpha, {"agent": "1001"})
    fw.access.authorize(LEADER, "coach.note", alpha, {"agent": "1003", "date": "2026-03-02"})
    with pytest.raises(PermissionDenied):  # 1003 was in the night team in February
        fw.access.authorize(LEADER, "coach.note", alpha, {"agent": "1003", "date": "2026-02-10"})
    with pytest.raises(PermissionDenied):
        fw.access.authorize(LEADER, "coach.note", alpha, {"team": "night"})
    with pytest.raises(PermissionDenied):  # a write without an object names no team of theirs
        fw.access.authorize(LEADER, "coach.note", alpha)
    fw.access.authorize(LEADER, "coach.note", alpha, route=True)  # the route checks the role only


def test_reading_stays_project_wide_and_objects_of_other_projects_are_not_found(fw):
    alpha = fw.projects.get("alpha")
    qa = {"username": "qa", "roles": ["qa"], "projects": ["alpha"]}
    fw.access.authorize(qa, "coach.view", alpha, {"agent": "1003", "date": "2026-02-10"})
    for obj in ({"agent": "2001"}, {"agent": "9999"}, {"team": "main"}, {"agent": "1001", "project": "beta"}):
        with pytest.raises(NotFound):
            fw.access.authorize(LEADER, "coach.view", alpha, obj)
    with pytest.raises(PermissionDenied):
        fw.access.authorize(qa, "coach.note", alpha, {"agent": "1001"})


def test_a_supervisor_is_not_limited_to_teams_and_an_unknown_action_is_refused(fw):
    alpha = fw.projects.get("alpha")
    sup = {"username": "sup", "roles": ["supervisor"], "projects": ["alpha"]}
    fw.access.authorize(sup, "coach.note", alpha, {"agent": "1003", "date": "2026-02-10"})
    with pytest.raises(PermissionDenied):
        fw.access.authorize(sup, "coach.erase", alpha, {"agent": "1001"})
    with pytest.raises(NotFound):
        fw.access.authorize(sup, "coach.note", fw.projects.get("beta"), {"agent": "2001"})


@pytest.mark.parametrize("plugin, problem", [
    (type("Wrong", (), {"register_actions": hookimpl(lambda self: ["coach.note"])}), "not an Action"),
    (type("Prefix", (), {"register_actions": hookimpl(lambda self: [Action("other.x", LEADERS, "x", "x")])}),
     "name it prefix.<thing>"),
    (type("Role", (), {"register_actions": hookimpl(lambda self: [Action("role.x", ("boss",), "x", "x")])}),
     "unknown roles"),
])
def test_a_bad_declaration_stops_start_up_naming_the_plugin(plugin, problem):
    pm = make_plugin_manager(builtins=[])
    pm.register(plugin(), name=plugin.__name__.lower())
    with pytest.raises((TypeError, ValueError)) as err:
        collect_actions(pm)
    assert problem in str(err.value) and plugin.__name__.lower() in str(err.value)


def test_a_duplicate_action_names_both_plugins():
    pm = make_plugin_manager(builtins=[])
    pm.register(Coach(), name="coach")
    pm.register(Coach(), name="coach2")
    with pytest.raises(ValueError) as err:
        collect_actions(pm)
    assert "coach2" in str(err.value)  # coach2 may not declare coach.note: wrong prefix or duplicate


def test_a_user_leads_only_teams_of_projects_it_sees(fw):
    fw.users.add("tl", "a-long-password-1", ["team_leader"], "setup", projects=["alpha"], teams=["alpha.day"])
    assert [u["username"] for u in fw.users.leading("alpha", "day")] == ["tl"]
    with pytest.raises(ValidationError):
        fw.users.update("tl", "setup", teams=["beta.main"])
    with pytest.raises(ValidationError):
        fw.users.update("tl", "setup", teams=["alpha.nope"])
    fw.teams.create("alpha", "eve", "Evening", "setup", leader="tl")
    assert fw.users.get("tl")["teams"] == ["alpha.day", "alpha.eve"]


@pytest.mark.files_only  # an old core.json upgraded on open
def test_an_old_data_folder_links_each_team_leader_to_their_team(tmp_path):
    """Schema 1 named a team's leader on the team; schema 2 keeps the link on the user."""
    root = tmp_path / "data"
    fw = company(root)
    fw.users.add("tl", "a-long-password-1", ["team_leader"], "setup", projects=["alpha"])
    fw.store.fold("core")  # the journal's commits into the file this test edits
    path = root / "core.json"
    data = orjson.loads(path.read_bytes())
    data["_meta"]["schema"] = 1
    data["teams"]["alpha.night"]["leader"] = "tl"
    data["users"]["tl"].pop("teams")
    path.write_bytes(orjson.dumps(data))
    again = Floorwalker(store_for(root), make_plugin_manager(builtins=[]))
    assert again.users.get("tl")["teams"] == ["alpha.night"]
    assert "leader" not in again.teams.get("alpha", "night")
