"""Traffic imports (issue 16, item 1): the platforms' exports read as they come — Chinese and
English headings, a title row above the header, a totals row, durations in every form — all
or nothing with the row and column named, a day imported again replaced, a closed month refused,
satisfaction as a share (never an average rating)."""

import datetime as dt

import pytest

from floorwalker.core import PeriodClosed, ValidationError
from floorwalker.plugins.reporting import traffic
from floorwalker.plugins.reporting.traffic_import import import_file, parse_duration

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
ZH = ("电信热线话务报表（2026年11月3日）,,,,,,,,,,\n"
      "日期,时段,技能组,呼入量,接通量,20秒内接通,放弃量,短时放弃,通话时长,满意度评价数,满意数\n"
      "2026-11-03,08:00-08:30,普通话,120,114,98,6,2,00:03:25,40,38\n"
      "2026/11/03,08:30-09:00,普通话,130,\"1,20\",100,10,3,7:25:00,40,37\n"
      "合计,,,250,234,198,16,5,,80,75\n")
EN = ("Interval Start,Queue,Offered,Answered,Answered within 20s,Abandoned,Talk Time,Hold Time,AHT\n"
      "2026-11-04 08:00,Sales,100,90,80,10,3:25,,\n"
      "2026-11-04 08:15,Sales,80,80,70,0,205,,\n"
      "2026-11-04 08:30,Sales,50,50,45,0,,15,240\n")


