"""The scoring formula at its boundaries (`plugins/qa/scoring.py`): N/A items and sections,
half points, fatal section against fatal all, the bonus and its cap."""

import pytest

from floorwalker.plugins.qa import scoring

FULL = [["yes", 5, "yes"], [10, "yes"], [0]]


@pytest.fixture(scope="module")
def card(make_card):
    return make_card()


def answers(first=("yes", 5, "yes"), second=(10, "yes"), bonus=(0,)):
    return [list(first), list(second), list(bonus)]


def test_full_marks_is_100_and_earns_the_full_marks_flag(card):
    result = scoring.score(card, FULL)
    assert (result.score, result.base, result.fatal, result.full_marks) == (100, 100, None, True)


def test_half_points_count_and_the_sections_are_weighted(card):
    # 服务用语 earns 12.5 of 15 (83.33…) at weight 60, 业务处理 100 at weight 40
    result = scoring.score(card, answers(first=("yes", 2.5, "yes")))
    assert result.sections[0].score == pytest.approx(250 / 3)
    assert result.score == 90.0 and not result.full_marks


def test_an_item_at_na_leaves_its_section_and_the_section_is_rescaled(card):
    na = scoring.score(card, answers(first=("yes", None, "yes")))
    zero = scoring.score(card, answers(first=("yes", 0, "yes")))
    assert na.sections[0].score == 100 and na.score == 100
    assert zero.sections[0].score == pytest.approx(200 / 3)
    assert [i.na for i in na.items][:3] == [False, True, False]


def test_a_whole_section_at_na_leaves_the_weights(card):
    result = scoring.score(card, answers(first=("yes", 2.5, "yes"), second=(None, None)))
    assert result.sections[1].na and result.sections[1].score is None
    assert result.score == pytest.approx(250 / 3, abs=0.005)  # 服务用语 alone, its weight 60 of 60


def test_every_weighted_item_at_na_cannot_be_scored(card):
    with pytest.raises(scoring.ScoringError):
        scoring.score(card, answers(first=(None, None, None), second=(None, None), bonus=(5,)))


def test_a_fatal_section_item_zeroes_its_section_only(card):
    result = scoring.score(card, answers(second=(9, "yes")))
    assert result.fatal == "section"
    assert result.sections[1].score == 0 and result.sections[1].fatal
    assert result.score == 60.0 and not result.full_marks


def test_a_fatal_all_item_zeroes_the_whole_evaluation_bonus_included(card):
    result = scoring.score(card, answers(first=("yes", 5, "no"), bonus=(5,)), cap=110)
    assert (result.score, result.fatal) == (0.0, "all")


def test_fatal_all_wins_over_fatal_section(card):
    result = scoring.score(card, answers(first=("yes", 5, "no"), second=(0, "yes")))
    assert (result.score, result.fatal) == (0.0, "all")


def test_a_fatal_item_at_na_or_at_full_marks_triggers_nothing(card):
    assert scoring.score(card, answers(first=("yes", 5, None))).fatal is None
    assert scoring.score(card, answers(second=(10, "no"))).fatal is None


@pytest.mark.parametrize("base_answers, bonus, cap, expected", [
    (("yes", 5, "yes"), 5, 100, 100.0),  # full marks: the bonus has no room under the default cap
    (("yes", 5, "yes"), 5, 110, 105.0),  # a cap of 110 lets it through
    (("yes", 5, "yes"), 5, 103, 103.0),  # up to the cap and no further
    (("yes", 2.5, "yes"), 5, 100, 95.0),  # below 100 the bonus makes up lost points
    (("yes", 2.5, "yes"), 0, 110, 90.0),
])
def test_the_bonus_adds_its_points_up_to_the_cap(base_answers, bonus, cap, expected, card):
    result = scoring.score(card, answers(first=base_answers, bonus=(bonus,)), cap=cap)
    assert result.score == expected
    assert result.bonus == bonus


def test_full_marks_ignore_the_bonus_but_not_a_lost_point(card):
    assert scoring.score(card, answers(bonus=(5,))).full_marks
    assert not scoring.score(card, answers(first=("yes", 4.5, "yes"), bonus=(5,))).full_marks


@pytest.mark.parametrize("item, answer", [
    ({"type": "scale", "max": 5}, 2.3), ({"type": "scale", "max": 5}, 5.5),
    ({"type": "points", "max": 10}, 2.5), ({"type": "points", "max": 10}, -1),
    ({"type": "yesno", "max": 10}, "maybe"), ({"type": "points", "max": 10}, "ten"),
])
def test_answers_outside_the_item_are_refused(item, answer):
    with pytest.raises(scoring.ScoringError):
        scoring.earned(item, answer)


def test_half_points_on_a_scale_item_are_allowed():
    assert scoring.earned({"type": "scale", "max": 5}, "4.5") == 4.5
    assert scoring.earned({"type": "scale", "max": 5}, 0) == 0
