"""The floorwalker commands: what each does, and how each refuses a user's mistake.

A refused command prints one line ``error: …`` naming the field, exits non-zero, and writes
nothing (the data folder's bytes are compared before and after).
"""

import datetime as dt
import json

import pytest

from floorwalker.core.floorwalker import open_floorwalker
from floorwalker.core.store import CORE

MONTH, DAY = "2025-03", "2025-03-10"


# ---------------------------------------------------------------- init and users

def test_init_creates_the_first_admin_from_stdin(run, data, pm):
    result = run("init", "--admin", "Boss", "--password-stdin", input="s3cret-pass\n")
    assert result.exit_code == 0, result.output
    fw = open_floorwalker(data, pm=pm)
    assert fw.users.authenticate("boss", "s3cret-pass")["roles"] == ["admin"]
    entry = next(e for e in fw.store.audit_entries() if e["action"] == "user.add")
    assert entry["actor"] == "tester"


def test_init_prompts_twice_for_the_password(run, data, pm):
    result = run("init", "--admin", "boss", input="s3cret-pass\ns3cret-pass\n")
    assert result.exit_code == 0, result.output
    assert open_floorwalker(data, pm=pm).users.authenticate("boss", "s3cret-pass")


def test_init_refuses_a_folder_that_has_users(run, data, snapshot, error_line):
    run("init", "--admin", "boss", "--password-stdin", input="s3cret-pass\n")
    before = snapshot()
    result = run("init", "--admin", "other", "--password-stdin", input="another-pass\n")
    assert "already has users" in error_line(result)
    assert snapshot() == before


def test_init_refuses_a_short_password_naming_the_field(run, data, error_line):
    result = run("init", "--admin", "boss", "--password-stdin", input="short\n")
    assert error_line(result).startswith("error: password:")
    assert not (data / "core.json").exists()


def test_user_add_list_passwd_disable(run, fw):
    assert run("user", "add", "lily", "--role", "team_leader", "--project", "acme",
               "--password-stdin", input="lily-pass-1\n").exit_code == 0
    listing = run("user", "list", "--format", "json")
    users = json.loads(listing.output)
    assert [(u["username"], u["roles"], u["projects"]) for u in users] == [
        ("lily", ["team_leader"], ["acme"])]
    assert "password_hash" not in users[0]
    assert run("user", "passwd", "lily", "--password-stdin", input="new-pass-22\n").exit_code == 0
    assert fw.users.authenticate("lily", "new-pass-22")
    assert run("user", "disable", "lily").exit_code == 0
    assert fw.users.authenticate("lily", "new-pass-22") is None


@pytest.mark.parametrize("args, field", [
    (["--role", "boss"], "roles"),
    (["--role", "team_leader"], "projects"),
    (["--role", "qa", "--project", "nope"], "nope"),
    (["--role", "agent", "--project", "acme"], "agent"),
])
def test_user_add_refuses_bad_input(run, fw, snapshot, error_line, args, field):
    before = snapshot()
    line = error_line(run("user", "add", "lily", *args, "--password-stdin", input="lily-pass-1\n"))
    assert field in line
    assert snapshot() == before


# ---------------------------------------------------------------- projects and teams

def test_project_create_show_set_enable(run, fw):
    result = run("project", "create", "gamma", "--client", "Gamma Inc", "--channel", "chat",
                 "--channel", "voice")
    assert result.exit_code == 0, result.output
    assert run("project", "set", "gamma", "status", "paused").exit_code == 0
    shown = json.loads(run("project", "show", "gamma", "--format", "json").output)[0]
    assert (shown["client"], shown["channels"], shown["status"]) == ("Gamma Inc", ["chat", "voice"], "paused")
    listing = run("project", "list", "--format", "csv").output.splitlines()
    assert listing[0].startswith("slug,client")
    assert [line.split(",")[0] for line in listing[1:]] == ["acme", "beta", "gamma"]


def test_project_enable_unknown_plugin_names_the_field(run, fw, snapshot, error_line):
    before = snapshot()
    assert "plugin" in error_line(run("project", "enable", "acme", "no-such-plugin"))
    assert snapshot() == before


