"""The import page: a preview before anything is written, a mapping chosen once and remembered,
the page's refusal naming the rows, and the roles that may use it."""

import re

import pytest

from floorwalker.core import mappings
from floorwalker.plugins.attendance import punches, roster

from .test_floor_pages import build, client_for, csrf  # noqa: F401 (fixtures' helpers)
from .test_floor_pages import fresh, pm  # noqa: F401

IMPORT = "/p/alpha/import"
DINGTALK = ("原始记录\n统计日期：2026-10-13\n姓名,工号,考勤日期,考勤时间,打卡时间\n"
            "李,1001,2026-10-13 星期二,2026-10-13 08:00,2026-10-13 07:58\n"
            "李,1001,2026-10-13 星期二,2026-10-13 17:00,2026-10-13 17:03\n").encode()
WECOM = ("日期,姓名,账号,实际打卡时间\n2026/10/14 星期三,李,1001,08:06\n").encode()


def send(client, kind, data, files=None):
    return client.post(f"{IMPORT}/{kind}", data={"csrf_token": csrf(client, "/account"), **data},
                       files=files)


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def stored(fw, day):
    return sorted(p["at"] for p in punches.punches(fw, "alpha", day[:7]) if p["date"] == day)


def test_a_dingtalk_file_is_previewed_then_imported_and_its_mapping_kept(fresh):
    fw, app = fresh
    client = client_for(app, "sup_en")
    page = client.get(IMPORT)
    assert page.status_code == 200 and "Punch-clock export" in page.text and "Roster" in page.text
    preview = send(client, "attendance.punches", {}, {"file": ("原始记录.csv", DINGTALK, "text/csv")})
    assert preview.status_code == 200
    assert "header on row 3" in preview.text and "2 rows above it skipped" in preview.text
    assert re.search(r"<strong>2</strong> added", preview.text)
    assert stored(fw, "2026-10-13") == []  # nothing written by the preview
    done = send(client, "attendance.punches", {"token": token_of(preview.text), "step": "import",
                                               "save_as": "钉钉原始记录"})
    assert done.status_code == 303 and "n_added=2" in done.headers["location"]
    assert stored(fw, "2026-10-13") == ["2026-10-13T07:58:00", "2026-10-13T17:03:00"]
    assert [m["name"] for m in mappings.saved(fw, "alpha", "attendance.punches")] == ["钉钉原始记录"]
    assert "Imported" in client.get(done.headers["location"]).text


def test_an_unrecognised_file_shows_its_rows_and_the_columns_are_chosen_on_the_page(fresh):
    fw, app = fresh
    client = client_for(app, "sup")
    refused = send(client, "attendance.punches", {}, {"file": ("wecom.csv", WECOM, "text/csv")})
    assert refused.status_code == 422 and "账号" in refused.text and "实际打卡时间" in refused.text
    again = send(client, "attendance.punches", {"token": token_of(refused.text), "step": "preview",
                                                "col_agent": "账号", "col_time": "实际打卡时间",
                                                "col_date": "日期", "header_row": "1"})
    assert again.status_code == 200 and re.search(r"<strong>1</strong> ", again.text)
    done = send(client, "attendance.punches", {"token": token_of(again.text), "step": "import",
                                               "col_agent": "账号", "col_time": "实际打卡时间",
                                               "col_date": "日期", "save_as": "企业微信"})
    assert done.status_code == 303
    assert stored(fw, "2026-10-14") == ["2026-10-14T08:06:00"]
    saved = mappings.get(fw, "alpha", "attendance.punches", "企业微信")
    assert saved["columns"]["agent"] == "账号" and saved["header_row"] == 1
    # next month: the saved mapping reads the same export with nothing asked
    nxt = WECOM.replace(b"2026/10/14", b"2026/10/15")
    preview = send(client, "attendance.punches", {"mapping": "企业微信"},
                   {"file": ("wecom.csv", nxt, "text/csv")})
    assert preview.status_code == 200 and re.search(r"<strong>1</strong> 新增", preview.text)


