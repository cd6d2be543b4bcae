"""Agents and their assignments over time; the agent hooks reach only enabled plugins."""

import pytest

from floorwalker.core import Conflict, NotFound, ValidationError, hookimpl
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ..pgcluster import store_for


class Watcher:
    """Records every agent notification it receives."""

    def __init__(self):
        self.seen = []

    @hookimpl
    def on_agent_created(self, project, agent):
        self.seen.append(("created", project["slug"], agent["number"]))

    @hookimpl
    def on_agent_moved(self, project, agent, assignment, previous):
        self.seen.append(("moved", project["slug"], agent["number"], assignment["start"],
                          previous and previous["end"]))

    @hookimpl
    def on_agent_left(self, project, agent, date, reason):
        self.seen.append(("left", project["slug"], agent["number"], date, reason))

    @hookimpl
    def on_agent_tier_changed(self, project, agent, old_tier, new_tier):
        self.seen.append(("tier", project["slug"], agent["number"], old_tier, new_tier))


@pytest.fixture
def watcher():
    return Watcher()


@pytest.fixture
def fw(tmp_path, watcher):
    pm = make_plugin_manager(builtins=())
    pm.register(watcher, name="watcher")
    fw = Floorwalker(store_for(tmp_path), pm)
    fw.projects.create("acme", "Acme", "admin")
    fw.projects.create("quiet", "Quiet Co", "admin", plugins=[])
    for project in ("acme", "quiet"):
        fw.teams.create(project, "day", "Day team", "admin")
        fw.teams.create(project, "night", "Night team", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", team="day", hired="2025-01-01")
    watcher.seen.clear()
    return fw


def test_employee_number_is_unique_in_the_company(fw):
    with pytest.raises(ValidationError) as err:
        fw.agents.add("quiet", "1001", "Someone Else", "admin", hired="2025-01-01")
    assert err.value.field == "employee number"
    assert fw.agents.get("1001")["name"] == "Li Lei"


def test_a_batch_with_a_repeated_number_writes_nothing(fw):
    pairs = [fw.agents.new_agent_docs("acme", n, "A", hired="2025-01-01") for n in ("2001", "2001")]
    with pytest.raises(ValidationError) as err:
        fw.agents.add_many("acme", pairs, "admin", rows=[2, 3])
    assert (err.value.field, err.value.row) == ("employee number", 3)
    with pytest.raises(NotFound):
        fw.agents.get("2001")


@pytest.mark.parametrize("field, kwargs", [
    ("employee number", {"number": "10 01"}),
    ("name", {"name": " "}),
    ("hire date", {"hired": "2025-13-01"}),
    ("tier", {"tier": "platinum"}),
    ("team", {"team": "swing"}),
])
def test_a_new_agent_is_checked_field_by_field(fw, field, kwargs):
    args = {"number": "3001", "name": "Wang Fang", "hired": "2025-01-01", **kwargs}
    with pytest.raises(ValidationError) as err:
        fw.agents.add("acme", args.pop("number"), args.pop("name"), "admin", **args)
    assert err.value.field == field


def test_where_an_agent_was_on_any_date_is_a_query(fw):
    fw.agents.move("1001", "acme", "admin", team="night", start="2025-03-15")
    fw.agents.move("1001", "quiet", "admin", team="day", start="2025-05-01")
    where = lambda day: (lambda a: a and (a["project"], a["team"]))(  # noqa: E731
        fw.agents.assignment_on("1001", day))
    assert where("2024-12-31") is None
    assert where("2025-01-01") == ("acme", "day")
    assert where("2025-03-14") == ("acme", "day")
    assert where("2025-03-15") == ("acme", "night")
    assert where("2025-04-30") == ("acme", "night")
    assert where("2025-05-01") == ("quiet", "day")


def test_a_past_month_reports_who_was_where_then(fw):
    fw.agents.move("1001", "quiet", "admin", team="day", start="2025-03-15")
    in_month = lambda project, month: [  # noqa: E731
        (a["number"], s["team"]) for a, s in fw.agents.in_month(project, month)]
    assert in_month("acme", "2025-02") == [("1001", "day")]
    assert in_month("quiet", "2025-02") == []
    assert in_month("acme", "2025-03") == [("1001", "day")]
    assert in_month("quiet", "2025-03") == [("1001", "day")]
    assert in_month("acme", "2025-04") == []


def test_a_move_cannot_start_on_or_before_the_current_assignment(fw):
    fw.agents.move("1001", "acme", "admin", team="night", start="2025-03-15")
    with pytest.raises(Conflict):
        fw.agents.move("1001", "acme", "admin", team="day", start="2025-03-15")


def test_leaving_ends_the_assignment_and_drops_future_ones(fw):
    fw.agents.move("1001", "quiet", "admin", team="day", start="2025-06-01")
    agent = fw.agents.leave("1001", "2025-04-10", "resigned", "admin")
    assert (agent["status"], agent["left_on"], agent["leave_reason"]) == \
        ("left", "2025-04-10", "resigned")
    spans = [(a["project"], a["start"], a["end"]) for a in fw.agents.assignments("1001")]
    assert spans == [("acme", "2025-01-01", "2025-04-10")]
    assert fw.agents.assignment_on("1001", "2025-04-11") is None


def test_a_leaver_appears_in_the_month_of_leaving_only(fw):
    fw.agents.leave("1001", "2025-04-10", "resigned", "admin")
    assert [a["number"] for a, _ in fw.agents.in_month("acme", "2025-04")] == ["1001"]
    assert fw.agents.in_month("acme", "2025-05") == []
    assert [r["number"] for r in fw.ledger.sheet("acme", "2025-04")] == ["1001"]


@pytest.mark.parametrize("date, reason, field", [
    ("2024-12-31", "resigned", "leave date"), ("2025-04-10", "bored", "reason")])
def test_leave_is_checked(fw, date, reason, field):
    with pytest.raises(ValidationError) as err:
        fw.agents.leave("1001", date, reason, "admin")
    assert err.value.field == field


def test_a_leaver_cannot_leave_again_or_move(fw):
    fw.agents.leave("1001", "2025-04-10", "resigned", "admin")
    with pytest.raises(Conflict):
        fw.agents.leave("1001", "2025-04-11", "resigned", "admin")
    with pytest.raises(Conflict):
        fw.agents.move("1001", "quiet", "admin", start="2025-05-01")


def test_hooks_reach_plugins_the_project_enables(fw, watcher):
    fw.agents.add("acme", "1002", "Wang Fang", "admin", hired="2025-01-01")
    fw.agents.move("1002", "acme", "admin", team="night", start="2025-02-01")
    fw.agents.set_tier("1002", "senior", "admin")
    fw.agents.leave("1002", "2025-04-10", "contract_end", "admin")
    assert watcher.seen == [
        ("created", "acme", "1002"),
        ("moved", "acme", "1002", "2025-02-01", "2025-01-31"),
        ("tier", "acme", "1002", "regular", "senior"),
        ("left", "acme", "1002", "2025-04-10", "contract_end"),
    ]


def test_tier_change_is_announced_to_the_current_project(fw, watcher):
    fw.agents.set_tier("1001", "gold", "admin")
    fw.agents.set_tier("1001", "gold", "admin")  # no change, no notification
    assert watcher.seen == [("tier", "acme", "1001", "regular", "gold")]


def test_hooks_skip_plugins_the_project_does_not_enable(fw, watcher):
    fw.agents.add("quiet", "2001", "Zhang Wei", "admin", hired="2025-01-01")
    fw.agents.set_tier("2001", "senior", "admin")
    fw.agents.leave("2001", "2025-04-10", "resigned", "admin")
    assert watcher.seen == []


def test_a_move_is_announced_to_the_new_project(fw, watcher):
    fw.projects.enable("quiet", "watcher", "admin")
    fw.projects.disable("acme", "watcher", "admin")
    fw.agents.move("1001", "quiet", "admin", start="2025-02-01")
    assert [s[:2] for s in watcher.seen] == [("moved", "quiet")]


def test_a_move_is_announced_to_the_project_left_behind(fw, watcher):
    fw.agents.move("1001", "quiet", "admin", start="2025-02-01")
    assert watcher.seen == [("moved", "quiet", "1001", "2025-02-01", "2025-01-31")]


def test_an_import_row_with_a_bad_hire_date_names_row_field_and_value(fw):
    with pytest.raises(ValidationError) as err:
        fw.agents.new_agent_docs("acme", "3001", "Wang Fang", hired="2025-02-30", field_row=7)
    assert (err.value.field, err.value.row) == ("hire date", 7)
    assert "2025-02-30" in str(err.value)