@pytest.mark.parametrize("args, needle", [
    (["project", "create", "Bad Slug", "--client", "X"], "project:"),
    (["project", "create", "acme", "--client", "X"], "already exists"),
    (["project", "create", "gamma", "--client", "X", "--channel", "fax"], "channels:"),
    (["project", "show", "nope"], "no project 'nope'"),
    (["project", "set", "acme", "colour", "red"], "colour"),
    (["team", "create", "--project", "nope", "night", "--name", "Night"], "no project"),
    (["team", "create", "--project", "acme", "day", "--name", "Day"], "already exists"),
])
def test_project_and_team_mistakes(run, fw, snapshot, error_line, args, needle):
    before = snapshot()
    assert needle in error_line(run(*args))
    assert snapshot() == before


def test_team_create_and_list(run, fw):
    assert run("team", "create", "--project", "acme", "night", "--name", "Night team").exit_code == 0
    teams = json.loads(run("team", "list", "--project", "acme", "--format", "json").output)
    assert [t["slug"] for t in teams] == ["day", "night"]


# ---------------------------------------------------------------- agents

def test_agent_add_list_move_leave(run, fw):
    assert run("team", "create", "--project", "acme", "night", "--name", "Night").exit_code == 0
    assert run("agent", "add", "--project", "acme", "--number", "1003", "--name", "Zhao Li",
               "--team", "day", "--hired", "2025-02-01", "--tier", "senior").exit_code == 0
    result = run("agent", "move", "1003", "--project", "acme", "--team", "night", "--from", "2025-03-16")
    assert result.exit_code == 0, result.output
    march = json.loads(run("agent", "list", "--project", "acme", "--month", MONTH,
                           "--team", "night", "--format", "json").output)
    assert [(a["number"], a["tier"], a["team"]) for a in march] == [("1003", "senior", "night")]
    assert run("agent", "leave", "1003", "--date", "2025-04-30", "--reason", "resigned").exit_code == 0
    assert fw.agents.get("1003")["status"] == "left"


@pytest.mark.parametrize("args, needle", [
    (["--number", "1003", "--name", "X", "--hired", "2025-02-30"], "hire date:"),
    (["--number", "1001", "--name", "X", "--hired", "2025-02-01"], "employee number:"),
    (["--number", "10 03", "--name", "X"], "employee number:"),
    (["--number", "1003", "--name", "X", "--team", "night"], "team:"),
    (["--number", "1003", "--name", "X", "--tier", "boss"], "tier:"),
])
def test_agent_add_mistakes_name_the_field(run, fw, snapshot, error_line, args, needle):
    before = snapshot()
    assert needle in error_line(run("agent", "add", "--project", "acme", *args))
    assert snapshot() == before


@pytest.mark.parametrize("args, needle", [
    (["agent", "leave", "1001", "--date", "2025-04-31", "--reason", "resigned"], "leave date:"),
    (["agent", "leave", "1001", "--date", "2025-04-30", "--reason", "bored"], "reason:"),
    (["agent", "leave", "9999", "--date", "2025-04-30", "--reason", "resigned"], "9999"),
    (["agent", "move", "1001", "--project", "nope", "--from", "2025-04-01"], "no project"),
    (["agent", "move", "1001", "--project", "beta", "--from", "April"], "start date:"),
    (["agent", "list", "--project", "acme", "--month", "2025-13"], "month:"),
])
def test_agent_mistakes(run, fw, snapshot, error_line, args, needle):
    before = snapshot()
    assert needle in error_line(run(*args))
    assert snapshot() == before


# ---------------------------------------------------------------- periods and scores

def test_scores_record_and_sheet_as_json(run, fw):
    result = run("scores", "record", "--project", "acme", "--agent", "1001", "--rule", "late_or_early",
                 "--points", "-4", "--date", DAY, "--reason", "late 12 min", "--evidence", "att:1")
    assert result.exit_code == 0, result.output
    event_id = fw.ledger.events("acme", MONTH)[0]["id"]
    assert run("scores", "reverse", event_id, "--reason", "excused").exit_code == 0
    fw.ledger.record("acme", "1001", "loud", DAY, "tl", reason="noise")
    sheet = json.loads(run("scores", "--project", "acme", "--month", MONTH, "--format", "json").output)
    row = next(r for r in sheet if r["number"] == "1001")
    assert (row["name"], row["total"], row["team"]) == ("Li Lei", 78, "day")
    assert [(e["rule"], e["points"]) for e in row["events"]] == [
        ("late_or_early", -4), ("late_or_early", 4), ("loud", -2)]
    for event in row["events"]:
        assert {"id", "date", "rule", "points", "source", "evidence", "reversed_by"} <= event.keys()
    original = next(e for e in row["events"] if e["id"] == event_id)
    assert (original["evidence"], original["source"]) == ("att:1", "core")
    assert original["reversed_by"] is not None
    assert [r["number"] for r in sheet] == ["1001", "1002"]


