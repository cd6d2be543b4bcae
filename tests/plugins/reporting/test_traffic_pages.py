"""The traffic page (the staff's: per day of a month, a day's intervals), the upload through the
core's Import page with its preview, who may see it, and `floorwalker reporting traffic …`."""

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner

from floorwalker.cli import make_cli
from floorwalker.plugins.reporting import traffic

DAY = [{"day": "2026-11-03", "start": s, "minutes": 30, "queue": "", "offered": o, "answered": a,
        "answered_in_threshold": w, "threshold_seconds": 20, "abandoned": o - a, "talk_seconds": a * 200,
        "csat_responses": 10, "csat_satisfied": 9}
       for s, o, a, w in (("08:00", 100, 95, 90), ("08:30", 200, 180, 100))]
FILE = ("话务报表\n日期,时段,呼入量,接通量,20秒内接通,放弃量,通话时长\n"
        "2026-11-05,09:00-09:30,100,96,85,4,5:20:00\n2026-11-05,09:30-10:00,110,100,80,10,5:40:00\n"
        "合计,,210,196,165,14,,\n").encode()


@pytest.fixture
def filled(fw):
    traffic.replace(fw, "hotline", DAY, "hotline.supervisor", "test")
    return fw


def test_the_supervisor_reads_the_month_by_day_and_drills_into_a_day(filled, login, fw):
    client = login("supervisor")
    month = client.get("/p/hotline/reporting/traffic?month=2026-11")
    assert month.status_code == 200
    days = month.context["days"]
    assert [(d["day"], d["offered"], d["answered"]) for d in days] == [("2026-11-03", 300, 275)]
    assert days[0]["within"] == pytest.approx(190 / 300)  # of the calls offered
    assert 'href="/p/hotline/reporting/traffic?day=2026-11-03"' in month.text
    assert 'href="/p/hotline/import"' in month.text  # the upload goes through the Import page
    titles = [title for _, title, _ in month.context["columns"]]
    assert "Chat sessions" not in titles and "Orders" not in titles  # a voice floor's columns only
    day = client.get("/p/hotline/reporting/traffic?day=2026-11-03")
    assert day.status_code == 200
    assert [(line["start"], line["offered"]) for line in day.context["lines"]] == [("08:00", 100), ("08:30", 200)]
    assert day.context["whole"]["aht"] == pytest.approx(200)
    assert "miss" not in day.text  # the project has no service-level target yet
    fw.projects.set("hotline", "kpi.service_level", 0.8, "admin")
    marked = client.get("/p/hotline/reporting/traffic?day=2026-11-03").text
    assert 'class="num miss">50.0%' in marked and 'class="num">90.0%' in marked  # 08:30 misses 80 %


def test_a_month_without_traffic_says_so(filled, login):
    page = login("supervisor").get("/p/hotline/reporting/traffic?month=2026-10")
    assert page.status_code == 200 and "No traffic imported for this month." in page.text
    assert "2026-11" in page.text  # where the traffic is


def test_a_bad_day_or_month_is_refused(fw, login):
    client = login("supervisor")
    assert client.get("/p/hotline/reporting/traffic?day=2026-13-40").status_code == 422
    assert client.get("/p/hotline/reporting/traffic?month=11-2026").status_code == 422


@pytest.mark.parametrize("role, status", [("team_leader", 200), ("admin", 200), ("client", 403), ("agent", 403)])
def test_traffic_is_for_the_staff(filled, login, role, status):
    assert login(role).get("/p/hotline/reporting/traffic").status_code == status


def test_a_client_of_another_project_does_not_find_it(filled, login):
    assert login("client", "shop").get("/p/hotline/reporting/traffic").status_code == 404


def test_the_chinese_page_has_no_english_headings(filled, signed_in, fw):
    fw.users.update("hotline.supervisor", "admin", locale="zh_CN")
    page = signed_in("hotline.supervisor").get("/p/hotline/reporting/traffic?month=2026-11")
    body = page.text.split("<main", 1)[-1]
    assert "呼入量" in body and "接通率" in body and "阈值内" in body
    assert "Offered" not in body and "Answered contacts" not in body


def test_the_import_page_previews_then_writes_the_traffic(fw, login, csrf):
    client = login("supervisor")
    assert "Traffic (calls and chats)" in client.get("/p/hotline/import").text
    token = csrf(client)
    preview = client.post("/p/hotline/import/reporting.traffic", data={"csrf_token": token},
                          files={"file": ("话务.csv", FILE, "text/csv")})
    assert preview.status_code == 200 and "header on row 2" in preview.text
    assert re.search(r"<strong>2</strong> rows", preview.text)
    assert traffic.rows(fw, "hotline", dt.date(2026, 11, 5), dt.date(2026, 11, 5)) == []
    upload = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    done = client.post("/p/hotline/import/reporting.traffic",
                       data={"csrf_token": token, "token": upload, "step": "import"})
    assert done.status_code == 303
    rows = traffic.rows(fw, "hotline", dt.date(2026, 11, 5), dt.date(2026, 11, 5))
    assert [(r["start"], r["answered_in_threshold"], r["threshold_seconds"]) for r in rows] == \
        [("09:00", 85, 20), ("09:30", 80, 20)]


