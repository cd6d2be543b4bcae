"""Users: argon2id hashes, sign-in, roles and the scope each role needs."""

import orjson
import pytest
from argon2 import PasswordHasher

from floorwalker.core import Conflict, ValidationError, users
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ..pgcluster import on_postgresql, store_for

PASSWORD = "correct horse"
PRODUCTION_HASHER = users._hasher


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """The same algorithm with a small memory cost: a real hash takes about 0.3 s."""
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def fw(tmp_path):
    fw = Floorwalker(store_for(tmp_path), make_plugin_manager(builtins=()))
    fw.projects.create("acme", "Acme", "admin")
    fw.projects.create("shop", "Shop", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", hired="2025-01-01")
    fw.users.add("boss", PASSWORD, ["admin"], "setup")
    return fw


def test_the_shipped_hasher_is_argon2id_with_a_real_cost(monkeypatch):
    monkeypatch.setattr(users, "_hasher", PRODUCTION_HASHER)
    hashed = users.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert "m=65536" in hashed
    assert users.verify_password(hashed, PASSWORD) and not users.verify_password(hashed, "wrong")


def test_password_is_stored_as_an_argon2id_hash(fw):
    stored = fw.users.get("boss")
    assert stored["password_hash"].startswith("$argon2id$")
    if not on_postgresql():  # nor anywhere in the file
        assert PASSWORD not in fw.store.path("core").read_text(encoding="utf-8")


@pytest.mark.parametrize("username, password, ok", [
    ("boss", PASSWORD, True),
    ("BOSS ", PASSWORD, True),
    ("boss", "correct horse ", False),
    ("boss", "", False),
    ("nobody", PASSWORD, False),
])
def test_authenticate(fw, username, password, ok):
    user = fw.users.authenticate(username, password)
    assert (user is not None) == ok
    if ok:
        assert user["username"] == "boss"


def test_a_disabled_user_cannot_sign_in_until_enabled(fw):
    fw.users.set_disabled("boss", True, "admin")
    assert fw.users.authenticate("boss", PASSWORD) is None
    fw.users.set_disabled("boss", False, "admin")
    assert fw.users.authenticate("boss", PASSWORD) is not None


def test_a_new_password_replaces_the_old(fw):
    fw.users.set_password("boss", "another secret", "boss")
    assert fw.users.authenticate("boss", PASSWORD) is None
    assert fw.users.authenticate("boss", "another secret") is not None


@pytest.mark.parametrize("field, roles, projects, extra", [
    ("roles", [], ["acme"], {}),
    ("roles", ["overlord"], ["acme"], {}),
    ("projects", ["client"], [], {}),
    ("projects", ["client"], ["acme", "shop"], {}),
    ("projects", ["client"], ["*"], {}),
    ("projects", ["supervisor"], [], {}),
    ("agent", ["agent"], ["acme"], {}),
    ("language", ["qa"], ["acme"], {"locale": "fr"}),
    ("password", ["qa"], ["acme"], {"password": "short"}),
    ("username", ["qa"], ["acme"], {"username": "no spaces"}),
])
def test_new_users_are_checked(fw, field, roles, projects, extra):
    args = {"username": "newbie", "password": PASSWORD, **extra}
    with pytest.raises(ValidationError) as err:
        fw.users.add(args["username"], args["password"], roles, "admin", projects=projects,
                     locale=extra.get("locale"))
    assert err.value.field == field


def test_a_client_login_sees_exactly_one_project(fw):
    user = fw.users.add("acme-viewer", PASSWORD, ["client"], "admin", projects=["acme"])
    assert user["projects"] == ["acme"]


def test_an_agent_login_links_an_agent(fw):
    user = fw.users.add("lilei", PASSWORD, ["agent"], "admin", projects=["acme"], agent="1001")
    assert user["agent"] == "1001"


def test_a_user_may_not_see_an_unknown_project(fw):
    with pytest.raises(Exception, match="nowhere"):
        fw.users.add("lost", PASSWORD, ["qa"], "admin", projects=["nowhere"])


def test_usernames_are_unique(fw):
    with pytest.raises(Conflict):
        fw.users.add("Boss", PASSWORD, ["admin"], "admin")


def test_an_update_is_checked_like_a_new_user(fw):
    fw.users.add("viewer", PASSWORD, ["client"], "admin", projects=["acme"])
    with pytest.raises(ValidationError) as err:
        fw.users.update("viewer", "admin", projects=["acme", "shop"])
    assert err.value.field == "projects"
    assert fw.users.update("viewer", "admin", locale="en")["locale"] == "en"


def test_the_audit_log_records_password_changes_but_never_the_hash(fw):
    fw.users.set_password("boss", "another-password-1", "boss")
    entries = list(fw.store.audit_entries("core"))
    assert b"$argon2" not in b"".join(orjson.dumps(e) for e in entries)
    changed = [u for e in entries if e["action"] == "user.passwd"
               for c in e["changes"] for u in c.get("updated", [])]
    assert changed and changed[0]["after"] == {"password_hash": "[redacted]"}
    if not on_postgresql():
        fw.store.fold("core")  # the journal's commits into the file
        raw = (fw.store.root / "core.json").read_bytes()
        assert raw.count(b"$argon2") == len(fw.users.all())  # only the live hashes themselves