def test_scores_sheet_as_table_and_csv(run, fw):
    fw.ledger.record("acme", "1002", "absent", DAY, "tl", reason="no show")
    table = run("scores", "--project", "acme", "--month", MONTH).output.splitlines()
    assert table[0].split()[:3] == ["employee", "number", "name"]
    assert table[3].split()[:2] == ["1002", "Han"] and table[3].split()[-1] == "60"
    rows = run("scores", "--project", "acme", "--month", MONTH, "--format", "csv").output.splitlines()
    assert rows[2].startswith("1002,Han Meimei,Day team,80,0,-20,")  # the team's name, not its code


def test_scores_rules_lists_the_catalogue_with_project_overrides(run, fw):
    fw.projects.configure("acme", "core", {"rule_points": {"loud": -3}}, "admin")
    rules = {r["code"]: r for r in json.loads(run("scores", "rules", "--project", "acme",
                                                   "--format", "json").output)}
    assert rules["loud"]["points"] == -3
    assert rules["leader_judgement"]["range"] == "-5…+5"
    plain = {r["code"]: r for r in json.loads(run("scores", "rules", "--format", "json").output)}
    assert plain["loud"]["points"] == -2


@pytest.mark.parametrize("change, needle", [
    ({"--rule": "no_such_rule"}, "rule:"),
    ({"--rule": "duties_failed"}, "rule:"),
    ({"--points": "-9"}, "points:"),
    ({"--agent": "2001"}, "agent:"),
    ({"--agent": "9999"}, "9999"),
    ({"--date": "2025-02-30"}, "date:"),
    ({"--project": "nope"}, "no project"),
    ({"--rule": "leader_judgement", "--points": "3", "--reason": " "}, "reason"),
])
def test_scores_record_mistakes(run, fw, snapshot, error_line, change, needle):
    args = {"--project": "acme", "--agent": "1001", "--rule": "late_or_early", "--points": "-3",
            "--date": DAY, "--reason": "late"}
    args.update(change)
    before = snapshot()
    assert needle in error_line(run("scores", "record", *[x for kv in args.items() for x in kv]))
    assert snapshot() == before


def test_scores_record_refuses_a_second_judgement_in_the_month(run, fw, snapshot, error_line):
    args = ["scores", "record", "--project", "acme", "--agent", "1001", "--rule", "leader_judgement",
            "--points", "3", "--reason", "steady"]
    assert run(*args, "--date", DAY).exit_code == 0
    before = snapshot()
    line = error_line(run(*args, "--date", "2025-03-31"))
    assert line == "error: agent 1001 already has “Team leader's judgement of the month” for 2025-03; reverse it to change it"
    assert snapshot() == before


def test_scores_without_project_is_a_usage_error(run, fw):
    result = run("scores", "--month", MONTH)
    assert result.exit_code == 2 and "--project" in result.output


def test_period_close_locks_the_month(run, fw, snapshot, error_line):
    listed = lambda: json.loads(run("period", "list", "--project", "acme", "--format", "json").output)  # noqa: E731
    this_month = dt.date.today().isoformat()[:7]
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).isoformat()[:7]
    assert [p["month"] for p in listed()] == [last_month, this_month]  # no data yet
    assert run("period", "close", "--project", "acme", "2025-02").exit_code == 0
    assert fw.periods.state("acme", "2025-02") == "closed"
    assert [p["state"] for p in listed()[:2]] == ["closed", "open"]  # from the first closed month
    before = snapshot()
    line = error_line(run("scores", "record", "--project", "acme", "--agent", "1001", "--rule", "loud",
                          "--date", "2025-02-10", "--reason", "late"))
    assert "2025-02 of project acme is closed" in line
    assert "already closed" in error_line(run("period", "close", "--project", "acme", "2025-02"))
    assert "not ended" in error_line(run("period", "close", "--project", "acme", this_month))
    assert snapshot() == before


