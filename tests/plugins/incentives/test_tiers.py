"""Tier suggestions: from sustained grades of closed months, decided by a supervisor."""

import pytest

from floorwalker.core import Conflict
from floorwalker.plugins.incentives import suggestions
from floorwalker.plugins.incentives.settings import SCHEMA
from floorwalker.plugins.incentives.tiers import suggest

DEFAULTS = {key: s.default for key, s in SCHEMA.items()}


@pytest.mark.parametrize("tier, grades, expected", [
    ("regular", ["A", "A", "A"], "senior"),
    ("regular", ["B", "A", "A"], None),
    ("regular", ["A", "A"], None),
    ("expert", ["C", "A", "A", "A"], "gold"),
    ("gold", ["A", "A", "A"], None),          # top of the ladder
    ("senior", ["D", "E"], "regular"),
    ("senior", ["F", "D"], "regular"),
    ("senior", ["C", "D"], None),
    ("regular", ["F", "F"], None),            # bottom of the ladder
])
def test_suggest(tier, grades, expected):
    assert suggest(tier, grades, DEFAULTS) == expected


def test_suggest_follows_its_settings():
    custom = {**DEFAULTS, "promote_grade": "B", "promote_months": 2}
    assert suggest("regular", ["B", "A"], custom) == "senior"


def close(fw, *months):
    for month in months:
        fw.periods.close("acme", month, "sup")


def test_three_a_months_suggest_promotion_and_acceptance_changes_the_tier(fw, score):
    fw.agents.add("acme", "1005", "Sun Li", "setup", team="night", hired="2025-01-01", tier="senior")
    for month in ("2025-01", "2025-02", "2025-03"):
        score("1001", 12, day=f"{month}-10")     # 92: A
        score("1005", -16, day=f"{month}-10")    # 64: E
    close(fw, "2025-01")
    assert suggestions.pending(fw, "acme") == []
    close(fw, "2025-02")
    assert [(s["agent"], s["to_tier"]) for s in suggestions.pending(fw, "acme")] == [("1005", "regular")]
    close(fw, "2025-03")
    found = {s["agent"]: s for s in suggestions.pending(fw, "acme")}
    assert (found["1001"]["from_tier"], found["1001"]["to_tier"], found["1001"]["grades"]) == \
        ("regular", "senior", ["A", "A", "A"])
    assert found["1001"]["months"] == ["2025-01", "2025-02", "2025-03"]
    assert "1005" not in found or found["1005"]["month"] == "2025-02"  # one pending at a time

    suggestions.accept(fw, "acme", found["1001"]["id"], "sup")
    assert fw.agents.get("1001")["tier"] == "senior"
    with pytest.raises(Conflict):
        suggestions.accept(fw, "acme", found["1001"]["id"], "sup")
    changes = fw.store.table(fw.store.plugin_key("acme", "incentives"), "tier_changes").values()
    assert [(c["agent"], c["old"], c["new"]) for c in changes] == [("1001", "regular", "senior")]

    suggestions.dismiss(fw, "acme", "1005:2025-02", "sup", note="new team leader, give time")
    assert fw.agents.get("1005")["tier"] == "senior"
    assert suggestions.pending(fw, "acme") == []
    # refreshing again suggests nothing new: the months before the change do not count twice
    assert suggestions.refresh(fw, "acme", "sup") == []


def test_a_gap_in_the_run_breaks_it(fw, score):
    for month in ("2025-01", "2025-03", "2025-04"):
        score("1001", 12, day=f"{month}-10")
    close(fw, "2025-01", "2025-02", "2025-03", "2025-04")
    assert [s["agent"] for s in suggestions.pending(fw, "acme")] == []


def test_a_stale_suggestion_cannot_be_accepted(fw, score):
    fw.agents.add("acme", "1005", "Sun Li", "setup", team="night", hired="2025-01-01", tier="senior")
    for month in ("2025-01", "2025-02"):
        score("1005", -16, day=f"{month}-10")
    close(fw, "2025-01", "2025-02")
    fw.agents.set_tier("1005", "elite", "director")
    with pytest.raises(Conflict):
        suggestions.accept(fw, "acme", "1005:2025-02", "sup")
