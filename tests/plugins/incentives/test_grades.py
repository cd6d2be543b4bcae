"""Grades, pay float and the dismissal-review flag as pure rules, at the domain's boundaries."""

import pytest
from hypothesis import given, strategies as st

from floorwalker.plugins.incentives.grades import (dismissal_review, employment_month, grade,
                                                   grade_rank, pay_float)
from floorwalker.plugins.incentives.settings import SCHEMA

DEFAULTS = {key: s.default for key, s in SCHEMA.items()}
BANDS = DEFAULTS["grade_bands"]


@pytest.mark.parametrize("score, letter", [
    (110, "A"), (91, "A"), (90.5, "A"), (90, "B"), (80, "B"), (79, "C"), (70, "C"), (69, "D"),
    (65, "D"), (64, "E"), (60, "E"), (59, "F"), (0, "F"), (-20, "F")])
def test_grade_boundaries(score, letter):
    assert grade(score, BANDS) == letter


@pytest.mark.parametrize("score, amount", [
    (80, 0), (91, 110), (68, -120), (20, -300), (110, 300), (50, -300), (79, -10), (0, -300)])
def test_pay_float_from_the_third_month(score, amount):
    assert pay_float(score, 3, DEFAULTS) == amount


@pytest.mark.parametrize("month_of_employment", [-1, 0, 1, 2])
def test_a_new_hire_floats_nothing(month_of_employment):
    assert pay_float(91, month_of_employment, DEFAULTS) == 0
    assert pay_float(20, month_of_employment, DEFAULTS) == 0


def test_pay_float_follows_its_settings():
    custom = {**DEFAULTS, "pay_pivot": 85, "pay_per_point": 20, "pay_cap": 100, "pay_from_month": 1}
    assert pay_float(90, 1, custom) == 100
    assert pay_float(84, 1, custom) == -20


@pytest.mark.parametrize("hired, month, index", [
    ("2025-01-31", "2025-01", 1), ("2025-01-01", "2025-03", 3), ("2024-12-15", "2025-02", 3),
    ("2025-03-03", "2025-02", 0)])
def test_month_of_employment_counts_the_month_of_hire_as_one(hired, month, index):
    assert employment_month(hired, month) == index


@given(st.integers(-200, 200), st.integers(1, 40))
def test_pay_float_never_passes_its_cap_and_rises_with_the_score(score, employed):
    amount = pay_float(score, employed, DEFAULTS)
    assert -300 <= amount <= 300
    assert pay_float(score + 1, employed, DEFAULTS) >= amount


@given(st.integers(-100, 200))
def test_a_higher_score_never_gets_a_worse_grade(score):
    assert grade_rank(grade(score + 1, BANDS)) <= grade_rank(grade(score, BANDS))


def test_dismissal_review_below_60():
    assert dismissal_review([{"a": 59, "b": 50}], "a", DEFAULTS)
    assert not dismissal_review([{"a": 60, "b": 50}], "a", DEFAULTS)


def test_dismissal_review_lowest_two_months_running_below_70():
    history = [{"a": 69, "b": 80}, {"a": 65, "b": 90}]
    assert dismissal_review(history, "a", DEFAULTS)
    assert not dismissal_review(history, "b", DEFAULTS)
    # lowest both months, but 70 this month: not below 70
    assert not dismissal_review([{"a": 70, "b": 80}, {"a": 65, "b": 90}], "a", DEFAULTS)
    # below 70 both months, lowest only this month
    assert not dismissal_review([{"a": 66, "b": 80}, {"a": 68, "b": 60}], "a", DEFAULTS)
    # new to the project last month: no run
    assert not dismissal_review([{"a": 66, "b": 80}, {"b": 90}], "a", DEFAULTS)
    # a tie for lowest counts for both
    assert dismissal_review([{"a": 66, "b": 66}, {"a": 65, "b": 65}], "b", DEFAULTS)
