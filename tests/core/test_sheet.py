"""The month's score sheet is a pure function of the events and the project's settings."""

import copy

from hypothesis import given, settings as hsettings, strategies as st

from floorwalker.core.catalogue import RULES, SETTINGS
from floorwalker.core.ledger import build_sheet

DEFAULTS = {s.key: s.default for s in SETTINGS}
RULE_INDEX = {r.code: ("core", r) for r in RULES}
RECORDABLE = [r for r in RULES if not r.derived and r.kind != "adjustment"]


def event(i, rule, points=None, reverses=None):
    return {"id": f"e{i:04d}", "agent": "1001", "period": "2025-03", "date": "2025-03-10",
            "rule": rule.code, "kind": rule.kind,
            "points": rule.points if points is None else points, "reverses": reverses}


@st.composite
def months(draw):
    """A month's events: picks from the catalogue within range, some of them reversed."""
    picks = draw(st.lists(st.tuples(st.sampled_from(RECORDABLE), st.integers(-5, 5)), max_size=25))
    events = []
    for i, (rule, seed) in enumerate(picks):
        span = rule.max_points - rule.min_points
        events.append(event(i, rule, rule.min_points + (abs(seed) % (span + 1))))
    reversed_ids = draw(st.sets(st.sampled_from([e["id"] for e in events]))) if events else set()
    for n, target in enumerate(sorted(reversed_ids)):
        original = next(e for e in events if e["id"] == target)
        events.append({**original, "id": f"r{n:04d}", "points": -original["points"],
                       "reverses": target})
    return events


@hsettings(max_examples=200, deadline=None)
@given(months(), st.integers(0, 120), st.integers(1, 150))
def test_total_is_capped_base_plus_active_points_plus_escalation(events, base, cap):
    config = {**DEFAULTS, "base_score": base, "cap": cap}
    row = build_sheet(events, config, RULE_INDEX)
    reversed_ids = {e["reverses"] for e in events if e["reverses"]}
    active = [e for e in events if not e["reverses"] and e["id"] not in reversed_ids]
    light = sum(e["kind"] == "light" for e in active)
    medium = sum(e["kind"] == "medium" for e in active)
    escalation = -20 if light >= 4 or medium >= 2 else 0
    assert row["escalation"] == escalation
    assert row["raw_total"] == base + sum(e["points"] for e in active) + escalation
    assert row["total"] == min(cap, row["raw_total"])
    assert len(row["events"]) == len(events)


@hsettings(max_examples=50, deadline=None)
@given(months())
def test_same_input_gives_same_sheet_and_leaves_input_alone(events):
    before = copy.deepcopy(events)
    first = build_sheet(events, DEFAULTS, RULE_INDEX)
    second = build_sheet(copy.deepcopy(events), dict(DEFAULTS), RULE_INDEX)
    assert first == second
    assert events == before


def test_sheet_breaks_points_down_by_kind():
    rules = {r.code: r for r in RULES}
    events = [event(1, rules["covered_shift"]), event(2, rules["loud"]),
              event(3, rules["games_at_work"]), event(4, rules["absent"]),
              event(5, rules["leader_judgement"], 3)]
    row = build_sheet(events, DEFAULTS, RULE_INDEX)
    assert row["bonus"] == 5
    assert row["deductions"] == {"light": -2, "medium": -10, "severe": -20}
    assert row["judgement"] == 3
    assert row["violations"] == {"light": 1, "medium": 1, "severe": 1}
    assert row["total"] == 80 + 5 - 2 - 10 - 20 + 3