def write(tmp_path, text, name="traffic.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def stored(fw, project="hotline"):
    return traffic.rows(fw, project, *NOV)


def test_a_chinese_export_is_read_under_its_title_row_and_its_totals_row_dropped(fw, tmp_path):
    done = import_file(fw, "hotline", write(tmp_path, ZH, encoding="gb18030"), "hotline.supervisor")
    assert done == {"rows": 2, "days": 1, "replaced": 0}
    first, second = stored(fw)
    assert (first["day"], first["start"], first["minutes"], first["queue"]) == ("2026-11-03", "08:00", 30, "普通话")
    assert (first["offered"], first["answered"], first["answered_in_threshold"], first["abandoned"],
            first["abandoned_short"]) == (120, 114, 98, 6, 2)
    assert first["threshold_seconds"] == 20  # from the heading 20秒内接通
    assert (first["talk_seconds"], second["talk_seconds"]) == (205, 26700)
    assert second["answered"] == 120  # "1,20" as Excel groups it
    assert first["hold_seconds"] is None and first["chat_sessions"] is None  # no data is not zero
    total = traffic.totals(stored(fw))
    assert (total["offered"], total["csat_satisfied"], total["transfers"]) == (250, 75, None)


def test_an_english_export_with_starts_as_datetimes_and_averages(fw, tmp_path):
    import_file(fw, "hotline", write(tmp_path, EN), "hotline.supervisor")
    rows = stored(fw)
    assert [(r["start"], r["minutes"], r["queue"]) for r in rows] == \
        [("08:00", 15, "Sales"), ("08:15", 15, "Sales"), ("08:30", 15, "Sales")]
    assert [r["talk_seconds"] for r in rows] == [205, 205, 240 * 50 - 15]  # AHT × answered, less the hold
    assert rows[2]["hold_seconds"] == 15 and rows[0]["answered_in_threshold"] == 80


@pytest.mark.parametrize("text, seconds", [("205", 205), ("205.4", 205), ("00:03:25", 205), ("3:25", 205),
                                           ("1:02:03", 3723), ("125:00:10", 450010), ("3分25秒", 205),
                                           ("1小时2分", 3720), ("3m25s", 205), ("1 day, 0:00:05", 86405),
                                           ("", None), ("-", None)])
def test_durations_in_every_form(text, seconds):
    assert parse_duration(text) == seconds


def test_a_bad_duration_is_refused():
    with pytest.raises(ValueError):
        parse_duration("about 3 minutes")


def test_one_bad_row_writes_nothing_and_names_the_row_and_the_column(fw, tmp_path):
    bad = ZH.replace("2026/11/03,08:30-09:00,普通话,130", "2026/11/03,08:30-09:00,普通话,一百三")
    with pytest.raises(ValidationError) as err:
        import_file(fw, "hotline", write(tmp_path, bad), "hotline.supervisor")
    assert err.value.row == 4 and err.value.field == "呼入量"
    assert "第 4 行" in err.value.message("zh_CN") and "呼入量" in err.value.message("zh_CN")
    assert stored(fw) == []


def test_answered_above_offered_is_refused_naming_the_column(fw, tmp_path):
    bad = ZH.replace("120,114,98", "120,140,98")
    with pytest.raises(ValidationError) as err:
        import_file(fw, "hotline", write(tmp_path, bad), "hotline.supervisor")
    assert (err.value.row, err.value.field) == (3, "接通量")
    assert stored(fw) == []


def test_the_preview_lists_every_refused_row_and_writes_nothing(fw, tmp_path):
    bad = ZH.replace("00:03:25", "soon").replace("7:25:00", "later")
    preview = import_file(fw, "hotline", write(tmp_path, bad), "hotline.supervisor", dry_run=True)
    assert [e.row for e in preview.refused] == [3, 4] and stored(fw) == []
    assert preview.table.found["answered_in_threshold"] == "20秒内接通"


def test_importing_a_day_again_replaces_it_per_queue(fw, tmp_path):
    import_file(fw, "hotline", write(tmp_path, ZH), "hotline.supervisor")
    other_queue = ("日期,时段,技能组,呼入量,接通量\n2026-11-03,08:00,英语,10,9\n")
    import_file(fw, "hotline", write(tmp_path, other_queue, "en.csv"), "hotline.supervisor")
    assert len(stored(fw)) == 3
    again = ("日期,时段,技能组,呼入量,接通量\n2026-11-03,08:00-08:30,普通话,99,90\n")
    done = import_file(fw, "hotline", write(tmp_path, again, "again.csv"), "hotline.supervisor")
    assert done["replaced"] == 2
    rows = stored(fw)
    assert sorted((r["queue"], r["offered"]) for r in rows) == [("普通话", 99), ("英语", 10)]
    audit = [e for e in fw.store.audit_entries("projects/hotline/traffic") if e["action"] == "reporting.traffic.import"]
    assert len(audit) == 3 and audit[-1]["actor"] == "hotline.supervisor"
    assert any("removed" in c for c in audit[-1]["changes"])  # the replaced rows kept in the audit


def test_a_closed_month_is_refused(fw, tmp_path, clock):
    clock.now = dt.datetime(2026, 12, 5, 10, 0)
    fw.periods.close("hotline", "2026-11", "admin")
    with pytest.raises(ValidationError) as err:
        import_file(fw, "hotline", write(tmp_path, ZH), "hotline.supervisor")
    assert err.value.row == 3 and "2026-11" in err.value.message("en")
    with pytest.raises(PeriodClosed):
        traffic.replace(fw, "hotline", [{"day": "2026-11-05", "offered": 1}], "hotline.supervisor", "test")
    assert stored(fw) == []


def test_a_day_after_today_is_refused(fw, tmp_path):
    future = "日期,呼入量,接通量\n2026-11-17,10,9\n"
    with pytest.raises(ValidationError) as err:
        import_file(fw, "hotline", write(tmp_path, future), "hotline.supervisor")
    assert err.value.field == "日期" and err.value.row == 2


def test_an_agent_day_export(fw, tmp_path):
    text = "日期,坐席工号,接通量,通话时长,平均话后处理时长,满意度评价数,满意数\n" \
           "2026-11-05,1001,80,5:20:00,30,20,19\n2026-11-05,1002,70,4:40:00,0:45,10,10\n"
    import_file(fw, "hotline", write(tmp_path, text), "hotline.supervisor")
    rows = stored(fw)
    assert [(r["agent"], r["start"], r["minutes"], r["wrap_seconds"]) for r in rows] == \
        [("1001", None, None, 2400), ("1002", None, None, 3150)]


def test_satisfaction_from_a_percentage_and_its_responses_is_counted_in_the_preview(fw, tmp_path):
    text = "日期,会话量,满意度,参评量\n2026-11-05,300,96%,50\n2026-11-06,280,0.9,40\n"
    path = write(tmp_path, text)
    preview = import_file(fw, "shop", path, "shop.supervisor", dry_run=True)
    assert preview.counts["csat_derived"] == 2 and not preview.refused
    import_file(fw, "shop", path, "shop.supervisor")
    rows = stored(fw, "shop")
    assert [(r["csat_responses"], r["csat_satisfied"]) for r in rows] == [(50, 48), (40, 36)]


@pytest.mark.parametrize("text", ["日期,会话量,平均评分\n2026-11-05,300,4.8\n",
                                  "日期,会话量,满意度,参评量\n2026-11-05,300,4.6,50\n"])
def test_an_average_rating_is_refused_for_satisfaction(fw, tmp_path, text):
    with pytest.raises(ValidationError) as err:
        import_file(fw, "shop", write(tmp_path, text), "shop.supervisor")
    assert err.value.row == 2 and "average rating" in err.value.message("en")
    assert "平均评分" in err.value.message("zh_CN") or "满意度" in err.value.message("zh_CN")


def test_a_percentage_without_responses_is_refused(fw, tmp_path):
    with pytest.raises(ValidationError) as err:
        import_file(fw, "shop", write(tmp_path, "日期,会话量,满意度\n2026-11-05,300,96%\n"), "shop.supervisor")
    assert err.value.field == "满意度" and err.value.row == 2


def test_a_shop_export_with_chat_and_orders(fw, tmp_path):
    text = ("统计日期,时间段,接待量,平均首次响应时长,询单人数,下单人数,销售额\n"
            "2026-11-05,20:00-21:00,300,15,180,81,\"¥13,608.50\"\n")
    import_file(fw, "shop", write(tmp_path, text), "shop.supervisor")
    (row,) = stored(fw, "shop")
    assert (row["minutes"], row["chat_sessions"], row["first_response_seconds"], row["inquiries"],
            row["orders"], row["order_value"]) == (60, 300, 4500, 180, 81, 13608.5)
    assert row["offered"] is None


def test_a_file_without_traffic_columns_is_refused_naming_what_it_needs(fw, tmp_path):
    with pytest.raises(ValidationError) as err:
        import_file(fw, "hotline", write(tmp_path, "姓名,备注\n张三,x\n"), "hotline.supervisor")
    assert "日期" in err.value.message("zh_CN") and "姓名, 备注" in err.value.message("zh_CN")
    with pytest.raises(ValidationError) as err:
        import_file(fw, "hotline", write(tmp_path, "日期,备注\n2026-11-05,x\n"), "hotline.supervisor")
    assert "呼入量" in err.value.message("zh_CN")


def test_an_xlsx_with_time_cells(fw, tmp_path):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["话务日报"])
    sheet.append(["日期", "开始时间", "来电量", "应答量", "服务水平内接通", "呼损量", "通话时长"])
    sheet.append([dt.date(2026, 11, 6), dt.time(9, 0), 60, 58, 50, 2, dt.time(3, 10, 5)])
    sheet.append([dt.date(2026, 11, 6), dt.time(10, 0), 40, 40, 39, 0, 7200])
    book.save(tmp_path / "day.xlsx")
    import_file(fw, "hotline", tmp_path / "day.xlsx", "hotline.supervisor")
    rows = stored(fw)
    assert [(r["start"], r["minutes"], r["talk_seconds"], r["threshold_seconds"]) for r in rows] == \
        [("09:00", 60, 11405, None), ("10:00", 60, 7200, None)]  # the file does not say its threshold
    fw.projects.set("hotline", "kpi.service_level_seconds", 20, "admin")
    import_file(fw, "hotline", tmp_path / "day.xlsx", "hotline.supervisor")
    assert [r["threshold_seconds"] for r in stored(fw)] == [20, 20]  # the project's target threshold


def test_totals_count_a_day_and_queue_once_when_intervals_and_agent_days_both_exist(fw):
    traffic.replace(fw, "hotline", [{"day": "2026-11-05", "start": "08:00", "minutes": 30, "offered": 10,
                                     "answered": 9},
                                    {"day": "2026-11-05", "agent": "1001", "answered": 9}], "t", "test")
    assert traffic.totals(stored(fw))["answered"] == 9