# ---------------------------------------------------------------- plugins

def test_plugins_lists_and_guards_the_allowlist(run, fw, snapshot, error_line):
    assert run("plugins").exit_code == 0
    before = snapshot()
    assert "plugin:" in error_line(run("plugins", "allow", "not-installed-anywhere"))
    assert "not on the allowlist" in error_line(run("plugins", "deny", "not-installed-anywhere"))
    assert snapshot() == before


def test_plugins_deny_removes_a_name_from_the_allowlist(run, fw):
    fw.set_install("admin", plugins_allowlist=["training", "other"])
    assert run("plugins", "deny", "training").exit_code == 0
    assert fw.install_settings()["plugins_allowlist"] == ["other"]


def test_a_plugins_command_takes_the_session_and_the_kits_options(data, pm, fw, error_line):
    """What `floorwalker.core` gives a plugin's command: the `Session` as ``ctx.obj``, and
    ``--project``, ``--month`` (this month on the project's clock when left out, else checked)
    and ``--format``, the same options as the core's commands."""
    import click
    from click.testing import CliRunner

    from floorwalker.cli import make_cli
    from floorwalker.core import Session, format_option, hookimpl, month_option, project_option

    class Training:
        @hookimpl
        def register_commands(self, cli):
            @cli.command()
            @project_option
            @month_option
            @format_option
            @click.pass_obj
            def training(s, project, month, fmt):
                assert isinstance(s, Session) and s.actor == "tester"
                s.show([{"project": project, "month": month}], [("month", "month")], fmt)

    pm.register(Training(), name="training")

    def run(*args):
        return CliRunner().invoke(make_cli(pm), ["--data", str(data), "--as", "tester", "--lang",
                                                 "en", "training", "--project", "acme", *args])

    assert json.loads(run("--format", "json").output) == [
        {"project": "acme", "month": fw.projects.today("acme").isoformat()[:7]}]
    assert "2025-02" in run("--month", "2025-02").output
    assert error_line(run("--month", "2025-13")) == \
        "error: month: expected a month as YYYY-MM, got '2025-13'"


# ---------------------------------------------------------------- the data folder

def test_check_reports_every_file(run, fw):
    fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    report = json.loads(run("check", "--format", "json").output)
    assert [r["file"] for r in report] == ["core", "projects/acme/score_events/2025-03"]
    assert "2 data files checked" in run("check").output


@pytest.mark.files_only  # a damaged data file
def test_a_damaged_file_is_named_and_nothing_starts(run, fw, data, error_line):
    (data / "core.json").write_bytes(b'{"_meta": {"sche')
    for args in (["check"], ["project", "list"]):
        line = error_line(run(*args))
        assert str(data / "core.json") in line and "damaged" in line


def test_serve_says_clearly_when_the_web_interface_is_missing(run, fw, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "floorwalker.core.app", None)
    result = run("serve", "--port", "0")
    assert result.exit_code == 1
    assert "floorwalker.core.app is missing" in result.stderr


# ---------------------------------------------------------------- languages

def test_errors_in_chinese(run, fw, error_line):
    run("init", "--admin", "boss", "--password-stdin", input="s3cret-pass\n")
    line = error_line(run("init", "--admin", "boss", "--password-stdin", input="s3cret-pass\n",
                          lang="zh_CN"))
    assert line.startswith("错误：")
    assert "已有用户" in line


def test_language_comes_from_the_environment(data, pm, fw, monkeypatch, error_line):
    from click.testing import CliRunner

    from floorwalker.cli import make_cli

    monkeypatch.setenv("FLOORWALKER_LANG", "zh_CN")
    result = CliRunner().invoke(make_cli(pm), ["--data", str(data), "agent", "import", "x.txt",
                                               "--project", "acme"])
    assert "请使用 .csv 或 .xlsx 文件" in error_line(result)
    monkeypatch.setenv("FLOORWALKER_LANG", "en")
    result = CliRunner().invoke(make_cli(pm), ["--data", str(data), "agent", "import", "x.txt",
                                               "--project", "acme"])
    assert error_line(result) == "error: file: use a .csv or .xlsx file, got x.txt"


