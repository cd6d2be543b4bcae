"""KPIs of a span against the contract (issue 16, item 3): each service-level formula on one
day's numbers computed by hand, AHT / satisfaction / FCR / conversion / order value by hand, no
data is None (无数据 on the page), a contract change mid-month measures each part against its own
targets, a client sees only the client's figures, the dashboard's tiles, the CLI's JSON."""

import datetime as dt
import json

import pytest

from floorwalker.core import ValidationError
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.reporting import contracts, kpis, traffic

from .conftest import TwoFigures

DAY = dt.date(2026, 11, 10)
# one day of a hotline in two intervals; the day's sums are offered 200, answered 180, within
# T 150, abandoned 20 (5 of them short, 8 within T); talk 30,000 s, hold 3,000 s, wrap 3,600 s
HOTLINE_DAY = [
    {"day": "2026-11-10", "start": "09:00", "minutes": 30, "offered": 120, "answered": 110,
     "answered_in_threshold": 95, "threshold_seconds": 20, "abandoned": 10, "abandoned_short": 3,
     "abandoned_in_threshold": 5, "talk_seconds": 18000, "hold_seconds": 1800, "wrap_seconds": 2000,
     "csat_responses": 30, "csat_satisfied": 28, "fcr_responses": 25, "fcr_resolved": 21},
    {"day": "2026-11-10", "start": "09:30", "minutes": 30, "offered": 80, "answered": 70,
     "answered_in_threshold": 55, "threshold_seconds": 20, "abandoned": 10, "abandoned_short": 2,
     "abandoned_in_threshold": 3, "talk_seconds": 12000, "hold_seconds": 1200, "wrap_seconds": 1600,
     "csat_responses": 20, "csat_satisfied": 18, "fcr_responses": 15, "fcr_resolved": 13},
]


@pytest.fixture(scope="session")
def pm():
    pm = make_plugin_manager(builtins=["reporting"])
    pm.register(TwoFigures(), name="tiny")
    return pm


def version(fw, project, effective, formula="offered", **targets):
    """Save a contract version: targets as ``code=(typed target, penalty)``."""
    form = {"effective": effective, "sl_formula": formula, "sl_threshold_seconds": "20"}
    for code, (target, penalty) in targets.items():
        form[f"{code}.target"] = str(target)
        if penalty is not None:
            form[f"{code}.penalty"] = str(penalty)
    return contracts.save(fw, project, contracts.parse(fw, project, form), "hotline.supervisor")


def by_code(found):
    return {f.code: f for f in found}


@pytest.mark.parametrize("formula, expected", [
    ("offered", 150 / 200),                                 # 0.75
    ("offered_minus_abandoned", 150 / (200 - 20)),          # 0.8333
    ("offered_minus_short", 150 / (200 - 5)),               # 0.7692
    ("with_abandoned_in_t", (150 + 8) / 200),               # 0.79
    ("answered_plus_late_abandoned", 150 / (180 + 12)),     # 0.78125
])
def test_each_service_level_formula_on_one_day(fw, project, formula, expected):
    traffic.replace(fw, project, HOTLINE_DAY, "hotline.supervisor", "test")
    version(fw, project, "2026-11-01", formula, service_level=(80, 300))
    sl = by_code(kpis.figures(fw, project, DAY, DAY))["service_level"]
    assert sl.value == pytest.approx(expected)
    assert (sl.n, sl.target, sl.automated) == (200, 0.8, True)
    assert sl.met is (expected >= 0.8)
    assert sl.penalty == (None if expected >= 0.8 else 300.0)
    assert kpis.service_level(HOTLINE_DAY, formula, 20).value == pytest.approx(expected)


def test_the_service_level_counts_only_the_contracts_threshold(fw, project):
    other = [dict(r, threshold_seconds=30) for r in HOTLINE_DAY]
    assert kpis.service_level(other, "offered", 20).value is None
    assert kpis.service_level(other, "offered", 30).value == pytest.approx(0.75)


def test_handle_time_satisfaction_and_resolution_by_hand(fw, project):
    traffic.replace(fw, project, HOTLINE_DAY, "hotline.supervisor", "test")
    found = by_code(kpis.figures(fw, project, DAY, DAY))
    assert found["answer_rate"].value == pytest.approx(180 / 200)
    assert found["aht_seconds"].value == pytest.approx((30000 + 3000 + 3600) / 180)  # 203.3 s
    assert found["acw_seconds"].value == pytest.approx(3600 / 180)
    assert found["hold_seconds"].value == pytest.approx(3000 / 180)
    assert (found["satisfaction"].value, found["satisfaction"].n) == (pytest.approx(46 / 50), 50)
    assert (found["fcr"].value, found["fcr"].n) == (pytest.approx(34 / 40), 40)
    assert found["contacts"].value == 180
    assert "conversion_rate" not in found  # a hotline has no orders: nothing to show, not 0


def test_chat_first_response_conversion_and_order_value_by_hand(fw):
    shop = fw.projects.get("shop")
    traffic.replace(fw, shop, [{"day": "2026-11-10", "queue": "售前", "chat_sessions": 100,
                                "first_response_seconds": 1500, "inquiries": 80, "orders": 36,
                                "order_value": 6048.0}], "shop.supervisor", "test")
    found = by_code(kpis.figures(fw, shop, DAY, DAY))
    assert found["first_response_seconds"].value == pytest.approx(15.0)
    assert (found["conversion_rate"].value, found["conversion_rate"].n) == (pytest.approx(0.45), 80)
    assert (found["average_order_value"].value, found["average_order_value"].n) == (pytest.approx(168.0), 36)
    assert found["contacts"].value == 100  # chat sessions where no call was answered
    assert "service_level" not in found


