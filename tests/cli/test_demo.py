"""`floorwalker demo --no-serve`: a demo company with printed and saved logins, never over data."""

import json

import pytest

from floorwalker import demo
from floorwalker.core.floorwalker import open_floorwalker


@pytest.mark.slow
def test_demo_builds_a_company_and_saves_its_logins(run, data, pm, snapshot, error_line):
    result = run("demo", "--no-serve", "--seed", "3")
    assert result.exit_code == 0, result.output
    fw = open_floorwalker(data, pm=pm)
    saved = json.loads((data / "demo-accounts.json").read_text())  # a plain list, as documented
    assert all(set(a) == {"username", "password", "role", "project"} for a in saved)
    admin = next(a for a in saved if a["username"] == "admin")
    assert admin["role"] == "admin" and admin["password"] in result.output
    assert fw.users.authenticate("admin", admin["password"])
    assert {a["role"] for a in saved} >= {"admin", "supervisor", "team_leader", "agent", "client"}
    assert run("check").exit_code == 0
    before = snapshot()
    assert "--force" in error_line(run("demo", "--no-serve"))
    assert snapshot() == before


def test_demo_force_deletes_only_the_data_files(run, fw, data, tmp_path, monkeypatch):
    seen = {}

    def fake_build_demo(fw, seed, actor, progress):
        seen.update(projects=fw.projects.all(), seed=seed, actor=actor)
        progress("Hiring the agents")
        return [{"username": "admin", "password": "pw-123456", "role": "admin", "project": None}]

    monkeypatch.setattr(demo, "build_demo", fake_build_demo)
    (data / "notes.txt").write_text("keep me")
    (tmp_path / "outside.json").write_text("{}")
    result = run("demo", "--no-serve", "--force", "--seed", "11")
    assert result.exit_code == 0, result.output
    assert seen == {"projects": [], "seed": 11, "actor": "demo"}
    assert (data / "notes.txt").read_text() == "keep me"
    assert (tmp_path / "outside.json").exists()
    assert not list(data.rglob("*.prev"))
    assert "pw-123456" in result.output
