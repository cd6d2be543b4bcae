"""Numbers, money and dates in the reader's conventions (Babel), on the pages and as filters."""

import datetime as dt
import re

import pytest

from floorwalker.core.templating import Templates

FIRST = dt.date.today().replace(day=1)
MONTH = FIRST.isoformat()[:7]


@pytest.fixture(scope="module")
def render(company):
    templates = Templates(company.store.root, "default", company.pm)
    return lambda source, locale, **context: templates.env(locale).from_string(source).render(context)


def test_the_same_agent_page_writes_dates_the_readers_way(clients):
    url = f"/p/alpha/agents/1002?month={MONTH}"
    en, zh = clients("qa1").get(url).text, clients("root").get(url).text  # qa1 reads English
    assert f"{FIRST:%b} {FIRST.day}, {FIRST.year}" in en and f"{FIRST.isoformat()}<" not in en
    assert f"{FIRST.year}年{FIRST.month}月{FIRST.day}日" in zh
    assert "Jan 2, 2024" in clients("qa1").get("/p/alpha/agents").text  # hired, in the roster
    assert "2024年1月2日" in clients("root").get("/p/alpha/agents").text


def test_the_average_score_is_a_decimal_with_one_place(clients):
    kpi = re.search(r'平均考核分</span><span class="kpi-value">([^<]+)<', clients("root").get("/p/alpha/").text)
    assert kpi.group(1) == "81.0"


def test_points_keep_their_sign(clients):
    html = clients("qa1").get(f"/p/alpha/agents/1001?month={MONTH}").text
    assert re.search(r'class="num pos">\+\d+</td>', html)


@pytest.mark.parametrize("source, zh, en", [
    ("{{ 1234567.891|number(2) }}", "1,234,567.89", "1,234,567.89"),
    ("{{ 1234567|number }}", "1,234,567", "1,234,567"),
    ("{{ none|number }}", "–", "–"),
    ("{{ 'A'|number }}", "A", "A"),
    ("{{ 0.125|percent(1) }}", "12.5%", "12.5%"),
    ("{{ 1234.5|money }}", "¥1,234.50", "¥1,234.50"),  # one sign in both (core/formats.py)
    ("{{ -3|points }} {{ 5|points }} {{ 0|points }}", "-3 +5 +0", "-3 +5 +0"),
    ("{{ '2026-11-03'|date }}", "2026年11月3日", "Nov 3, 2026"),
    ("{{ '2026-11-03T08:30:00+00:00'|date('short') }}", "2026/11/3", "11/3/26"),
    ("{{ 'not a date'|date }}", "not a date", "not a date"),
])
def test_filters_follow_the_language(render, source, zh, en):
    assert render(source, "zh_CN") == zh
    assert render(source, "en") == en


def test_a_number_is_written_the_same_however_often_it_was_written_before():
    """Each int and float is written once per pattern and language and kept (issue 17): the kept
    text is Babel's, and -0.0 stays apart from 0.0, an int from a float."""
    from babel.numbers import format_decimal as babel

    from floorwalker.core import formats
    for value in (0.0, -0.0, 0.0, -0.0, 5, 5.0, 5, -0.04, 0.35, 1234.5, 10**7):
        for pattern in ("#,##0.0", None, "+#,##0;-#,##0"):
            for locale in ("en", "zh_CN"):
                assert formats.format_decimal(value, pattern, locale) == \
                    babel(value, pattern, locale=locale), (value, pattern, locale)


def test_a_dict_field_and_a_dict_method_read_as_jinja_reads_them(render):
    row = {"total": 5, "items": 3, "name": "李雷"}
    assert render("{{ r.total }} {{ r.name }} [{{ r.missing }}] {{ r['items'] }} {{ r.items()|list|length }}",
                  "zh_CN", r=row) == "5 李雷 [] 3 3"