def test_the_traffic_page_opens_the_import_at_its_importer_and_is_led_back_to(filled, fw, login, csrf):
    client = login("supervisor")
    page = client.get("/p/hotline/reporting/traffic").text
    url = re.search(r'href="(/p/hotline/import\?[^"]+)"', page).group(1)
    assert url.endswith("#import-reporting.traffic")
    opened = client.get(url.split("#")[0]).text
    assert 'id="import-reporting.traffic"' in opened
    assert 'name="back" value="/p/hotline/reporting/traffic"' in opened
    token = csrf(client)
    preview = client.post("/p/hotline/import/reporting.traffic", data={"csrf_token": token, "back": "/p/hotline/reporting/traffic"},
                          files={"file": ("话务.csv", FILE, "text/csv")})
    upload = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    done = client.post("/p/hotline/import/reporting.traffic", data={"csrf_token": token, "token": upload,
                                                                     "step": "import", "back": "/p/hotline/reporting/traffic"})
    assert 'href="/p/hotline/reporting/traffic"' in client.get(done.headers["location"]).text  # "Back" to traffic


def test_a_team_leader_may_not_import(fw, login, csrf):
    client = login("team_leader")
    assert client.post("/p/hotline/import/reporting.traffic", data={"csrf_token": csrf(client)},
                       files={"file": ("t.csv", FILE, "text/csv")}).status_code == 403


def test_the_nav_has_the_reporting_entry_for_the_staff_only(filled, login):
    assert 'href="/p/hotline/reporting/"' in login("supervisor").get("/p/hotline/reporting/traffic").text
    agent_page = login("agent").get("/p/hotline/agents/1001")
    assert agent_page.status_code == 200 and 'href="/p/hotline/reporting/"' not in agent_page.text


# ------------------------------------------------------------------ the command line


@pytest.fixture
def run(fw, pm):
    cli = make_cli(pm)

    def invoke(*args):
        return CliRunner().invoke(cli, ["--data", str(fw.store.root), "--lang", "en", *args],
                                  catch_exceptions=False)
    return invoke


def test_the_cli_dry_run_writes_nothing_then_the_import_writes(fw, run, tmp_path):
    path = tmp_path / "话务.csv"
    path.write_bytes(FILE)
    dry = run("reporting", "traffic", "import", str(path), "--project", "hotline", "--dry-run",
              "--format", "json")
    assert dry.exit_code == 0, dry.output
    preview = json.loads(dry.output)
    assert preview["written"] is False and preview["header_row"] == 2
    assert preview["counts"]["rows"]["rows"] == 2 and preview["refused"] == []
    assert traffic.rows(fw, "hotline", dt.date(2026, 11, 5), dt.date(2026, 11, 5)) == []
    done = run("reporting", "traffic", "import", str(path), "--project", "hotline")
    assert done.exit_code == 0 and "2 rows over 1 days written, 0 rows replaced" in done.output
    again = run("reporting", "traffic", "import", str(path), "--project", "hotline")
    assert "2 rows replaced" in again.output
    same = run("import", "reporting.traffic", str(path), "--project", "hotline")  # the core's command too
    assert same.exit_code == 0, same.output


def test_the_cli_refuses_a_bad_row_and_names_it(fw, run, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(FILE.replace(b"5:40:00", b"later"))
    done = run("reporting", "traffic", "import", str(path), "--project", "hotline")
    assert done.exit_code == 2 and "row 4" in done.output and "通话时长" in done.output
    assert traffic.rows(fw, "hotline", dt.date(2026, 11, 5), dt.date(2026, 11, 5)) == []
    dry = run("reporting", "traffic", "import", str(path), "--project", "hotline", "--dry-run")
    assert dry.exit_code == 1 and "row 4" in dry.output


def test_the_cli_shows_a_day_as_json_and_csv(filled, run):
    shown = run("reporting", "traffic", "show", "--project", "hotline", "--day", "2026-11-03", "--format", "json")
    data = json.loads(shown.output)
    assert [r["start"] for r in data["rows"]] == ["08:00", "08:30"]
    assert data["totals"]["offered"] == 300 and data["totals"]["chat_sessions"] is None
    csv = run("reporting", "traffic", "show", "--project", "hotline", "--day", "2026-11-03", "--format", "csv")
    assert csv.output.splitlines()[0].startswith("interval start,minutes,queue")
    assert len(csv.output.splitlines()) == 3


def test_a_saved_mapping_reads_a_platform_with_its_own_headings(fw, run, tmp_path):
    from floorwalker.core import mappings
    path = tmp_path / "acd.csv"
    path.write_text("统计日期,时间,进线数,应答数,应答率\n2026-11-05,09:00,50,48,96%\n2026-11-05,09:30,40,40,100%\n",
                    encoding="utf-8")
    refused = run("reporting", "traffic", "import", str(path), "--project", "hotline")
    assert refused.exit_code == 2 and "offered" in refused.output
    mappings.save(fw, "hotline", "reporting.traffic", "华为ACD", {"offered": "进线数", "answered": "应答数"},
                  "hotline.supervisor")
    done = run("reporting", "traffic", "import", str(path), "--project", "hotline", "--mapping", "华为ACD")
    assert done.exit_code == 0, done.output
    rows = traffic.rows(fw, "hotline", dt.date(2026, 11, 5), dt.date(2026, 11, 5))
    assert [(r["start"], r["offered"], r["answered"]) for r in rows] == [("09:00", 50, 48), ("09:30", 40, 40)]
    again = run("reporting", "traffic", "import", str(path), "--project", "hotline")  # the one that fits
    assert again.exit_code == 0 and "Read with the saved mapping 华为ACD." in again.output
