"""Who may do what, from the command line: a project's actions, the teams a leader leads."""

import json

import pytest

from floorwalker.core.plugins import make_plugin_manager


@pytest.fixture
def pm():
    return make_plugin_manager(builtins=("attendance", "incentives"))


def test_an_admin_gives_an_action_to_other_roles_and_back(run, fw, snapshot):
    shown = json.loads(run("project", "actions", "acme", "--format", "json").output)
    record = next(r for r in shown if r["action"] == "incentives.record")
    assert "team_leader" in record["roles"] and "qa" not in record["roles"] and record["writes"]
    result = run("project", "allow", "acme", "incentives.record", "--role", "supervisor", "--role", "qa")
    assert result.exit_code == 0, result.output
    assert "admin, qa, supervisor" in result.output
    assert fw.access.roles("incentives.record", fw.projects.get("acme")) == {"admin", "qa", "supervisor"}
    assert "qa" not in fw.access.roles("incentives.record", fw.projects.get("beta"))
    assert run("project", "allow", "acme", "incentives.record", "--default").exit_code == 0
    assert "team_leader" in fw.access.roles("incentives.record", fw.projects.get("acme"))


def test_a_client_is_never_given_pay_and_the_refusal_is_in_chinese(run, fw, snapshot, error_line):
    before = snapshot()
    result = run("project", "allow", "acme", "incentives.manage", "--role", "client", lang="zh_CN")
    assert result.exit_code != 0 and "不能把 incentives.manage 授予 client" in error_line(result)
    assert snapshot() == before


def test_a_leader_is_linked_to_the_teams_they_lead(run, fw):
    fw.teams.create("acme", "night", "Night team", "admin")
    result = run("user", "add", "lead", "--role", "team_leader", "--project", "acme",
                 "--team", "acme.day", "--password-stdin", input="a-long-password-1\n")
    assert result.exit_code == 0, result.output
    assert fw.users.get("lead")["teams"] == ["acme.day"]
    assert run("user", "teams", "lead", "--team", "acme.day", "--team", "acme.night").exit_code == 0
    assert fw.users.get("lead")["teams"] == ["acme.day", "acme.night"]
    teams = json.loads(run("team", "list", "--project", "acme", "--format", "json").output)
    assert {t["slug"]: t["leaders"] for t in teams} == {"day": "lead", "night": "lead"}
    refused = run("user", "teams", "lead", "--team", "beta.main")
    assert refused.exit_code != 0 and fw.users.get("lead")["teams"] == ["acme.day", "acme.night"]
