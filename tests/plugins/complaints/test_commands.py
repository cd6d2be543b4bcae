"""`floorwalker complaints …`: a handling point's list imported all or nothing, the month's list
as JSON in the issue's shape, a verdict, and the third escalation refused."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.plugins.complaints import records

LIST = ("工单号,受理时间,渠道,投诉人,联系电话,投诉内容,工号,严重程度\n"
        "QD-1,2026-11-13 17:00,起点,王芳,13800001111,坐席与客户争吵,1001,严重\n"
        "QD-2,2026/11/16 9:30,电话,李强,13900002222,退款太慢,,一般\n")


@pytest.fixture
def run(fw, pm):
    cli = make_cli(pm)

    def invoke(*args):
        return CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", "en", *args],
                                  catch_exceptions=False)
    return invoke


def test_import_is_all_or_nothing_and_a_second_import_adds_nothing(fw, run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(LIST + "QD-3,2026-11-16 10:00,传真,赵六,,无人接听,,\n", encoding="utf-8")
    refused = run("complaints", "import", str(bad), "--project", "acme")
    assert refused.exit_code == 2 and "row 4" in refused.output and "渠道" in refused.output
    assert records.all_of(fw, "acme") == []
    good = tmp_path / "list.csv"
    good.write_text(LIST, encoding="gb18030")
    done = run("complaints", "import", str(good), "--project", "acme")
    assert done.exit_code == 0 and "Imported 2 complaints (0 already there)" in done.output
    first = records.get(fw, "acme", "C0001")
    assert (first["external_id"], first["channel"], first["severity"], first["agent"], first["subject"]) == \
        ("QD-1", "handling_point", "serious", "1001", "坐席与客户争吵")
    again = run("complaints", "import", str(good), "--project", "acme")
    assert "Imported 0 complaints (2 already there)" in again.output


def test_list_as_json_verdict_and_escalations(fw, run, tmp_path, clock):
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    assert run("complaints", "import", str(path), "--project", "acme").exit_code == 0
    done = run("complaints", "verdict", "C0001", "--valid", "--rule", "quarrel_with_customer",
               "--reason", "录音证实")
    assert done.exit_code == 0 and "Complaint C0001 is valid." in done.output
    for n in (1, 2):
        assert f"({n} of 2)" in run("complaints", "escalate", "C0002", "--reason", "不接受").output
    third = run("complaints", "escalate", "C0002", "--reason", "不接受")
    assert third.exit_code != 0 and "no third escalation" in third.output
    clock.now = dt.datetime(2026, 11, 16, 12, 0)
    listed = json.loads(run("complaints", "list", "--project", "acme", "--month", "2026-11",
                            "--format", "json").output)
    assert [c["id"] for c in listed] == ["C0001", "C0002"]
    first, second = listed
    assert set(first) == {"id", "received", "channel", "severity", "category", "agent", "verdict",
                          "status", "escalations", "targets"}
    assert (first["agent"], first["verdict"], first["status"], first["escalations"]) == \
        ("1001", "valid", "open", 0)
    # Friday 17:00 through the handling point: 2 business hours, the weekend not counted
    assert first["targets"]["first_response"] == {"due": "2026-11-16 10:00", "state": "failed", "minutes": 240}
    assert first["targets"]["closure"]["state"] == "running"
    assert (second["agent"], second["verdict"], second["escalations"]) == (None, None, 2)
    table = run("complaints", "list", "--project", "acme", "--month", "2026-11")
    assert "C0002" in table.output and "Phone" in table.output
