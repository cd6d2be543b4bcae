"""The core's imports on the import page: an HR sheet of agents and a month of score events,
each previewed before it is written, read as Excel and Chinese systems write them."""

import datetime as dt
import io
import re

from openpyxl import Workbook
from starlette.testclient import TestClient  # noqa: F401

from floorwalker.core.app import create_app

from .conftest import csrf_of, make_company, signed_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:D1")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def send(client, kind, data, files=None):
    return client.post(f"/p/alpha/import/{kind}", data={"csrf_token": csrf_of(client), **data},
                       files=files)


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_an_hr_sheet_of_agents_is_previewed_then_imported(tmp_path):
    fw = make_company(tmp_path / "data")
    client = signed_in(create_app(fw), "supervisor1")
    body = workbook([["客服部花名册"], [], ["员工编号", "姓名", "班组", "入职日期"],
                     [3001.0, "赵敏", "day", dt.datetime(2026, 3, 2)], ["３００２", "钱进", "night", "2026/3/9"],
                     ["合计", "2 人"]])
    preview = send(client, "core.agents", {}, {"file": ("花名册.xlsx", body, XLSX)})
    assert preview.status_code == 200, preview.text
    assert "header on row 3" in preview.text and "totals row left out" in preview.text
    assert re.search(r"<strong>2</strong> added", preview.text)
    assert "3001" not in {a["number"] for a, _ in fw.agents.in_project("alpha", "2026-01-01", "2026-12-31")}
    done = send(client, "core.agents", {"token": token_of(preview.text), "step": "import"})
    assert done.status_code == 303 and "n_added=2" in done.headers["location"]
    assert fw.agents.get("3002")["name"] == "钱进" and fw.agents.get("3001")["hired"] == "2026-03-02"


def test_score_events_in_a_gbk_csv_are_previewed_with_the_bad_rows_named(tmp_path):
    fw = make_company(tmp_path / "data")
    client = signed_in(create_app(fw), "supervisor1")
    day = fw.projects.today("alpha").isoformat()
    text = (f"工号,规则,日期,分值,原因\n1001,loud,{day},,吵闹\n9999,loud,{day},,x\n"
            f"1002,no_such_rule,{day},,x\n").encode("gbk")
    preview = send(client, "core.scores", {}, {"file": ("考核.csv", text, "text/csv")})
    assert preview.status_code == 200
    assert "row 3" in preview.text and "row 4" in preview.text and 'value="import"' not in preview.text
    before = len(fw.ledger.events("alpha", day[:7]))
    assert send(client, "core.scores", {"token": token_of(preview.text), "step": "import"}).status_code == 422
    assert len(fw.ledger.events("alpha", day[:7])) == before


def test_the_import_page_lists_only_what_the_user_may_import(tmp_path):
    fw = make_company(tmp_path / "data")
    app = create_app(fw)
    page = signed_in(app, "supervisor1").get("/p/alpha/import")
    assert page.status_code == 200 and "Agents" in page.text and "Score events" in page.text
    assert signed_in(app, "team_leader1").get("/p/alpha/import").status_code == 403
