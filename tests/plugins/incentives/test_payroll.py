"""The pay-float workbook: headings in the reader's language, flags in words, formulas quoted."""

import io

from openpyxl import load_workbook

from floorwalker.plugins.incentives import payroll

ROWS = [{"number": "1001", "name": "=HYPERLINK(\"http://x\",\"pay\")", "team": "+day", "total": 92,
         "grade": "A", "employment_month": 7, "pay_float": -120, "rewards": 0,
         "flags": ["dismissal_review"]}]


def test_the_pay_workbook_quotes_formulas_and_keeps_numbers():
    sheet = load_workbook(io.BytesIO(payroll.workbook(ROWS, "2026-03", "zh_CN"))).active
    header, row = list(sheet.iter_rows())
    assert sheet.title == "2026-03" and header[0].value == "工号" and header[0].font.bold
    assert row[1].value == "'=HYPERLINK(\"http://x\",\"pay\")" and row[2].value == "'+day"
    assert row[6].value == -120 and row[6].data_type == "n"
    assert row[8].value == "辞退评审"
    assert not [c for c in row if c.data_type == "f"]
