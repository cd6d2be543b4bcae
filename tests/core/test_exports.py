"""Exports: a formula never leaves as a formula, Chinese survives CSV, xlsx and PDF, and the
download's file name survives the header."""

import csv
import datetime as dt
import io
import shutil
import subprocess
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from floorwalker.core import Table, download, guard, to_csv, to_pdf, to_xlsx
from floorwalker.core.exports import content_disposition, sheet_title

TABLE = Table("三月考勤", [("number", "工号"), ("name", "姓名"), ("points", "考核分")],
              [["1001", "李雷", -5], ["1002", "=1+1", 3.5], ["1003", "+1+cmd|calc", None],
               ["1004", "韩梅梅", 0]])


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler-utils is installed by scripts/setup --test")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_a_formula_gets_an_apostrophe(start):
    assert guard(start + "HYPERLINK(\"x\")") == "'" + start + "HYPERLINK(\"x\")"


@pytest.mark.parametrize("value", [-5, -0.5, 0, 12, None, dt.date(2026, 3, 1), "李雷", "a=b", " =1",
                                   "", "Li-Lei"])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert guard(value) is value or guard(value) == value


def test_csv_has_a_bom_keeps_chinese_and_quotes_formulas_but_not_numbers():
    body = to_csv(TABLE)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows == [["工号", "姓名", "考核分"], ["1001", "李雷", "-5"], ["1002", "'=1+1", "3.5"],
                    ["1003", "'+1+cmd|calc", ""], ["1004", "韩梅梅", "0"]]
    assert body.count(b"\r\n") == 5


def test_xlsx_quotes_formulas_keeps_types_and_bolds_the_header():
    book = load_workbook(io.BytesIO(to_xlsx(TABLE)))
    sheet = book.active
    assert sheet.title == "三月考勤"
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == ["工号", "姓名", "考核分"] and rows[0][0].font.bold
    assert [c.value for c in rows[2]] == ["1002", "'=1+1", 3.5]
    assert rows[3][1].value == "'+1+cmd|calc" and rows[3][1].data_type == "s"
    assert rows[1][2].value == -5 and rows[1][2].data_type == "n"
    assert not [c for row in rows for c in row if c.data_type == "f"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= len("考核分") * 2


def test_xlsx_of_several_tables_names_each_sheet_as_excel_allows():
    days = Table("Days: 2026/03 [all]?", ["Date", "Agent"], [[dt.date(2026, 3, 2), "=cmd"]],
                 fixed_columns=1)
    book = load_workbook(io.BytesIO(to_xlsx([TABLE, days, days])))
    assert book.sheetnames == ["三月考勤", "Days- 2026-03 -all--", "Days- 2026-03 -all---2"]
    second = book.worksheets[1]
    assert second["A2"].value == dt.datetime(2026, 3, 2) and second["B2"].value == "'=cmd"
    assert second.freeze_panes == "B2"


def test_a_sheet_title_is_short_and_unique():
    used: set[str] = set()
    long = "月" * 40
    assert sheet_title(long, used) == "月" * 31
    assert sheet_title(long, used) == "月" * 29 + "-2"
    assert sheet_title("'quoted'", used) == "quoted"
    assert sheet_title("[]", used) == "--"
    assert sheet_title("", used) == "Sheet"


def test_xlsx_drops_control_characters_a_cell_cannot_hold():
    book = load_workbook(io.BytesIO(to_xlsx(Table("x", ["name"], [["Li\x00\x07 Lei"]]))))
    assert book.active["A2"].value == "Li Lei"


def test_a_pdf_renders_a_table_with_chinese_text():
    pdf = to_pdf(TABLE, title="考勤月报 2026-03", locale="zh_CN")
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = pdf_text(pdf)
        assert "考勤月报 2026-03" in text and "李雷" in text and "韩梅梅" in text
        assert "=1+1" in text and "'=1+1" not in text  # nothing runs in a PDF: names as they are
        assert "第 1 页，共 1 页" in text


@needs_pdftotext
def test_a_pdf_of_given_html_escapes_nothing_twice_and_counts_pages_in_english():
    rows = [[str(n), f"Agent {n}"] for n in range(120)]
    pdf = to_pdf([Table("First", ["No.", "Name"], rows), Table("Second", ["No."], [["x"]])],
                  title="Report <Alpha>", locale="en")
    text = pdf_text(pdf)
    assert "Report <Alpha>" in text and "Agent 119" in text and "Second" in text
    assert "Page 1 of " in text and "Page 2 of " in text
    given = to_pdf(html="<p>Hello <b>王芳</b></p>", title="Given", locale="zh_CN")
    assert "Hello 王芳" in pdf_text(given)


@needs_pdftotext
def test_a_pdf_loads_nothing_from_the_disk(tmp_path):
    sheet = tmp_path / "leak.css"
    sheet.write_text('body::after { content: "TOP-SECRET" }')  # shows if the file is read
    pdf = to_pdf(html=f'<link rel="stylesheet" href="file://{sheet}"><p>shown</p>', title="x",
                 locale="en")
    assert "shown" in pdf_text(pdf) and "TOP-SECRET" not in pdf_text(pdf)


def test_download_names_a_chinese_file_with_an_ascii_fallback():
    response = download(b"data", "阿尔法-考勤-2026-03.xlsx")
    header = response.headers["content-disposition"]
    assert header.startswith("attachment; filename=\"_-_-2026-03.xlsx\"; filename*=UTF-8''")
    assert unquote(header.split("UTF-8''")[1]) == "阿尔法-考勤-2026-03.xlsx"
    assert response.headers["content-type"] == \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["cache-control"] == "private, no-store" and response.body == b"data"
    assert download(b"", "x.bin", "text/plain").headers["content-type"].startswith("text/plain")


def test_a_file_name_cannot_break_out_of_the_header():
    header = content_disposition('报表"; filename=evil.exe\r\n.pdf')
    assert header.startswith('attachment; filename="___ filename=evil.exe_.pdf"; filename*=UTF-8\'\'')
    assert "\r" not in header and "\n" not in header and header.count('"') == 2
    assert content_disposition("考勤.pdf").startswith('attachment; filename="download.pdf"')


def test_a_cell_is_a_number_with_its_format_in_xlsx_and_its_text_elsewhere():
    import io as _io

    import openpyxl as _openpyxl

    from floorwalker.core import Cell, Table, to_csv, to_xlsx
    table = Table("KPIs", ["KPI", "Value", "Penalty"],
                  [["Service level", Cell(0.807, "0.0%", "80.7%"), Cell(2000, '"¥"#,##0.00', "¥2,000")],
                   ["AHT", Cell(243.0, '#,##0.0" s"', "243 s"), Cell(None, "0.0%")]])
    book = _openpyxl.load_workbook(_io.BytesIO(to_xlsx(table)))
    (_, sl, aht) = list(book.active.iter_rows())
    assert sl[1].value == 0.807 and sl[1].number_format == "0.0%"
    assert sl[2].value == 2000 and sl[2].number_format == '"¥"#,##0.00'
    assert aht[1].value == 243.0 and aht[2].value is None
    assert "80.7%" in to_csv(table).decode("utf-8-sig") and "243 s" in to_csv(table).decode("utf-8-sig")
