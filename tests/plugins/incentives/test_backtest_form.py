"""The back-test draft is a form: rules chosen from a list grouped by kind and shown by their
titles, each with fixed points or a range, and the draftable settings as the settings page shows
them; no JSON and no rule codes; a wrong row is refused naming it; publishing asks first."""

import re

import pytest
from argon2 import PasswordHasher
from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.plugins.incentives import drafts

MONTH = "2025-03"
PASSWORD = "correct-horse-7"
URL = "/p/acme/incentives/backtest"


@pytest.fixture
def app(fw, score):
    hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    fw.users.add_many([fw.users.prepare("sup", hashed, ["supervisor"], ["acme"], "Sup", "en")], "setup")
    score("1001", 11)
    fw.ledger.record("acme", "1002", "loud", "2025-03-04", "tl", reason="noise")
    fw.periods.close("acme", MONTH, "setup")
    return create_app(fw)


def token_of(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def sign_in(app, lang="en"):
    client = TestClient(app, follow_redirects=False)
    client.post("/login", data={"csrf_token": token_of(client, "/login"), "username": "sup",
                                "password": PASSWORD})
    if lang != "en":
        client.post("/language", data={"csrf_token": token_of(client, "/account"), "locale": lang,
                                       "next": "/"})
    return client


def draft_form(client, **changes) -> dict:
    """The draft form as the page fills it (current settings, no rule rows), with *changes*."""
    return {"csrf_token": token_of(client, URL), "month": MONTH, "grade_bands.A": "90",
            "grade_bands.B": "80", "grade_bands.C": "70", "grade_bands.D": "65", "grade_bands.E": "60",
            "pay_pivot": "80", "pay_per_point": "10", "pay_cap": "300", "pay_from_month": "3", **changes}


def test_rules_are_chosen_by_title_grouped_by_kind_and_no_json_or_code_is_shown(app):
    page = sign_in(app, "zh_CN").get(URL).text
    assert '<optgroup label="轻度违纪">' in page and '<optgroup label="加分">' in page
    assert re.search(r'<option value="loud">工作区域大声喧哗（-2）</option>', page)
    assert re.search(r'<option value="chatting">闲聊与工作无关的话题（-2…-1）</option>', page)
    text = re.sub(r"<[^>]+>", " ", page[page.index("<main"):])
    assert "loud" not in text and '{"' not in text and "rule_points" not in text
    assert 'name="grade_bands.A" value="90"' in page and "<textarea" not in page


def test_a_draft_of_rule_rows_is_saved_shown_again_and_back_tested(app, fw):
    sup = sign_in(app)
    r = sup.post(URL, data=draft_form(sup, **{
        "rule_points.0.rule": "loud", "rule_points.0.points": "-5",
        "rule_points.1.rule": "chatting", "rule_points.1.low": "-1", "rule_points.1.high": "-3",
        "rule_points.2.rule": ""}))  # a spare row left empty is no row
    assert r.status_code == 303 and "saved=1" in r.headers["location"]
    assert drafts.get(fw, "acme")["rule_points"] == {"loud": -5, "chatting": [-3, -1]}
    page = sup.get(r.headers["location"]).text
    assert "The draft is saved." in page
    row = re.search(r'name="rule_points\.0\.rule".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="loud" selected>', row)
    assert 'name="rule_points.1.low" value="-3"' in page
    assert "1 of 4 agents change" in page  # Han Meimei's loud event now takes −5


def test_a_bad_rule_row_is_refused_naming_the_row_and_nothing_is_saved(app, fw):
    sup = sign_in(app, "zh_CN")
    r = sup.post(URL, data=draft_form(sup, **{
        "rule_points.0.rule": "loud", "rule_points.0.points": "-3",
        "rule_points.1.rule": "chatting", "rule_points.1.points": "很多"}))
    assert r.status_code == 422
    beside = re.search(r'id="e-rule_points">(.*?)</p>', r.text).group(1)
    assert "第 2 行" in beside and "固定分值" in beside and "整数" in beside
    assert 'value="很多"' in r.text and drafts.get(fw, "acme") is None
    r = sup.post(URL, data=draft_form(sup, **{"rule_points.0.rule": "loud"}))  # neither points nor range
    assert r.status_code == 422 and "第 1 行" in re.search(r'id="e-rule_points">(.*?)</p>', r.text).group(1)
    assert drafts.get(fw, "acme") is None


def test_publishing_asks_first_and_the_published_change_reads_by_titles(app, fw):
    sup = sign_in(app)
    sup.post(URL, data=draft_form(sup, pay_per_point="20", **{
        "rule_points.0.rule": "loud", "rule_points.0.points": "-3"}))
    page = sup.get(URL).text
    publish = page[page.index('action="/p/acme/incentives/backtest/publish"'):]
    assert publish.index('<details class="confirm">') < publish.index("Yes, go ahead")
    assert "closed months keep theirs" in publish
    token = token_of(sup, URL)
    assert sup.post(f"{URL}/publish", data={"csrf_token": token}).status_code == 303
    history = sup.get(URL).text
    history = history[history.index("Published changes"):]
    assert "Pay float per point (yuan): 10 → 20" in history
    assert "Loud in the work area: – → -3" in history
    assert "pay_per_point" not in history and "rule_points" not in history
