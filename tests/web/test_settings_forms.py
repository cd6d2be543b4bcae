"""Plugin settings are edited as forms: numbers, times, tables of rows and labelled numbers per
key, never JSON; a wrong row is refused naming its row and field; nothing on a Chinese page is a
setting's key. The command line keeps taking JSON for the same settings."""

import re
from html.parser import HTMLParser

import orjson
import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli

URL = "/admin/projects/alpha/settings/{}"


class _Form(HTMLParser):
    """The fields a browser would post from the page's settings form (the last form)."""

    def __init__(self):
        super().__init__()
        self.fields, self.select, self.first = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.fields = []
        elif tag == "input" and a.get("name"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select, self.first = a["name"], None
        elif tag == "option" and self.select:
            if self.first is None:
                self.first = a.get("value", "")
            if "selected" in a:
                self.fields.append((self.select, a.get("value", "")))
                self.select = None

    def handle_endtag(self, tag):
        if tag == "select" and self.select:  # nothing selected: the browser posts the first
            self.fields.append((self.select, self.first or ""))
            self.select = None


def form_of(html: str) -> dict:
    parser = _Form()
    parser.feed(html)
    return dict(parser.fields)


def visible_text(html: str) -> str:
    main = html[html.index("<main"):]
    main = re.sub(r"<(script|style|datalist).*?</\1>", " ", main, flags=re.S)
    return re.sub(r"<[^>]+>", " ", main)


@pytest.mark.parametrize("plugin", ["core", "incentives", "attendance"])
def test_every_setting_round_trips_through_the_form_unchanged(fresh, sign_in, plugin):
    fw, app = fresh
    fw.projects.configure("alpha", "incentives", {
        "stage_goals": [{"team": "day", "title": "早班均分", "metric": "average_score", "target": 88},
                        {"title": "全项目违纪", "metric": "rule:loud", "target": 0}],
        "stepped_rewards": [{"title": "高分奖", "metric": "total", "steps": [[95, 100], [100, 200.5]]}]},
        "setup")
    fw.projects.configure("alpha", "core", {"rule_points": {"loud": -3, "chatting": [-2, -1]}}, "setup")
    fw.projects.configure("alpha", "attendance", {
        "leave_notice_minutes": {"personal": 1440, "sick": 0, "哺乳假": 90},
        "continuous_limit_minutes": 450}, "setup")
    before = fw.projects.settings("alpha", plugin)
    admin = sign_in(app, "root")
    r = admin.post(URL.format(plugin), data=form_of(admin.get(URL.format(plugin)).text))
    assert r.status_code == 200 and "已保存。" in r.text
    assert fw.projects.settings("alpha", plugin) == before


def test_rows_are_added_changed_and_removed_without_javascript(fresh, sign_in):
    fw, app = fresh
    admin = sign_in(app, "root")
    form = form_of(admin.get(URL.format("incentives")).text)
    assert form["grade_bands.A"] == "90" and "stage_goals.0.title" in form
    form.update({"grade_bands.A": "92",
                 "stage_goals.0.team": "day", "stage_goals.0.title": "早班均分",
                 "stage_goals.0.metric": "average_score", "stage_goals.0.target": "88",
                 "stage_goals.1.title": "少喧哗", "stage_goals.1.metric": "rule:loud",
                 "stage_goals.1.target": "0",
                 # two rows of one title are one reward; its steps are sorted by threshold
                 "stepped_rewards.0.title": "高分奖", "stepped_rewards.0.metric": "total",
                 "stepped_rewards.0.threshold": "100", "stepped_rewards.0.amount": "200",
                 "stepped_rewards.1.title": "高分奖", "stepped_rewards.1.metric": "total",
                 "stepped_rewards.1.threshold": "95", "stepped_rewards.1.amount": "100"})
    assert admin.post(URL.format("incentives"), data=form).status_code == 200
    settings = fw.projects.settings("alpha", "incentives")
    assert settings["grade_bands"]["A"] == 92
    assert settings["stage_goals"] == [
        {"team": "day", "title": "早班均分", "metric": "average_score", "target": 88},
        {"title": "少喧哗", "metric": "rule:loud", "target": 0}]
    assert settings["stepped_rewards"] == [
        {"title": "高分奖", "metric": "total", "steps": [[95, 100], [100, 200]]}]

    page = admin.get(URL.format("attendance")).text
    form = form_of(page)
    assert form["continuous_limit_minutes"] == "8"  # 480 minutes read as hours
    assert 'type="time"' in page and form["night_leave_cutoff"] == "12:00"
    assert form["leave_notice_minutes.0.kind"] == "事假" and form["leave_notice_minutes.0.notice"] == "24"
    form.update({"late_bands.3._remove": "1",  # the 20-minute band goes
                 "continuous_limit_minutes": "7.5", "night_leave_cutoff": "11:30",
                 "leave_notice_minutes.1.notice": "1.5",
                 "leave_notice_minutes.7.kind": "哺乳假", "leave_notice_minutes.7.notice": "0"})
    assert admin.post(URL.format("attendance"), data=form).status_code == 200
    settings = fw.projects.settings("alpha", "attendance")
    assert settings["late_bands"] == [[1, -2], [6, -3], [11, -4]]
    assert settings["continuous_limit_minutes"] == 450 and settings["night_leave_cutoff"] == "11:30"
    assert settings["leave_notice_minutes"]["urgent_personal"] == 90
    assert settings["leave_notice_minutes"]["哺乳假"] == 0 and settings["leave_notice_minutes"]["personal"] == 1440


def test_a_bad_row_is_refused_naming_its_row_and_field_and_nothing_is_saved(fresh, sign_in):
    fw, app = fresh
    admin = sign_in(app, "root")  # reads Chinese
    form = form_of(admin.get(URL.format("incentives")).text)
    form.update({"pay_pivot": "85",
                 "stepped_rewards.0.title": "高分奖", "stepped_rewards.0.metric": "total",
                 "stepped_rewards.0.threshold": "95", "stepped_rewards.0.amount": "100",
                 "stepped_rewards.1.title": "高分奖", "stepped_rewards.1.metric": "total",
                 "stepped_rewards.1.threshold": "九十", "stepped_rewards.1.amount": "200"})
    r = admin.post(URL.format("incentives"), data=form)
    assert r.status_code == 422
    beside = re.search(r'<p class="error" id="e-stepped_rewards">(.*?)</p>', r.text).group(1)
    assert "第 2 行" in beside and "达到" in beside and "数字" in beside
    cell = re.search(r'name="stepped_rewards\.1\.threshold"[^>]*>\s*<small class="error">(.*?)</small>', r.text)
    assert cell and "数字" in cell.group(1)
    assert 'value="九十"' in r.text  # what was typed stays
    assert fw.projects.settings("alpha", "incentives")["pay_pivot"] == 80  # nothing saved
    assert fw.projects.settings("alpha", "incentives")["stepped_rewards"] == []

    form = form_of(admin.get(URL.format("attendance")).text)
    form.update({"late_bands.1.points": "-9", "night_leave_cutoff": "25:00"})
    r = admin.post(URL.format("attendance"), data=form)
    assert r.status_code == 422
    assert "第 2 行" in re.search(r'id="e-late_bands">(.*?)</p>', r.text).group(1)
    assert "HH:MM" in re.search(r'id="e-night_leave_cutoff">(.*?)</p>', r.text).group(1)


@pytest.mark.parametrize("plugin, title", [("incentives", "激励"), ("attendance", "考勤"), ("core", "考核分与甲方查看")])
def test_no_setting_key_and_no_json_on_a_chinese_settings_page(fresh, sign_in, plugin, title):
    fw, app = fresh
    fw.projects.configure("alpha", "core", {"rule_points": {"loud": -3}}, "setup")
    admin = sign_in(app, "root")
    page = admin.get(URL.format(plugin)).text
    text = visible_text(page)
    assert f"设置：{title}" in text and f"设置：{plugin}" not in text
    leaked = [key for key in fw.settings_schemas[plugin] if key in text]
    assert leaked == []
    assert not re.search(r'[{\[]\s*"', text) and "<textarea" not in page
    if plugin != "attendance":  # a rule chosen by its title
        assert "大声喧哗" in page and not re.search(r"\bloud\b", text)
    else:  # minutes a manager thinks of in hours  # minutes a manager thinks of in hours
        assert "连续工作时长上限（小时）" in text and "personal" not in text


def test_the_command_line_still_sets_these_settings_as_json(fresh):
    fw, _app = fresh
    cli = make_cli(fw.pm)
    rewards = [{"title": "高分奖", "metric": "total", "steps": [[95, 100]]}]
    result = CliRunner().invoke(cli, ["--data", str(fw.store.root), "--as", "root", "project", "set",
                                      "alpha", "incentives.stepped_rewards", orjson.dumps(rewards).decode()])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["--data", str(fw.store.root), "--as", "root", "project", "set",
                                      "alpha", "attendance.night_leave_cutoff", "11:00"])
    assert result.exit_code == 0, result.output
    assert fw.projects.settings("alpha", "incentives")["stepped_rewards"] == rewards
    assert fw.projects.settings("alpha", "attendance")["night_leave_cutoff"] == "11:00"
