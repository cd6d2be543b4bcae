"""Fixtures of the command-line tests: a data folder with one project, and a way to run commands."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.core.floorwalker import open_floorwalker
from floorwalker.core.plugins import make_plugin_manager

from .pgserver import pg_server  # noqa: F401 (one PostgreSQL server for the folder's tests)

MONTH = "2025-03"
DAY = "2025-03-10"


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def pm():
    return make_plugin_manager(builtins=())


@pytest.fixture
def fw(data, pm):
    """A company: project acme (team day, agents 1001 and 1002), project beta (agent 2001)."""
    fw = open_floorwalker(data, pm=pm)
    fw.projects.create("acme", "Acme Co", "admin")
    fw.teams.create("acme", "day", "Day team", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1002", "Han Meimei", "admin", team="day", hired="2025-01-01")
    fw.projects.create("beta", "Beta Ltd", "admin")
    fw.agents.add("beta", "2001", "Wang Fang", "admin", hired="2025-01-01")
    return fw


@pytest.fixture
def run(data, pm):
    """Run a command against the data folder in English (or `lang=`); returns click's Result."""
    cli = make_cli(pm)
    runner = CliRunner()

    def invoke(*args, input=None, lang="en"):
        return runner.invoke(cli, ["--data", str(data), "--lang", lang, "--as", "tester", *args],
                             input=input)

    return invoke


@pytest.fixture
def snapshot(data):
    """Every file of the data folder with its bytes (lock files aside): equal means nothing written."""
    def take(folder: Path = data) -> dict[str, bytes]:
        if not folder.exists():
            return {}
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and not p.name.endswith(".lock")}

    return take


@pytest.fixture
def error_line():
    """The one line a failed command prints; fails the test if there is more, or exit code 0."""
    def line(result) -> str:
        assert result.exit_code != 0, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        lines = result.stderr.strip().splitlines()  # a progress bar may come first
        assert lines and lines[-1].startswith(("error: ", "错误：")), result.stderr
        assert len([x for x in lines if x.startswith(("error", "错误"))]) == 1, result.stderr
        assert "Traceback" not in result.output
        return lines[-1]

    return line