def test_success_messages_in_chinese(run, fw):
    result = run("team", "create", "--project", "acme", "night", "--name", "夜班", lang="zh_CN")
    assert result.output.strip() == "已在项目 acme 中创建班组 night。"


def test_cli_writes_are_audited_as_the_login_name_by_default(data, pm, fw):
    import getpass

    from click.testing import CliRunner

    from floorwalker.cli import make_cli

    CliRunner().invoke(make_cli(pm), ["--data", str(data), "project", "set", "acme", "name", "A"])
    entry = [e for e in fw.store.audit_entries() if e["action"] == "project.set"][-1]
    assert entry["actor"] == f"cli:{getpass.getuser()}"
    assert fw.store.table(CORE, "projects")["acme"]["name"] == "A"


def test_serve_runs_the_web_app_in_one_worker_when_told(run, fw, monkeypatch):
    """`--workers 1` serves the app built in this process; more workers get the factory each of
    them calls (tests/cli/test_serving.py, tests/cli/test_workers.py)."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    result = run("serve", "--host", "127.0.0.1", "--port", "8123", "--workers", "1")
    assert result.exit_code == 0, result.output
    ((app, options),) = calls
    assert options == {"host": "127.0.0.1", "port": 8123, "workers": 1, "proxy_headers": False}
    assert callable(app)


@pytest.mark.files_only  # a data file's lock held
def test_a_busy_data_file_is_one_line_and_exit_code_3(run, fw, data, monkeypatch, snapshot, error_line):
    from functools import partial

    from filelock import FileLock

    import floorwalker.core.commands as kit

    monkeypatch.setattr(kit, "open_floorwalker", partial(open_floorwalker, lock_timeout=0.1))
    before = snapshot()
    with FileLock(str(data / "core.json") + ".lock"):
        result = run("team", "create", "--project", "acme", "night", "--name", "Night")
    assert result.exit_code == 3
    assert error_line(result) == f"error: the data file {data / 'core.json'} is busy; try again in a moment"
    assert snapshot() == before


def test_a_violation_beside_the_best_of_the_month_is_recorded_with_a_warning(run, fw):
    fw.ledger.record("acme", "1002", "best_of_month", "2025-03-05", "tl")
    done = run("scores", "record", "--project", "acme", "--agent", "1002", "--rule", "late_or_early",
               "--points", "-2", "--date", DAY, "--reason", "bus", lang="zh_CN")
    assert done.exit_code == 0, done.output
    assert done.stderr.strip() == "警告：1002 已获 2025-03 本月最佳：请在结账前冲销该奖励或该违规"
    assert [e["rule"] for e in fw.ledger.events("acme", MONTH)] == ["best_of_month", "late_or_early"]
    table = run("scores", "--project", "acme", "--month", MONTH, lang="zh_CN").output
    assert "本月最佳与违规并存" in table and "award_faulted" not in table
    other = run("scores", "record", "--project", "acme", "--agent", "1001", "--rule", "loud",
                "--date", DAY, "--reason", "shouting")
    assert other.exit_code == 0 and other.stderr == ""  # no award, no warning


def test_the_chinese_sheet_and_agent_list_show_names_not_codes(run, fw):
    fw.agents.add("acme", "1003", "Wang Wu", "admin", team="day", hired="2025-01-01", tier="senior",
                  position="team_leader")
    sheet = run("scores", "--project", "acme", "--month", MONTH, "--format", "csv", lang="zh_CN").output
    assert "Day team" in sheet and ",day," not in sheet
    listed = run("agent", "list", "--project", "acme", "--month", MONTH, lang="zh_CN").output
    row = next(line for line in listed.splitlines() if line.startswith("1003"))
    assert row.split()[4:] == ["team", "2025-01-01", "高级客服", "班长", "在职"], row
    assert "Day team" in row
    coded = json.loads(run("agent", "list", "--project", "acme", "--month", MONTH, "--format", "json",
                           lang="zh_CN").output)
    assert {(a["number"], a["tier"], a["status"], a["team"]) for a in coded if a["number"] == "1003"} == \
        {("1003", "senior", "active", "day")}
