"""Dates, times and employee numbers as the floor's systems write them (core/values.py)."""

import datetime as dt

import pytest

from floorwalker.core.values import employee_number, moment, parse_clock, parse_date, parse_datetime

D = dt.date(2026, 11, 10)


@pytest.mark.parametrize("text", ["2026-11-10", "2026/11/10", "2026.11.10", "2026年11月10日",
                                  "2026/11/10 星期二", "26-11-10 星期二", "2026-11-10 (周二)",
                                  "２０２６－１１－１０", "20261110", "46336", " 2026/11/10 "])
def test_a_date_in_every_common_form(text):
    assert parse_date(text) == D


@pytest.mark.parametrize("text", ["", "2026-13-01", "2026-02-30", "十一月十日", "46336.5", "10/11/2026"])
def test_what_is_not_a_date_is_not_guessed(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text, expected", [
    ("8:07", dt.time(8, 7)), ("08:07:12", dt.time(8, 7, 12)), ("8时07分", dt.time(8, 7)),
    ("下午 2:05", dt.time(14, 5)), ("2:05 PM", dt.time(14, 5)), ("０８：０７", dt.time(8, 7)),
    ("0.33833333", dt.time(8, 7, 12)), ("12:00 am", dt.time(0, 0))])
def test_a_time_of_day_in_every_common_form(text, expected):
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["", "25:00", "8:61", "八点", "1.5"])
def test_what_is_not_a_time_is_not_guessed(text):
    assert parse_clock(text) is None


@pytest.mark.parametrize("text", ["2026/11/10 8:07:12", "2026-11-10 08:07:12", "2026-11-10T08:07:12",
                                  "2026年11月10日 08:07:12", "2026/11/10 星期二 08:07:12",
                                  "46336.33833333"])
def test_a_moment_in_every_common_form(text):
    assert parse_datetime(text) == dt.datetime(2026, 11, 10, 8, 7, 12)


def test_a_date_alone_is_not_a_moment_and_a_time_alone_takes_the_date_column():
    assert parse_datetime("2026-11-10") is None
    assert moment("08:07", "2026/11/10 星期二") == dt.datetime(2026, 11, 10, 8, 7)
    assert moment("08:07") is None and moment("2026-11-10 08:07", "2026-12-01").day == 10


@pytest.mark.parametrize("text, expected", [("1001.0", "1001"), ("１００１", "1001"), (" S1001 ", "S1001"),
                                            ("001001", "001001"), ("1001.5", "1001.5")])
def test_an_employee_number_as_excel_or_a_chinese_keyboard_kept_it(text, expected):
    assert employee_number(text) == expected
