"""Text fields have limits: a note or reason 2,000 characters, a name 100, checked before any write."""

import pytest
from argon2 import PasswordHasher

from floorwalker.core import ValidationError, users, validate
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ..pgcluster import store_for, stored

DAY = "2025-03-10"


@pytest.fixture
def fw(tmp_path):
    """Project acme with agent 1001, hired before DAY."""
    fw = Floorwalker(store_for(tmp_path), make_plugin_manager(builtins=()))
    fw.projects.create("acme", "Acme", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", hired="2025-01-01")
    return fw


def files(root) -> dict:
    return stored(root)  # the files' bytes, and the rows on PostgreSQL


@pytest.mark.parametrize("limit, length, kept", [
    (validate.NOTE_LIMIT, 2000, True), (validate.NOTE_LIMIT, 2001, False),
    (validate.NAME_LIMIT, 100, True), (validate.NAME_LIMIT, 101, False),
])
def test_text_is_refused_one_character_past_its_limit(limit, length, kept):
    value = "字" * length
    if kept:
        assert validate.text(value, "note", limit) == value
    else:
        with pytest.raises(ValidationError) as err:
            validate.text(value, "note", limit)
        assert err.value.field == "note"
        assert err.value.message("en") == f"note: at most {limit} characters (got {length})"


def test_text_counts_what_is_kept_without_its_outer_spaces():
    assert validate.text("  " + "x" * 2000 + "\n", "note") == "x" * 2000
    assert validate.text(None, "note") == ""


def test_required_text_refuses_blank():
    with pytest.raises(ValidationError, match="is required"):
        validate.text("   ", "reason", required=True)


def test_the_refusal_reads_in_chinese():
    with pytest.raises(ValidationError) as err:
        validate.text("x" * 2001, "reason")
    assert err.value.message("zh_CN") == "原因：最多 2000 个字符（实际 2001 个）"


def test_an_agent_name_of_101_characters_is_refused_before_anything_is_written(fw, tmp_path):
    before = files(tmp_path)
    with pytest.raises(ValidationError) as err:
        fw.agents.add("acme", "1002", "n" * 101, "admin", hired="2025-01-01")
    assert (err.value.field, err.value.params["problem"].params["length"]) == ("name", 101)
    assert files(tmp_path) == before
    assert fw.agents.add("acme", "1002", "n" * 100, "admin", hired="2025-01-01")["name"] == "n" * 100


@pytest.mark.parametrize("write", [
    lambda fw: fw.teams.create("acme", "eve", "t" * 101, "admin"),
    lambda fw: fw.projects.create("shop", "c" * 101, "admin"),
    lambda fw: fw.projects.set("acme", "name", "p" * 101, "admin"),
], ids=["team", "project client", "project name"])
def test_other_names_are_refused_past_100_characters(fw, tmp_path, write):
    before = files(tmp_path)
    with pytest.raises(ValidationError, match="at most 100 characters"):
        write(fw)
    assert files(tmp_path) == before


def test_a_user_name_is_refused_past_100_characters(fw, tmp_path, monkeypatch):
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    fw.users.add("boss", "correct horse", ["admin"], "setup")
    before = files(tmp_path)
    with pytest.raises(ValidationError, match="at most 100 characters"):
        fw.users.add("clerk", "correct horse", ["admin"], "setup", name="u" * 101)
    with pytest.raises(ValidationError, match="at most 100 characters"):
        fw.users.update("boss", "setup", name="u" * 101)
    assert files(tmp_path) == before


def test_a_score_reason_of_2001_characters_is_refused_before_the_month_file_is_written(fw, tmp_path):
    before = files(tmp_path)
    with pytest.raises(ValidationError) as err:
        fw.ledger.record("acme", "1001", "loud", DAY, "tl", reason="r" * 2001)
    assert err.value.field == "reason"
    assert files(tmp_path) == before
    event = fw.ledger.record("acme", "1001", "loud", DAY, "tl", reason="r" * 2000)
    with pytest.raises(ValidationError, match="at most 2000 characters"):
        fw.ledger.reverse(event["id"], "r" * 2001, "tl")
