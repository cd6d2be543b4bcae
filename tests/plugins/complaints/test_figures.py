"""Complaint figures: per 1,000 contacts (from another plugin's KPI, "no contact data" without
one), the valid rate, business times, breaches per target, reopens; the KPIs a client may read;
the month-close blocker; the dashboard's deadline watch."""

import datetime as dt

import pytest

from floorwalker.core import KPI, KPIDef, hookimpl
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.complaints import figures, handling, records

from ...pgcluster import store_for

MONTH = "2026-11"


class Traffic:
    """A stand-in for the plugin that counts the contacts handled (the reporting plugin's)."""

    def __init__(self, contacts):
        self.contacts = contacts

    @hookimpl
    def register_kpis(self):
        return [KPIDef("contacts", "Contacts handled", "接触量", "", True, "sum", "client")]

    @hookimpl
    def project_kpis(self, floorwalker, project, period, first=None, last=None):
        return [KPI(code="contacts", title_en="Contacts handled", title_zh="接触量", value=self.contacts)]


def with_traffic(root, contacts):
    pm = make_plugin_manager(builtins=["complaints"])
    pm.register(Traffic(contacts), name="traffic")
    fw = Floorwalker(store_for(root), pm)
    fw.projects.create("acme", "Acme Co", "setup", plugins=["complaints", "traffic"])
    return fw, fw.projects.get("acme")


def take(fw, project, received, channel="handling_point", **fields):
    return records.intake(fw, project, {"channel": channel, "subject": "投诉", "received": received, **fields},
                          "desk")


def kpi(found, code):
    return next(k for k in found if k.code == code)


def test_without_contact_data_the_rate_says_so_and_is_never_zero(fw, acme, clock, signed_in):
    take(fw, acme, "2026-11-16 09:00")
    found = figures.kpis(fw, acme, MONTH)
    per = kpi(found, "complaints_per_thousand")
    assert per.value is None and per.title("zh_CN") == "千次接触投诉量：无接触量数据"
    assert kpi(found, "complaints_received").value == 1
    page = signed_in("sup").get(f"/p/acme/complaints/figures?month={MONTH}")
    assert page.status_code == 200 and page.context["f"].whole.per_thousand is None
    assert "无接触量数据" in page.text


@pytest.mark.parametrize("contacts, rate", [(1000, 2.0), (4000, 0.5), (0, None), (None, None)])
def test_complaints_per_thousand_contacts_from_another_plugins_kpi(tmp_path, clock, contacts, rate):
    fw, acme = with_traffic(tmp_path / "data", contacts)
    take(fw, acme, "2026-11-16 09:00")
    take(fw, acme, "2026-11-02 09:00")
    take(fw, acme, "2026-10-31 23:59")  # October's: not counted in November
    per = kpi(figures.kpis(fw, acme, MONTH), "complaints_per_thousand")
    assert per.value == rate
    assert (per.numerator, per.denominator) == ((2, contacts) if rate else (2, None))


def test_no_contacts_when_the_counting_plugin_is_off_for_the_project(tmp_path, clock):
    fw, acme = with_traffic(tmp_path / "data", 1000)
    fw.projects.disable("acme", "traffic", "setup")
    acme = fw.projects.get("acme")
    take(fw, acme, "2026-11-16 09:00")
    assert figures.contacts(fw, acme, MONTH) is None


def test_the_valid_rate_counts_decided_complaints_only(fw, acme, clock):
    for _ in range(3):
        take(fw, acme, "2026-11-16 09:00")
    handling.verdict(fw, acme, "C0001", "valid", "核实属实", "sup")
    handling.verdict(fw, acme, "C0002", "invalid", "录音显示无过失", "sup")
    found = figures.kpis(fw, acme, MONTH)
    valid = kpi(found, "complaints_valid_rate")
    assert (valid.value, valid.n, valid.numerator, valid.denominator) == (50.0, 2, 1, 2)
    assert figures.kpis(fw, acme, "2026-10")[2].value is None  # nothing decided: no rate, not 0 %


def test_first_response_in_business_hours_and_its_breach_rate(fw, acme, clock):
    # handling point: first response within 2 business hours of 09:00-18:00
    take(fw, acme, "2026-11-13 17:00")  # a Friday: the clock stops at 18:00, goes on Monday 09:00
    take(fw, acme, "2026-11-16 09:00")
    clock.now = dt.datetime(2026, 11, 16, 9, 30)
    handling.respond(fw, acme, "C0001", "desk")  # 1.5 business hours: met
    clock.now = dt.datetime(2026, 11, 16, 12, 0)
    handling.respond(fw, acme, "C0002", "desk")  # 3 business hours: failed
    s = figures.month_figures(fw, acme, MONTH).whole
    assert sorted(s.first_response) == [90, 180]
    assert s.first_response_hours == 2.2  # 135 minutes, to one decimal
    assert s.breach["first_response"] == [1, 2] and s.breach_rate("first_response") == 50.0
    assert s.breach_rate("solution") is None  # still running: not counted either way


