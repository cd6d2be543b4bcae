"""A plugin's numbered steps (`register_migrations`) upgrade its files once, when first read."""

import orjson

from floorwalker.core import Migration, hookimpl
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ..pgcluster import on_postgresql, store_for

CALLS = []


def split_name(tables):
    """Version 2 keeps a coach's given and family names apart."""
    CALLS.append(1)
    for doc in tables.get("sessions", {}).values():
        doc["family"], doc["given"] = doc.pop("coach").split(" ", 1)


class Notes:
    @hookimpl
    def register_migrations(self):
        return [Migration("notes", (split_name,))]


def open_with(root, *plugins):
    pm = make_plugin_manager(builtins=[])
    for plugin in plugins:
        pm.register(plugin, name="notes")
    return Floorwalker(store_for(root), pm)


def test_a_plugins_file_is_upgraded_once_and_keeps_its_version(tmp_path):
    root = tmp_path / "data"
    old = open_with(root)
    old.projects.create("alpha", "Alpha", "setup", plugins=[])
    key = old.store.plugin_key("alpha", "notes")
    with old.store.transaction(key, "setup", "notes.add") as tx:
        tx.insert("sessions", {"id": "s1", "coach": "Wang Fang"})
    if not on_postgresql():
        assert "version" not in orjson.loads(old.store.path(key).read_bytes())["_meta"]

    fw = open_with(root, Notes())
    assert fw.store.table(key, "sessions")["s1"] == {"id": "s1", "family": "Wang", "given": "Fang"}
    assert [e["changes"][0].get("to_version") for e in fw.store.audit_entries(key)
            if e["action"] == "migrate"] == [2]
    if not on_postgresql():
        on_disk = orjson.loads(fw.store.path(key).read_bytes())
        assert on_disk["_meta"]["version"] == 2
        assert fw.store.path(key).with_name("notes.json.prev").exists()
    with fw.store.transaction(key, "setup", "notes.add") as tx:  # a later write keeps version 2
        tx.insert("sessions", {"id": "s2", "family": "Li", "given": "Lei"})
    again = open_with(root, Notes())
    assert len(again.store.table(key, "sessions")) == 2 and CALLS == [1]
    if not on_postgresql():
        assert orjson.loads(again.store.path(key).read_bytes())["_meta"]["version"] == 2


def test_files_of_other_kinds_are_left_as_they_are(tmp_path):
    fw = open_with(tmp_path / "data", Notes())
    fw.projects.create("alpha", "Alpha", "setup", plugins=[])
    other = fw.store.plugin_key("alpha", "roster")
    with fw.store.transaction(other, "setup", "x") as tx:
        tx.insert("rows", {"id": "r1"})
    assert not any(e["action"] == "migrate" for e in fw.store.audit_entries(other))
    if not on_postgresql():
        assert "version" not in orjson.loads(fw.store.path(other).read_bytes())["_meta"]
