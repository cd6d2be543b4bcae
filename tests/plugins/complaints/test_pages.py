"""The complaint pages: a phone call's intake, the queue's coloured clocks, the complaint page's
steps, and what a client login reads (masked)."""

import datetime as dt
import re

import pytest

from floorwalker.plugins.complaints import handling, records


@pytest.fixture
def web(signed_in):
    """Sign-ins of `build_company`'s users (`signed_in` in conftest)."""
    return signed_in


def token(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def test_a_phone_call_needs_two_fields_and_a_missing_one_is_named_in_chinese(fw, web):
    desk = web("desk")
    url = "/p/acme/complaints/new"
    r = desk.post(url, data={"csrf_token": token(desk, url), "channel": "phone", "subject": ""})
    assert r.status_code == 422
    assert r.context["errors"] == {"subject": "主题：为必填项"}
    r = desk.post(url, data={"csrf_token": token(desk, url), "channel": "phone", "subject": "坐席态度差",
                             "contact": "13812345678"})
    assert r.status_code == 303 and r.headers["location"] == "/p/acme/complaints/C0001"
    assert records.get(fw, "acme", "C0001")["owner"] == "desk"


def test_the_queue_colours_each_clock(fw, acme, web, clock):
    records.intake(fw, acme, {"channel": "phone", "subject": "一", "received": "2026-11-15 09:00"}, "desk")
    records.intake(fw, acme, {"channel": "phone", "subject": "二"}, "desk")
    clock.now = dt.datetime(2026, 11, 16, 8, 30)
    page = web("sup").get("/p/acme/complaints/")
    assert page.status_code == 200
    assert "clock-failed" not in page.text
    clock.now = dt.datetime(2026, 11, 16, 9, 30)
    page = web("sup").get("/p/acme/complaints/")
    assert "clock-failed" in page.text and "clock-running" in page.text
    assert [r["doc"]["id"] for r in page.context["rows"]][0] == "C0001"


def test_a_client_reads_its_complaints_masked(fw, acme, web):
    doc = records.intake(fw, acme, {"channel": "phone", "subject": "态度差", "complainant": "张三丰",
                                    "contact": "13812345678", "agent": "1001", "details": "内部备注"},
                         "desk")
    client = web("client")
    queue = client.get("/p/acme/complaints/")
    assert queue.status_code == 200
    assert "张**" in queue.text and "张三丰" not in queue.text and "13812345678" not in queue.text
    page = client.get(f"/p/acme/complaints/{doc['id']}")
    assert page.status_code == 200
    for secret in ("张三丰", "13812345678", "Li Lei", "内部备注", "Desk"):
        assert secret not in page.text, secret
    assert "138****5678" in page.text
    assert 'action="/p/acme/complaints/C0001/handle"' not in page.text
    staff = web("sup").get(f"/p/acme/complaints/{doc['id']}")
    assert "张三丰" in staff.text and "13812345678" in staff.text and "Li Lei" in staff.text


def test_the_complaint_page_takes_a_step_and_shows_it_in_the_timeline(fw, acme, web):
    doc = records.intake(fw, acme, {"channel": "phone", "subject": "态度差"}, "desk")
    desk = web("desk")
    url = f"/p/acme/complaints/{doc['id']}"
    r = desk.post(f"{url}/handle", data={"csrf_token": token(desk, url), "step": "escalate", "reason": ""})
    assert r.status_code == 422 and "原因" in r.context["error"]
    r = desk.post(f"{url}/handle", data={"csrf_token": token(desk, url), "step": "escalate",
                                         "reason": "客户不接受"})
    assert r.status_code == 303
    page = desk.get(url)
    assert "已追加" in page.text and "1 / 2" in page.text
    assert desk.post(f"{url}/decide", data={"csrf_token": token(desk, url), "step": "verdict"}).status_code == 403


def test_masking_cuts_names_and_contacts():
    assert records.mask_name("张三丰") == "张**"
    assert records.mask_contact("13812345678") == "138****5678"
    assert records.mask_contact("li.lei@example.com") == "l*****@example.com"
    assert records.mask_contact("12345") == "*****"
