"""Files holding password hashes, sessions or demo passwords are readable by their owner only,
whatever the umask; `floorwalker check` names each data file others can read."""

import os
import stat

import pytest

from floorwalker import demo
from floorwalker.core.auth import Sessions
from floorwalker.core.backup import backup, restore
from floorwalker.core.floorwalker import open_floorwalker
from floorwalker.core.store import open_private

pytestmark = pytest.mark.files_only  # the modes of the data files

DAY = "2025-03-10"


@pytest.fixture(autouse=True)
def umask_022():
    """The usual umask, under which a plain open() makes files everyone can read."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def companions(path) -> list:
    """The .prev copy and the journal the store keeps beside a data file, those that exist."""
    found = [p for p in (path.with_name(path.name + ".prev"), path.with_name(path.name + ".journal"))
             if p.exists()]
    assert found
    return found


def test_init_and_later_writes_keep_core_json_owner_only(run, data):
    assert run("init", "--admin", "boss", "--password-stdin", input="s3cret-pass\n").exit_code == 0
    assert mode(data / "core.json") == 0o600
    assert run("project", "create", "shop", "--client", "Shop").exit_code == 0
    assert {mode(p) for p in [data / "core.json", *companions(data / "core.json")]} == {0o600}


def test_sessions_file_and_its_prev_are_owner_only(data, pm):
    fw = open_floorwalker(data, pm=pm)
    user = fw.users.add("boss", "s3cret-pass", ["admin"], "setup", projects=["*"])
    sessions = Sessions(fw)
    sessions.start(user)
    assert {mode(p) for p in [data / "sessions.json", *companions(data / "sessions.json")]} == {0o600}


def test_project_files_and_the_periods_lock_are_owner_only(fw, data):
    fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    assert mode(data / "projects/acme/score_events/2025-03.json") == 0o600
    assert mode(data / "periods.lock") == 0o600


def test_demo_accounts_are_owner_only(run, fw, data, monkeypatch):
    def fake_build_demo(fw, seed, actor, progress):
        return [{"username": "admin", "password": "pw-123456", "role": "admin", "project": None}]

    monkeypatch.setattr(demo, "build_demo", fake_build_demo)
    assert run("demo", "--no-serve", "--force").exit_code == 0
    assert mode(data / "demo-accounts.json") == 0o600


def test_a_private_file_that_was_there_loses_its_wider_mode(tmp_path):
    path = tmp_path / "demo-accounts.json"
    path.write_text("old")
    path.chmod(0o644)
    with open_private(path) as fh:
        fh.write(b"new")
    assert path.read_bytes() == b"new" and mode(path) == 0o600


def test_a_file_from_an_older_version_is_owner_only_after_its_next_writes(fw, data):
    core = data / "core.json"
    core.chmod(0o644)
    fw.projects.set("acme", "name", "A", "admin")
    assert mode(core) == 0o600  # rewritten, or its journal started
    fw.projects.set("acme", "name", "B", "admin")
    assert {mode(p) for p in [core, *companions(core)]} == {0o600}


def test_check_warns_about_each_file_others_can_read(run, fw, data):
    companion = companions(data / "core.json")[-1]  # its journal, or its .prev copy
    (data / "core.json").chmod(0o644)
    companion.chmod(0o640)
    result = run("check")
    assert result.exit_code == 0  # a warning: the data is sound
    assert "data files checked: all sound" in result.output
    assert result.stderr.splitlines() == [
        f"warning: {data / 'core.json'} has mode 0644; only its owner should read it: "
        f"chmod 600 {data / 'core.json'}",
        f"warning: {companion} has mode 0640; only its owner should read it: "
        f"chmod 600 {companion}"]
    zh = run("check", "--format", "json", lang="zh_CN")
    assert zh.stderr.startswith(f"警告：{data / 'core.json'} 的权限为 0644")
    (data / "core.json").chmod(0o600)
    companion.chmod(0o600)
    assert run("check").stderr == ""


def test_backup_and_restore_keep_files_owner_only(fw, data, tmp_path):
    fw.ledger.record("acme", "1001", "loud", DAY, "tl")
    backup(fw.store, tmp_path / "b.zip")
    assert mode(tmp_path / "b.zip") == 0o600
    restore(data, tmp_path / "b.zip")
    restored = [p for p in data.rglob("*") if p.is_file()]
    assert restored and {mode(p) for p in restored} == {0o600}
