"""The installed `floorwalker` console script, `main()`, and the CLI's Chinese catalogue."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import floorwalker
from floorwalker.cli import main
from floorwalker.core.i18n import LOCALE_DIR

from ..pgcluster import store_for

ROOT = Path(floorwalker.__file__).parent
SCRIPT = Path(sys.executable).parent / "floorwalker"
# the files whose messages cli.po translates: the command line, the core's commands and kit,
# and what only they use
MINE = ["cli.py", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "core/commands").glob("*.py")),
        "core/importing.py", "core/reading.py", "core/mappings.py", "core/backup.py", "core/tables.py"]


def test_the_console_script_runs_commands_and_reports_errors(tmp_path):
    env = {**os.environ, "FLOORWALKER_DATA": str(tmp_path / "data"), "FLOORWALKER_LANG": "en"}

    def floorwalker_cmd(*args, input=None):
        return subprocess.run([str(SCRIPT), *args], input=input, capture_output=True, text=True,
                              env=env, cwd=tmp_path, timeout=60)

    done = floorwalker_cmd("init", "--admin", "boss", "--password-stdin", input="s3cret-pass\n")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "core.json").exists()
    assert floorwalker_cmd("project", "create", "acme", "--client", "Acme").returncode == 0
    failed = floorwalker_cmd("--lang", "zh_CN", "agent", "add", "--project", "acme", "--number", "1",
                             "--name", "Li", "--hired", "2025-02-30")
    assert failed.returncode == 1
    assert failed.stderr.startswith("错误：") and failed.stderr.count("\n") == 1
    assert "2025-02-30" in failed.stderr and "Traceback" not in failed.stderr


def test_importing_the_cli_touches_no_data(tmp_path):
    code = ("import sys, floorwalker.cli; "
            "assert not [m for m in sys.modules if m.startswith('floorwalker.plugins.')]")
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True, timeout=60,
                   env={**os.environ, "FLOORWALKER_DATA": str(tmp_path / "data")})
    assert list(tmp_path.iterdir()) == []


def test_main_finds_the_data_folder_in_argv_before_parsing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FLOORWALKER_DATA", str(tmp_path / "elsewhere"))
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO("s3cret-pass\n"))
    with pytest.raises(SystemExit) as exit_:
        main([f"--data={tmp_path / 'chosen'}", "--lang", "en", "init", "--admin", "boss",
              "--password-stdin"])
    assert exit_.value.code == 0
    assert "boss" in store_for(tmp_path / "chosen").table("core", "users")
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.files_only  # a damaged data file
def test_main_names_a_damaged_data_file(tmp_path, capsys):
    (tmp_path / "core.json").write_bytes(b"")
    with pytest.raises(SystemExit) as exit_:
        main(["--data", str(tmp_path), "--lang", "en", "user", "list"])
    assert exit_.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith(f"error: the data file {tmp_path / 'core.json'} is damaged (the file is empty)")


def _marked_messages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
            found.add(node.args[0].value)
    return found


def test_every_message_of_the_cli_has_a_chinese_translation():
    others = set()
    for path in (ROOT / "core").rglob("*.py"):
        if path.relative_to(ROOT).as_posix() not in MINE:
            others |= _marked_messages(path)
    with open(LOCALE_DIR / "zh_CN/LC_MESSAGES/cli.po", "rb") as fh:  # the core's, not a plugin's
        catalog = read_po(fh, locale="zh_CN")
    translated = {m.id for m in catalog if m.id and m.string}
    mine = set().union(*(_marked_messages(ROOT / name) for name in MINE))
    assert sorted(mine - others - translated) == []
    assert sorted(translated - mine) == [], "cli.po translates messages the CLI no longer uses"
    assert not translated & others, "these belong to another area's .po file"


def test_a_plugin_that_cannot_load_stops_all_but_the_way_out(tmp_path, monkeypatch, capsys):
    import floorwalker.cli as cli_module
    from floorwalker.core.floorwalker import open_floorwalker
    from floorwalker.core.plugins import PluginLoadError, make_plugin_manager

    def loading(allowlist=(), builtins=None):
        if "broken" in allowlist:
            raise PluginLoadError("broken", "ImportError: no module named x")
        return make_plugin_manager(allowlist, builtins)

    monkeypatch.setattr(cli_module, "make_plugin_manager", loading)
    fw = open_floorwalker(tmp_path)
    fw.set_install("admin", plugins_allowlist=["broken"])
    with pytest.raises(SystemExit) as exit_:
        main(["--data", str(tmp_path), "--lang", "en", "project", "list"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: plugin broken cannot be loaded") and err.count("\n") == 1
    with pytest.raises(SystemExit) as exit_:
        main(["--data", str(tmp_path), "--lang", "en", "plugins", "deny", "broken"])
    assert exit_.value.code == 0
    assert fw.install_settings()["plugins_allowlist"] == []
