"""The ``floorwalker incentives`` commands, run with click's runner against a data folder."""

import orjson
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from floorwalker.cli import make_cli

MONTH = "2025-03"


@pytest.fixture
def run(fw, pm):
    cli = make_cli(pm)

    def invoke(*args, lang="en"):
        return CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", lang, "--as", "sup",
                                        *args])
    return invoke


def test_reversal_request_then_approve(fw, run, score):
    event = score("1001", -20)
    result = run("incentives", "reversals", "--project", "acme", "request", event["id"],
                 "--reason", "leave approved late")
    assert result.exit_code == 0, result.output
    listed = orjson.loads(run("incentives", "reversals", "--project", "acme", "--format", "json").stdout)
    assert [(r["event"], r["state"]) for r in listed] == [(event["id"], "pending")]
    result = run("incentives", "reversals", "--project", "acme", "approve", listed[0]["id"])
    assert result.exit_code == 0 and "reversed" in result.output
    assert run("incentives", "reversals", "--project", "acme").output.strip() == "(nothing to show)"


def test_a_rejection_needs_a_note(fw, run, score):
    event = score("1001", -20)
    run("incentives", "reversals", "--project", "acme", "request", event["id"], "--reason", "x")
    (request,) = orjson.loads(run("incentives", "reversals", "--project", "acme", "--format", "json").stdout)
    result = run("incentives", "reversals", "--project", "acme", "reject", request["id"], "--note", " ")
    assert result.exit_code == 1 and result.stderr.startswith("error: note: is required")


def test_tiers_refresh_and_accept(fw, run, score):
    for month in ("2025-01", "2025-02", "2025-03"):
        score("1001", 12, day=f"{month}-10")
        fw.periods.close("acme", month, "sup")
    listed = orjson.loads(run("incentives", "tiers", "--project", "acme", "--format", "json").stdout)
    assert [(s["agent"], s["to_tier"]) for s in listed] == [("1001", "senior")]
    result = run("incentives", "tiers", "--project", "acme", "accept", listed[0]["id"])
    assert result.exit_code == 0, result.output
    assert fw.agents.get("1001")["tier"] == "senior"


def test_draft_backtest_publish(fw, run, score):
    score("1001", 9)
    fw.periods.close("acme", MONTH, "sup")
    result = run("incentives", "draft", "--project", "acme", "--set",
                 'grade_bands={"A": 88, "B": 80, "C": 70, "D": 65, "E": 60}', "--set", "pay_per_point=20")
    assert result.exit_code == 0, result.output
    result = run("incentives", "backtest", "--project", "acme", "--month", MONTH)
    assert result.exit_code == 0, result.output
    assert "1 of 4 agents change; pay float total 90 → 180." in result.output
    result = run("incentives", "publish", "--project", "acme")
    assert "takes effect from 2025-04" in result.output


def test_a_bad_draft_is_one_error_line(run):
    result = run("incentives", "draft", "--project", "acme", "--set", "pay_cap=-5")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: pay_cap: must be at least 0"


def test_export_pay_writes_xlsx_of_a_closed_month_only(fw, run, score, tmp_path):
    score("1001", 11)
    fw.ledger.record("acme", "1002", "asleep_on_duty", "2025-03-05", "tl")
    out = tmp_path / "pay.xlsx"
    result = run("incentives", "export-pay", "--project", "acme", "--month", MONTH, "-o", str(out))
    assert result.exit_code == 1 and "close 2025-03 first" in result.stderr and not out.exists()
    fw.periods.close("acme", MONTH, "sup")
    result = run("incentives", "export-pay", "--project", "acme", "--month", MONTH, "-o", str(out),
                 lang="zh_CN")
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.values)
    assert rows[0][:7] == ("工号", "姓名", "班组", "考核分", "等级", "入职第几月", "绩效浮动")
    by_number = {r[0]: r for r in rows[1:]}
    assert by_number["1001"][3:7] == (91, "A", 3, 110)
    assert by_number["1002"][8] == "辞退级违纪"
    assert by_number["1004"][6] == 0
