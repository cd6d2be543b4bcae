"""Money, lengths of time and leave, one way in both languages (core/formats.py)."""

import pytest

from floorwalker.core.formats import duration, leave_length, measure, money


@pytest.mark.parametrize("value, zh, en", [
    (-590, "-¥590", "-¥590"),            # the sign before ¥, no decimals when whole
    (-590.0, "-¥590", "-¥590"),
    (1234.5, "¥1,234.50", "¥1,234.50"),  # cents shown when there are any
    (1200000, "¥1,200,000", "¥1,200,000"),
    (0, "¥0", "¥0"),
    (None, "–", "–"),
    ("", "–", "–"),
])
def test_money(value, zh, en):
    assert (money(value, "zh_CN"), money(value, "en")) == (zh, en)


@pytest.mark.parametrize("minutes, zh, en", [
    (45, "45 分钟", "45 min"),
    (480, "8 小时", "8 h"),
    (90, "1 小时 30 分钟", "1 h 30 min"),
    (26 * 60, "1 天 2 小时", "1 d 2 h"),
    (24 * 60 + 5, "1 天 5 分钟", "1 d 5 min"),   # a zero part is left out
    (0, "0 分钟", "0 min"),
    (34.4, "34 分钟", "34 min"),                   # to the minute
    (-30, "-30 分钟", "-30 min"),
    (None, "–", "–"),
])
def test_duration(minutes, zh, en):
    assert (duration(minutes, "zh_CN"), duration(minutes, "en")) == (zh, en)


def test_a_duration_without_days_counts_hours():
    assert duration(176 * 60, "zh_CN", day=0) == "176 小时"
    assert duration(600, "en", day=480) == "1 d 2 h"  # a working day, when the caller says so


@pytest.mark.parametrize("leave, zh, en", [
    ({"minutes": 600, "days": 1}, "1 天（10 小时）", "1 d (10 h)"),  # a 10-hour night is one day
    ({"minutes": 960, "days": 2}, "2 天（16 小时）", "2 d (16 h)"),
    ({"minutes": 240, "days": 0.5}, "0.5 天（4 小时）", "0.5 d (4 h)"),
    ({"minutes": 480}, "8 小时", "8 h"),                              # days unknown: hours
    ({"minutes": 2880}, "48 小时", "48 h"),                           # never 24-hour days
    (270, "4 小时 30 分钟", "4 h 30 min"),
])
def test_leave_length_says_days_of_rostered_shifts_when_known(leave, zh, en):
    assert (leave_length(leave, "zh_CN"), leave_length(leave, "en")) == (zh, en)
    assert "分钟" not in leave_length({"minutes": 480, "days": 1}, "zh_CN")


@pytest.mark.parametrize("value, unit, zh", [
    (-640, "¥", "-¥640"),       # the dashboard's pay float total, as the sheet writes money
    (95.25, "%", "95.2%"),
    (12, "", "12"),
    (75, "min", "1 小时 15 分钟"),
    (None, "¥", "–"),
])
def test_measure(value, unit, zh):
    assert measure(value, unit, "zh_CN") == zh
