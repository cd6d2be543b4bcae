"""Back-test a draft on a closed month, then publish it from the next open month."""

import pytest

from floorwalker.core import NotFound, ValidationError
from floorwalker.plugins.incentives import drafts
from floorwalker.plugins.incentives.backtest import draft_total, repoint

MONTH = "2025-03"


def test_repoint_replaces_fixed_points_and_clamps_into_a_range():
    event = {"rule": "late_or_early", "points": -2}
    assert repoint(event, {}) == -2
    assert repoint(event, {"late_or_early": -4}) == -4
    assert repoint(event, {"late_or_early": [-5, -3]}) == -3


def test_draft_total_moves_the_raw_total_and_caps_again():
    row = {"raw_total": 108, "events": [
        {"rule": "extra_task", "points": 5, "reverses": None, "reversed_by": None},
        {"rule": "extra_task", "points": 5, "reverses": None, "reversed_by": "r"},
        {"rule": "extra_task", "points": -5, "reverses": "x", "reversed_by": None}]}
    assert draft_total(row, {"extra_task": 10}, 110) == 110
    assert draft_total(row, {"extra_task": 1}, 110) == 104


def sheet_row(fw, number, month=MONTH):
    return next(r for r in fw.ledger.sheet("acme", month) if r["number"] == number)


def test_a_draft_shows_who_changes_grade_or_pay_and_by_how_much(fw, score):
    score("1001", 9)    # 89: B +90
    score("1002", -12)  # 68: D −120
    score("1004", 11)   # 91: A, a new hire: 0
    fw.periods.close("acme", MONTH, "sup")
    with pytest.raises(NotFound):
        drafts.run(fw, "acme", MONTH)
    drafts.save(fw, "acme", {"grade_bands": {"A": 88, "B": 80, "C": 70, "D": 65, "E": 60},
                             "pay_per_point": 20}, {}, "sup")
    result = drafts.run(fw, "acme", MONTH)
    changed = {c["number"]: c for c in result["changed"]}
    assert set(changed) == {"1001", "1002"}  # 1003 sits at 80 (0 either way); 1004 floats nothing
    assert (changed["1001"]["grade"], changed["1001"]["draft_grade"], changed["1001"]["pay_change"]) == \
        ("B", "A", 90)
    assert (changed["1002"]["grade"], changed["1002"]["draft_grade"], changed["1002"]["draft_pay_float"]) == \
        ("D", "D", -240)
    assert (result["pay_float_total"], result["draft_pay_float_total"]) == (-30, -60)


def test_a_draft_of_rule_points_reaches_the_totals(fw):
    fw.ledger.record("acme", "1001", "late_or_early", "2025-03-03", "tl", points=-2)
    fw.periods.close("acme", MONTH, "sup")
    drafts.save(fw, "acme", {}, {"late_or_early": -5}, "sup")
    (change,) = drafts.run(fw, "acme", MONTH)["changed"]
    assert (change["number"], change["total"], change["draft_total"], change["pay_change"]) == \
        ("1001", 78, 75, -30)


def test_publishing_takes_effect_from_the_next_open_month_and_keeps_the_closed_one(fw, score):
    score("1001", 9)
    score("1001", 9, day="2025-04-10")
    fw.periods.close("acme", MONTH, "sup")
    drafts.save(fw, "acme", {"pay_per_point": 20}, {"loud": -3}, "sup")
    record = drafts.publish(fw, "acme", "director")
    assert (record["effective"], record["before"], record["after"]) == \
        ("2025-04", {"pay_per_point": 10}, {"pay_per_point": 20})
    assert drafts.get(fw, "acme") is None
    assert sheet_row(fw, "1001")["pay_float"] == 90               # March: closed, as it was
    assert sheet_row(fw, "1001", "2025-04")["pay_float"] == 180   # April: the new amount
    assert fw.projects.settings(fw.projects.get("acme"), "core")["rule_points"]["loud"] == -3
    assert [p["effective"] for p in drafts.published(fw, "acme")] == ["2025-04"]


def test_an_open_month_before_the_effective_one_keeps_the_old_settings(fw, score):
    fw.periods.close("acme", MONTH, "sup")  # February had no event yet, so nothing held March
    score("1001", 9, day="2025-02-10")  # and stays open behind it
    drafts.save(fw, "acme", {"grade_bands": {"A": 88, "B": 80, "C": 70, "D": 65, "E": 60}}, {}, "sup")
    drafts.publish(fw, "acme", "director")
    assert sheet_row(fw, "1001", "2025-02")["grade"] == "B"
    score("1001", 9, day="2025-04-10")
    assert sheet_row(fw, "1001", "2025-04")["grade"] == "A"


@pytest.mark.parametrize("values, rule_points", [
    ({"pay_cap": -1}, {}), ({"pay_per_point": "ten"}, {}), ({"dismissal_below": 50}, {}),
    ({"grade_bands": {"A": 70, "B": 80, "C": 70, "D": 65, "E": 60}}, {}),
    ({}, {"no_such_rule": -2}), ({}, {"loud": "a lot"})])
def test_a_bad_draft_is_refused(fw, values, rule_points):
    with pytest.raises(ValidationError):
        drafts.save(fw, "acme", values, rule_points, "sup")
    assert drafts.get(fw, "acme") is None