def test_refused_rows_are_listed_and_nothing_can_be_written(fresh):
    fw, app = fresh
    client = client_for(app, "sup_en")
    bad = "工号,打卡时间\n1001,2026-10-16 07:58\n9999,2026-10-16 08:00\n1002,later\n".encode()
    preview = send(client, "attendance.punches", {}, {"file": ("clock.csv", bad, "text/csv")})
    assert "row 3" in preview.text and "row 4" in preview.text and 'value="import"' not in preview.text
    forced = send(client, "attendance.punches", {"token": token_of(preview.text), "step": "import"})
    assert forced.status_code == 422 and stored(fw, "2026-10-16") == []


def test_cancel_drops_the_upload(fresh):
    fw, app = fresh
    client = client_for(app, "sup_en")
    preview = send(client, "attendance.punches", {}, {"file": ("原始记录.csv", DINGTALK, "text/csv")})
    token = token_of(preview.text)
    assert send(client, "attendance.punches", {"token": token, "step": "cancel"}).status_code == 303
    gone = send(client, "attendance.punches", {"token": token, "step": "import"})
    assert gone.status_code == 422 and "upload it again" in gone.text
    assert stored(fw, "2026-10-13") == []


def test_a_grid_roster_from_the_roster_page_with_its_month(fresh):
    fw, app = fresh
    client = client_for(app, "sup_en")
    grid = "2026年12月排班表\n工号,姓名,1,2\n,,二,三\n1001,李,D,休\n".encode()
    preview = send(client, "attendance.roster", {"month": "2026-12"},
                   {"file": ("grid.csv", grid, "text/csv")})
    assert preview.status_code == 200, preview.text
    done = send(client, "attendance.roster", {"token": token_of(preview.text), "step": "import",
                                              "month": "2026-12"})
    assert done.status_code == 303
    assert roster.entry(fw, "alpha", "1001", "2026-12-01")["shift"] == "D"
    flash = client.get(done.headers["location"]).text
    status = re.search(r'<p class="ok" role="status">(.*?)</p>', flash, re.S).group(1)
    assert "over the continuous-work limit 1" in status and "over_limit" not in status, status


def test_the_page_names_columns_by_their_titles(fresh):
    _, app = fresh
    page = client_for(app, "sup_en").get(IMPORT).text
    assert "employee number, punch time, date, time of day" in page
    assert "agent, time" not in page


def test_a_saved_mapping_is_applied_without_asking_and_a_time_of_day_takes_the_date(fresh):
    fw, app = fresh
    client = client_for(app, "sup")
    mappings.save(fw, "alpha", "attendance.punches", "企业微信", {"agent": "账号"}, "sup")
    wecom = "时间,姓名,账号,打卡时间\n2026/10/19 星期一,李,1001,08:04\n".encode()
    preview = send(client, "attendance.punches", {}, {"file": ("wecom.csv", wecom, "text/csv")})
    assert preview.status_code == 200, preview.text
    assert "已按保存的列对应“企业微信”读取" in preview.text
    assert re.search(r"<strong>1</strong> 新增", preview.text)
    done = send(client, "attendance.punches", {"token": token_of(preview.text), "step": "import",
                                               "mapping": "企业微信"})
    assert done.status_code == 303
    assert stored(fw, "2026-10-19") == ["2026-10-19T08:04:00"]


@pytest.mark.parametrize("user", ["tl", "agent"])
def test_who_may_not_import_is_refused(fresh, user):
    _, app = fresh
    try:
        client = client_for(app, user)
    except AssertionError:
        pytest.skip(f"no {user} login in this company")
    assert client.get(IMPORT).status_code == 403
    r = send(client, "attendance.punches", {}, {"file": ("原始记录.csv", DINGTALK, "text/csv")})
    assert r.status_code == 403