def test_a_reopened_complaint_counts_in_the_reopen_rate(fw, acme, clock):
    take(fw, acme, "2026-11-16 09:00")
    take(fw, acme, "2026-11-16 09:00")
    for ident in ("C0001", "C0002"):
        handling.verdict(fw, acme, ident, "invalid", "无过失", "sup")
        handling.close(fw, acme, ident, "satisfied", "desk")
    handling.reopen(fw, acme, "C0002", "客户仍不满意", "desk")
    handling.escalate(fw, acme, "C0002", "不接受答复", "desk")
    s = figures.month_figures(fw, acme, MONTH).whole
    assert (s.reopened, s.closed_once, s.reopen_rate) == (1, 2, 50.0)
    assert s.escalations == 1


def test_figures_by_category_and_root_cause(fw, acme, clock):
    take(fw, acme, "2026-11-16 09:00", category="服务态度")
    take(fw, acme, "2026-11-16 09:00", category="服务态度")
    take(fw, acme, "2026-11-16 09:00")
    handling.classify(fw, acme, "C0001", {"root_cause": "坐席服务"}, "desk")
    m = figures.month_figures(fw, acme, MONTH)
    assert [(s.key, s.received) for s in m.categories] == [("服务态度", 2), ("", 1)]
    assert [(s.key, s.received) for s in m.root_causes] == [("坐席服务", 1), ("", 2)]


def test_internal_kpis_are_hidden_from_a_client(fw, acme, clock, signed_in):
    take(fw, acme, "2026-11-16 09:00")
    internal = {"complaints_reopen_rate", "complaints_escalations", "complaints_callbacks"}
    shown = lambda who: {t["code"] for t in signed_in(who).get(f"/p/acme/?month={MONTH}").context["figures"]["tiles"]}  # noqa: E731
    assert internal <= shown("sup")
    client = shown("client")
    assert {"complaints_received", "complaints_valid_rate", "complaints_per_thousand"} <= client
    assert not internal & client
    page = signed_in("client").get(f"/p/acme/complaints/figures?month={MONTH}")
    assert page.status_code == 200 and "追加次数" not in page.text and page.context["blocking"] == []


def test_a_complaint_past_its_deadline_without_a_verdict_blocks_the_month_until_decided(fw, acme, clock):
    take(fw, acme, "2026-11-16 09:00")
    take(fw, acme, "2026-11-16 10:00", channel="phone")  # 24-hour clock: not late yet
    clock.now = dt.datetime(2026, 11, 16, 10, 59)
    assert fw.periods.blockers("acme", MONTH) == []
    clock.now = dt.datetime(2026, 11, 16, 11, 1)  # 2 business hours passed without a response
    [blocker] = fw.periods.blockers("acme", MONTH)
    assert blocker.count == 1 and blocker.title("zh_CN") == "已超时且未判定的投诉"
    assert blocker.url == f"/p/acme/complaints/figures?month={MONTH}#blocking"
    assert fw.periods.blockers("acme", "2026-10") == []  # received after October
    handling.verdict(fw, acme, "C0001", "invalid", "无过失", "sup")
    assert fw.periods.blockers("acme", MONTH) == []


def test_the_dashboard_warns_before_a_breach_and_lists_the_breached(fw, acme, clock, signed_in):
    take(fw, acme, "2026-11-16 09:00")  # first response due 11:00
    take(fw, acme, "2026-11-16 09:50")  # due 11:50
    clock.now = dt.datetime(2026, 11, 16, 9, 55)
    w = figures.watch(fw, acme)
    assert [r["doc"]["id"] for r in w["near"]] == ["C0001", "C0002"] and w["late"] == []
    clock.now = dt.datetime(2026, 11, 16, 11, 30)
    page = signed_in("sup").get("/p/acme/")
    [widget] = [w for w in page.context["widgets"] if w.plugin == "complaints"]
    assert widget.context["counts"] == {"near": 1, "late": 1}
    assert widget.context["late"][0]["doc"]["id"] == "C0001"
    assert "投诉时限预警" in page.text and "/p/acme/complaints/C0001" in page.text
    client = signed_in("client").get("/p/acme/")
    assert not [w for w in client.context["widgets"] if w.plugin == "complaints"]