def test_a_contract_change_mid_month_splits_the_month(fw, project):
    version(fw, project, "2026-11-01", answer_rate=(90, 500))
    version(fw, project, "2026-11-16", answer_rate=(95, 1000))
    traffic.replace(fw, project, [
        {"day": "2026-11-10", "offered": 100, "answered": 92},   # 92 % against 90 %: met
        {"day": "2026-11-20", "offered": 100, "answered": 93},   # 93 % against 95 %: missed
    ], "hotline.supervisor", "test")
    parts = [f for f in kpis.figures(fw, project, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
             if f.code == "answer_rate"]
    assert [(f.first, f.last, f.target, f.met, f.penalty) for f in parts] == [
        ("2026-11-01", "2026-11-15", 0.9, True, None),
        ("2026-11-16", "2026-11-30", 0.95, False, 1000.0)]
    assert [f.value for f in parts] == [pytest.approx(0.92), pytest.approx(0.93)]
    # one number for a trend: the parts added up as a ratio, not averaged
    assert kpis.series(fw, project, dt.date(2026, 11, 1), dt.date(2026, 11, 30), "month",
                       ["answer_rate"]) == {"answer_rate": [("2026-11", pytest.approx(185 / 200))]}


def test_no_data_is_none_never_zero(fw, project, login):
    version(fw, project, "2026-11-01", satisfaction=(96, None))
    sat = by_code(kpis.figures(fw, project, DAY, DAY))["satisfaction"]
    assert (sat.value, sat.met, sat.n, sat.penalty) == (None, None, None, None)
    fw.users.update("hotline.supervisor", "setup", locale="zh_CN")
    page = login("supervisor").get("/p/hotline/reporting/kpis?grain=day&at=2026-11-10")
    assert page.status_code == 200
    assert "无数据" in page.text and "满意度" in page.text


def test_a_client_sees_only_the_clients_figures(fw, project, login):
    fw.projects.enable("hotline", "tiny", "setup")
    project = fw.projects.get("hotline")
    version(fw, project, "2026-11-01", smiles=(95, 200))
    contracts.save(fw, project, {**contracts.versions(fw, project)[-1], "effective": "2026-11-02",
                                 "targets": {"smiles": {"target": 0.95, "higher_is_better": True,
                                                        "penalty": 200.0, "owner": "hotline.supervisor"}}},
                   "hotline.supervisor")
    staff = by_code(kpis.figures(fw, project, DAY, DAY, fw.users.get("hotline.team_leader")))
    client = by_code(kpis.figures(fw, project, DAY, DAY, fw.users.get("hotline.client")))
    assert {"smiles", "coffee"} <= set(staff) and "coffee" not in client
    assert client["smiles"].value == pytest.approx(0.975) and client["smiles"].met is True
    assert staff["smiles"].owner == "hotline.supervisor" and client["smiles"].owner is None
    page = login("client").get("/p/hotline/reporting/kpis?grain=day&at=2026-11-10")
    assert page.status_code == 200 and "Smile rate" in page.text
    assert "Coffee" not in page.text and "hotline supervisor" not in page.text


def test_a_value_entered_by_hand_is_labelled_and_never_over_a_computed_one(fw, project, login):
    traffic.replace(fw, project, HOTLINE_DAY, "hotline.supervisor", "test")
    fw.users.update("hotline.supervisor", "setup", locale="zh_CN")
    with pytest.raises(ValidationError, match="computed"):  # the day's rows give an FCR
        kpis.enter(fw, project, "fcr", DAY, DAY, "80", "12", "回访抽样", "hotline.supervisor")
    week = kpis.span("week", "2026-W46")
    kpis.enter(fw, project, "first_response_seconds", *week, "12", "400", "平台截图", "hotline.supervisor")
    hand = by_code(kpis.figures(fw, project, *week))["first_response_seconds"]
    assert (hand.value, hand.n, hand.automated) == (12.0, 400, False)
    page = login("supervisor").get("/p/hotline/reporting/kpis?grain=week&at=2026-W46")
    assert "手工录入" in page.text
    assert any(e["action"] == "reporting.kpi.enter" for e in fw.store.audit_entries("projects/hotline"))


def test_the_dashboard_tiles_read_the_contract(fw, project):
    traffic.replace(fw, project, HOTLINE_DAY, "hotline.supervisor", "test")
    version(fw, project, "2026-11-01", answer_rate=(85, None))
    tiles = {k.code: k for k in kpis.hook_kpis(fw, project, "2026-11", None, None)}
    assert (tiles["answer_rate"].value, tiles["answer_rate"].target, tiles["answer_rate"].unit) == (90.0, 85.0, "%")
    assert tiles["contacts"].value == 180


def test_the_cli_json_shape(fw, project, tmp_path):
    from click.testing import CliRunner

    from floorwalker.cli import make_cli
    traffic.replace(fw, project, HOTLINE_DAY, "hotline.supervisor", "test")
    version(fw, project, "2026-11-01", answer_rate=(95, 800))
    result = CliRunner().invoke(make_cli(fw.pm), ["--data", str(fw.store.root), "reporting", "kpis",
                                                  "--project", "hotline", "--first", "2026-11-10",
                                                  "--last", "2026-11-10", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = {k["code"]: k for k in json.loads(result.output)}
    assert found["answer_rate"] == {"code": "answer_rate", "value": 0.9, "target": 0.95, "met": False, "n": 200,
                                    "automated": True, "unit": "%", "penalty": 800.0,
                                    "first": "2026-11-10", "last": "2026-11-10", "missing_days": 0,
                                    "missing_fields": []}
    assert {"code", "value", "target", "met", "n", "automated"} <= set(found["satisfaction"])
