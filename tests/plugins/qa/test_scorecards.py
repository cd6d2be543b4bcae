"""The QA standard: the xlsx round trip, the import all or nothing with the row named, versions
draft → published (read-only) → archived."""

import openpyxl
import pytest

from floorwalker.core import Conflict, ValidationError
from floorwalker.plugins.qa import scorecards, workbook


def _write(path, rows, phrases=("不知道",), header=("部分", "权重", "项目", "类型", "满分", "致命", "说明")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "评分表"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    extra = book.create_sheet("禁忌用语")
    for phrase in phrases:
        extra.append([phrase])
    book.save(path)
    return path


def test_export_then_import_gives_the_same_scorecard(tmp_path, make_card):
    card = make_card()
    path = tmp_path / "standard.xlsx"
    path.write_bytes(workbook.export(card))
    assert workbook.read(path) == card


def test_the_export_is_the_issues_layout(tmp_path, make_card):
    path = tmp_path / "standard.xlsx"
    path.write_bytes(workbook.export(make_card()))
    book = openpyxl.load_workbook(path)
    items, phrases = book.worksheets
    assert [c.value for c in items[1]] == ["部分", "权重", "项目", "类型", "满分", "致命", "说明"]
    assert [c.value for c in items[2]][:6] == ["服务用语", 60, "开场使用“请”", "是否", 10, "无"]
    assert [c.value for c in items[7]][:2] == ["加分项", None]  # the bonus: no 权重
    assert phrases.title == "禁忌用语" and [r[0].value for r in phrases.iter_rows()] == ["禁忌用语", "不知道", "这不归我管"]


def test_a_client_file_without_a_phrases_heading_keeps_every_phrase(tmp_path):
    path = _write(tmp_path / "c.xlsx", [("态度", 100, "礼貌", "是否", 5, "无", "")], phrases=("投诉", "滚"))
    card = workbook.read(path)
    assert card["forbidden"] == ["投诉", "滚"]
    assert card["sections"] == [{"title": "态度", "weight": 100, "items": [
        {"title": "礼貌", "type": "yesno", "max": 5, "fatal": "none", "note": ""}]}]


@pytest.mark.parametrize("rows, row, field", [
    ([("态度", 60, "礼貌", "是否", 5, "无", ""), ("准确", 30, "信息", "分值", 5, "无", "")], None, "权重"),  # 90
    ([("态度", 60, "礼貌", "是否", 5, "无", ""), ("态度", 50, "语气", "评分", 5, "无", ""),
      ("准确", 40, "信息", "分值", 5, "无", "")], 3, "权重"),  # a section's rows disagree
    ([("态度", 100, "礼貌", "是或否", 5, "无", "")], 2, "类型"),
    ([("态度", 100, "礼貌", "是否", 5, "严重", "")], 2, "致命"),
    ([("态度", 100, "礼貌", "评分", 4.3, "无", "")], 2, "满分"),
    ([("态度", 100, "礼貌", "分值", 2.5, "无", "")], 2, "满分"),
    ([("态度", 100, "礼貌", "是否", "", "无", "")], 2, "满分"),
    ([("态度", 100, "礼貌", "是否", 5, "无", ""), ("加分", None, "营销", "分值", 5, "整体", "")], 3, "致命"),
    ([("态度", 100, "", "是否", 5, "无", "")], 2, "项目"),
])
def test_a_wrong_file_is_refused_naming_its_row_and_column(tmp_path, fw, rows, row, field):
    path = _write(tmp_path / "bad.xlsx", rows)
    with pytest.raises(ValidationError) as caught:
        workbook.read(path)
    assert (caught.value.row, caught.value.field) == (row, field)
    assert scorecards.versions(fw, "acme") == []


def test_a_missing_column_is_named(tmp_path):
    path = _write(tmp_path / "c.xlsx", [("态度", "礼貌", "是否", 5)], header=("部分", "项目", "类型", "满分"))
    with pytest.raises(ValidationError, match="权重"):
        workbook.read(path)


def test_a_draft_changes_in_place_until_published(fw, make_card):
    first = scorecards.save_draft(fw, "acme", make_card(), "qa1", "标准")
    again = scorecards.save_draft(fw, "acme", make_card(forbidden=["别急"]), "qa1")
    assert first["version"] == again["version"] == 1 and again["forbidden"] == ["别急"]
    assert again["title"] == "标准"


def test_a_published_version_is_read_only_and_a_new_draft_archives_it_on_publishing(fw, published, make_card):
    with pytest.raises(Conflict):
        scorecards.publish(fw, "acme", 1, "qa1")
    draft = scorecards.start_draft(fw, "acme", "qa1")
    assert (draft["version"], draft["status"], draft["sections"]) == (2, "draft", published["sections"])
    scorecards.save_draft(fw, "acme", make_card(forbidden=["新词"]), "qa1")
    assert scorecards.get(fw, "acme", 1)["forbidden"] == published["forbidden"]  # untouched
    scorecards.publish(fw, "acme", 2, "qa1")
    assert [(v["version"], v["status"]) for v in scorecards.versions(fw, "acme")] == \
        [(2, "published"), (1, "archived")]
    with pytest.raises(Conflict):
        scorecards.publish(fw, "acme", 1, "qa1")


def test_the_weights_must_add_up_to_100(make_card, sample_rows):
    rows = [r if r[1] != 40 else (r[0], 30, *r[2:]) for r in sample_rows]
    with pytest.raises(ValidationError, match="90"):
        make_card(rows)
