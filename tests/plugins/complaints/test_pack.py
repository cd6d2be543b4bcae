"""The monthly complaint review pack: the month's complaints, their handling and prevention, as a
page, an xlsx and a PDF, masked for a client reader; the prevention measures a supervisor writes."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from floorwalker.plugins.complaints import handling, pack, records

MONTH = "2026-11"
URL = "/p/acme/complaints/pack"


@pytest.fixture
def month(fw, acme, clock):
    """Two complaints of November (one against Li Lei, valid, handled and closed), one of October."""
    records.intake(fw, acme, {"channel": "handling_point", "subject": "坐席态度差", "complainant": "张三丰",
                              "contact": "13812345678", "agent": "1001", "received": "2026-11-10 10:00"}, "desk")
    records.intake(fw, acme, {"channel": "email", "subject": "退款太慢", "complainant": "Li Ming",
                              "contact": "li.ming@example.com", "received": "2026-11-12 15:00"}, "desk")
    records.intake(fw, acme, {"channel": "phone", "subject": "上月的投诉", "complainant": "王五",
                              "contact": "13900001111", "received": "2026-10-20 10:00"}, "desk")
    handling.classify(fw, acme, "C0001", {"root_cause": "坐席服务", "side": "bpo", "responsible": "班长甲"}, "desk")
    handling.verdict(fw, acme, "C0001", "valid", "录音核实：语气生硬", "sup", rule="complaint_reply_poor")
    handling.callback(fw, acme, "C0001", "accepted", "desk", "客户接受道歉")
    handling.propose(fw, acme, "C0001", "致歉并辅导坐席", "desk")
    handling.approve(fw, acme, "C0001", "sup")
    handling.close(fw, acme, "C0001", "satisfied", "desk")
    clock.now = dt.datetime(2026, 12, 3, 10, 0)
    return MONTH


def sheets(body: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(body))
    return {ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def text_of(rows) -> str:
    return "\n".join(" ".join("" if c is None else str(c) for c in row) for row in rows)


def test_the_xlsx_holds_the_months_complaints_their_handling_and_prevention(fw, acme, month, signed_in):
    r = signed_in("sup").get(f"{URL}.xlsx?month={month}")
    assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment")
    found = sheets(r.content)
    assert list(found) == ["统计指标 2026-11", "投诉", "处理情况", "原因分析与预防", "整改与预防措施"]
    complaints = found["投诉"]
    assert [row[0] for row in complaints[1:]] == ["C0001", "C0002"]  # not October's C0003
    assert complaints[1][3:7] == ["张三丰", "13812345678", "坐席态度差", "1001 Li Lei"]
    handled = text_of(found["处理情况"])
    assert "录音核实：语气生硬" in handled and "致歉并辅导坐席" in handled and "班长甲" in handled
    assert "客户接受" in handled  # the last callback's outcome
    assert found["原因分析与预防"][1][:3] == ["坐席服务", 1, 1]
    figures = {row[0]: row[1] for row in found["统计指标 2026-11"][1:]}
    assert figures["投诉量"] == 2 and figures["千次接触投诉量"] == "无接触量数据" and "追加次数" in figures


def test_a_client_gets_the_pack_masked_and_without_internal_figures(fw, acme, month, signed_in):
    client = signed_in("client")
    found = sheets(client.get(f"{URL}.xlsx?month={month}").content)
    everything = "\n".join(text_of(rows) for rows in found.values())
    for secret in ("张三丰", "13812345678", "li.ming@example.com", "Li Lei", "1001", "班长甲",
                   "录音核实", "Desk"):
        assert secret not in everything, secret
    shown = [row[0] for row in found["统计指标 2026-11"][1:]]
    assert "投诉量" in shown and "投诉成立率" in shown
    assert not {"追加次数", "投诉重开率", "回访次数"} & set(shown)
    assert "张**" in everything and "138****5678" in everything and "l******@example.com" in everything
    assert found["投诉"][1][6] == "某位坐席"  # against an agent, not which one
    page = client.get(f"{URL}?month={month}")
    assert page.status_code == 200 and "138****5678" in page.text and "13812345678" not in page.text
    assert 'name="prevention"' not in page.text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by scripts/setup --test")
def test_the_pdf_lists_the_months_complaints_masked_for_a_client(fw, acme, month, signed_in):
    def pdf_text(who):
        r = signed_in(who).get(f"{URL}.pdf?month={month}")
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
        return subprocess.run(["pdftotext", "-", "-"], input=r.content, capture_output=True,
                              check=True).stdout.decode()
    staff = pdf_text("sup")
    assert "月度投诉分析" in staff and "C0001" in staff and "C0002" in staff and "C0003" not in staff
    assert "13812345678" in staff
    client = pdf_text("client")
    assert "C0001" in client and "138****5678" in client
    assert "13812345678" not in client and "张三丰" not in client


def test_a_supervisor_writes_the_prevention_measures_and_they_reach_the_pack(fw, acme, month, signed_in):
    sup = signed_in("sup")
    page = sup.get(f"{URL}?month={month}")
    token = page.context["csrf_token"]
    r = sup.post(URL, data={"csrf_token": token, "month": month, "prevention": "语气话术培训\n每周抽听投诉录音"})
    assert r.status_code == 303 and r.headers["location"] == f"{URL}?month={month}"
    assert pack.note(fw, acme, month)["by"] == "sup"
    found = sheets(sup.get(f"{URL}.xlsx?month={month}").content)
    assert found["整改与预防措施"][1:] == [["语气话术培训"], ["每周抽听投诉录音"]]
    bad = sup.post(URL, data={"csrf_token": token, "month": "11月", "prevention": "x"})
    assert bad.status_code == 422 and "月份" in bad.context["error"]
    assert pack.note(fw, acme, month)["prevention"].startswith("语气话术培训")
    entries = list(fw.store.audit_entries())
    assert any(e.get("action") == "complaints.pack" for e in entries)


def test_only_those_who_decide_write_the_measures(fw, acme, month, signed_in):
    for who in ("desk", "client"):
        c = signed_in(who)
        token = c.get(f"{URL}?month={month}").context["csrf_token"]
        assert c.post(URL, data={"csrf_token": token, "month": month, "prevention": "x"}).status_code == 403
    assert pack.note(fw, acme, month) is None
