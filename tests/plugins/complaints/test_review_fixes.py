"""What the acceptance walk of the seed-7 demo found (issue 14 review): a floor agent takes a
complaint and handles only its own; first-contact ownership enforced; a reopened complaint closed
only with its changed solution; ids unique across the install; the verdict's rules limited to
the complaint rules; the timeline on the project's clock; the queue's order and month filter."""

import datetime as dt
import re

import pytest

from floorwalker.core import Conflict, PermissionDenied, ValidationError
from floorwalker.plugins.complaints import handling, pack, records


@pytest.fixture
def web(fw, signed_in, cheap_argon2):
    """Sign-ins of `build_company`'s users, and of ``li``: agent 1001 Li Lei's own login."""
    from floorwalker.core.users import hash_password
    with cheap_argon2():
        hashed = hash_password("correct-horse-7")
    fw.users.add_many([fw.users.prepare("li", hashed, ["agent"], ["acme"], "Li Lei", "zh_CN", agent="1001"),
                       fw.users.prepare("han", hashed, ["agent"], ["acme"], "Han Meimei", "zh_CN",
                                        agent="1002")], "setup")
    return signed_in


def token(client, url):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)


def post(client, url, **data):
    return client.post(url, data={"csrf_token": token(client, url.rsplit("/", 1)[0] if url.endswith(
        ("/handle", "/decide")) else url), **data})


# ------------------------------------------------------------------ 1. an agent takes a complaint

def test_an_agent_takes_a_complaint_and_handles_only_its_own(fw, acme, web):
    li = web("li")
    form = li.get("/p/acme/complaints/new")
    assert form.status_code == 200 and 'name="severity"' not in form.text  # no severity for an agent
    r = post(li, "/p/acme/complaints/new", channel="phone", subject="客户投诉查询太慢", severity="serious")
    assert r.status_code == 303
    mine = records.get(fw, acme, r.headers["location"].rsplit("/", 1)[1])
    assert mine["owner"] == "li" and mine["severity"] == "general"
    other = records.intake(fw, acme, {"channel": "phone", "subject": "别人的投诉"}, "desk")
    queue = li.get("/p/acme/complaints/")
    assert [row["doc"]["id"] for row in queue.context["rows"]] == [mine["id"]]
    assert "别人的投诉" not in queue.text and "/figures" not in queue.text
    assert li.get(f"/p/acme/complaints/{other['id']}").status_code == 404
    assert li.get("/p/acme/complaints/figures").status_code == 403
    assert li.get("/p/acme/complaints/pack").status_code == 403
    page = li.get(f"/p/acme/complaints/{mine['id']}")
    assert page.status_code == 200
    for hidden in ('value="verdict"', 'value="severity"', 'value="close"', 'value="escalate"'):
        assert hidden not in page.text, hidden
    url = f"/p/acme/complaints/{mine['id']}"
    assert post(li, f"{url}/handle", step="respond", note="已致歉").status_code == 303
    refused = post(li, f"{url}/handle", step="escalate", reason="客户不接受")
    assert refused.status_code == 403 and "坐席" in refused.context["error"]
    assert post(li, f"{url}/decide", step="verdict", outcome="invalid", reason="x").status_code == 403
    assert post(li, f"/p/acme/complaints/{other['id']}/handle", step="respond").status_code == 404
    # handed over by name to the desk: no longer the agent's to read
    r = post(li, f"{url}/handle", step="handover", to="desk", note="转质检跟进")
    assert r.status_code == 303 and r.headers["location"] == "/p/acme/complaints/"
    assert records.get(fw, acme, mine["id"])["owner"] == "desk"
    assert li.get(url).status_code == 404 and li.get("/p/acme/complaints/").context["rows"] == []


def test_a_complaint_is_handed_over_to_the_staff_not_to_another_agent(fw, acme, web):
    web("sup")  # the agents' logins exist
    doc = records.intake(fw, acme, {"channel": "phone", "subject": "态度差"}, "li")
    with pytest.raises(ValidationError):
        handling.handover(fw, acme, doc["id"], "han", "li")


# ------------------------------------------------------------------ 3. first-contact ownership

def test_only_the_owner_acts_and_a_supervisor_only_where_one_is_needed(fw, acme):
    doc = records.intake(fw, acme, {"channel": "phone", "subject": "态度差"}, "lead")
    sup = fw.users.get("sup")
    with pytest.raises(PermissionDenied):  # the supervisor does not respond on the lead's complaint
        handling.respond(fw, acme, doc["id"], "sup")
    handling.handover(fw, acme, doc["id"], "desk", "lead")
    with pytest.raises(PermissionDenied):  # the previous owner no longer logs a callback
        handling.callback(fw, acme, doc["id"], "accepted", "lead")
    handling.callback(fw, acme, doc["id"], "accepted", "desk")
    handling.escalate(fw, acme, doc["id"], "客户追加", "sup", user=sup)  # a supervisor may escalate
    with pytest.raises(PermissionDenied):
        handling.escalate(fw, acme, doc["id"], "客户追加", "lead", user=fw.users.get("lead"))
    handling.handover(fw, acme, doc["id"], "lead", "sup", user=sup)  # and reassign
    assert records.get(fw, acme, doc["id"])["owner"] == "lead"


def test_a_refusal_is_shown_in_the_readers_language(fw, acme, web):
    doc = records.intake(fw, acme, {"channel": "phone", "subject": "态度差"}, "lead")
    sup = web("sup")
    url = f"/p/acme/complaints/{doc['id']}"
    page = sup.get(url)
    assert 'value="respond"' not in page.text and 'value="handover"' in page.text
    r = post(sup, f"{url}/handle", step="respond", note="x")
    assert r.status_code == 403 and "当前负责人" in r.context["error"]


# ------------------------------------------------------------------ 2. closing a reopened complaint

def _closed(fw, acme):
    doc = records.intake(fw, acme, {"channel": "handling_point", "subject": "退款太慢"}, "desk")
    handling.respond(fw, acme, doc["id"], "desk")
    handling.verdict(fw, acme, doc["id"], "invalid", "无过失", "sup")
    handling.propose(fw, acme, doc["id"], "解释退款流程", "desk")
    handling.approve(fw, acme, doc["id"], "sup")
    handling.close(fw, acme, doc["id"], "unsatisfied", "desk")
    return doc["id"]


def test_a_reopened_complaint_closes_only_with_its_changed_solution_approved(fw, acme, clock):
    ident = _closed(fw, acme)
    clock.now = dt.datetime(2026, 11, 17, 10, 0)
    handling.reopen(fw, acme, ident, "客户仍不满意", "desk")
    with pytest.raises(Conflict):
        handling.close(fw, acme, ident, "satisfied", "desk")
    handling.propose(fw, acme, ident, "加急退款并致歉", "desk")
    with pytest.raises(Conflict):  # proposed, not approved yet
        handling.close(fw, acme, ident, "satisfied", "desk")
    handling.approve(fw, acme, ident, "sup")
    done = handling.close(fw, acme, ident, "satisfied", "desk")
    clock.now = dt.datetime(2026, 12, 30, 10, 0)
    assert {c.state for c in records.targets(fw, acme, done)} <= {"met", "failed"}


def test_a_closed_complaint_never_has_a_running_clock(fw, acme, clock):
    """Data stored before the fix (closed without a solution) reads as done when it closed."""
    doc = records.intake(fw, acme, {"channel": "handling_point", "subject": "退款太慢"}, "desk")
    stored = {**doc, "status": "closed", "closed_at": "2026-11-16 11:00:00", "first_response_at": None,
              "solved_at": None}
    clock.now = dt.datetime(2026, 12, 30, 10, 0)
    found = records.targets(fw, acme, stored)
    assert [c.state for c in found] == ["met", "met", "met"]
    assert {t["state"] for t in records.as_json(stored, found)["targets"].values()} == {"met"}


def test_close_is_not_offered_while_on_hold(fw, acme, web):
    doc = records.intake(fw, acme, {"channel": "phone", "subject": "态度差"}, "desk")
    handling.verdict(fw, acme, doc["id"], "invalid", "无过失", "sup")
    handling.wait(fw, acme, doc["id"], "customer", "desk")
    page = web("desk").get(f"/p/acme/complaints/{doc['id']}")
    assert 'value="close"' not in page.text and "恢复计时后再结案" in page.text


def test_a_met_targets_due_time_stays_while_paused(fw, acme, clock):
    doc = records.intake(fw, acme, {"channel": "handling_point", "subject": "退款太慢"}, "desk")
    clock.now = dt.datetime(2026, 11, 16, 11, 0)
    handling.respond(fw, acme, doc["id"], "desk")
    before = next(c for c in records.targets(fw, acme, records.get(fw, acme, doc["id"]))
                  if c.target == "first_response")
    handling.wait(fw, acme, doc["id"], "client", "desk")
    clock.now = dt.datetime(2026, 11, 18, 15, 0)
    after = {c.target: c for c in records.targets(fw, acme, records.get(fw, acme, doc["id"]))}
    assert after["first_response"].state == "met" and after["first_response"].due == before.due
    assert after["solution"].state == "paused"


# ------------------------------------------------------------------ 4. ids unique across the install

def test_new_ids_are_unique_across_projects_and_the_cli_needs_no_project(fw, acme, pm):
    from click.testing import CliRunner

    from floorwalker.cli import make_cli
    beta = fw.projects.get("beta")
    first = records.intake(fw, acme, {"channel": "phone", "subject": "一"}, "desk")
    second = records.intake(fw, beta, {"channel": "phone", "subject": "二"}, "setup")
    assert (first["id"], second["id"]) == ("C0001", "C0002")
    done = CliRunner().invoke(make_cli(pm), ["--data", str(fw.store.root), "--lang", "en", "complaints",
                                             "verdict", "C0002", "--invalid", "--reason", "无过失"],
                              catch_exceptions=False)
    assert done.exit_code == 0 and "Complaint C0002 is invalid." in done.output
    assert records.get(fw, beta, "C0002")["verdict"]["outcome"] == "invalid"


# ------------------------------------------------------------------ 5. only the complaint rules

def test_the_verdict_takes_only_the_complaint_rules(fw, acme, web):
    doc = records.intake(fw, acme, {"channel": "phone", "subject": "态度差", "agent": "1001"}, "desk")
    with pytest.raises(ValidationError) as refused:
        handling.verdict(fw, acme, doc["id"], "valid", "核实属实", "sup", rule="messy_desk")
    assert refused.value.field == "rule"
    page = web("sup").get(f"/p/acme/complaints/{doc['id']}")
    offered = re.findall(r'<option value="([a-z_]+)">', page.text.split('id="f-rule"')[1].split("</select>")[0])
    assert offered == ["quarrel_with_customer", "complaint_reply_poor"]
    fw.projects.configure("acme", "complaints", {"complaint_rules": [{"rule": "quarrel_with_customer"},
                                                                   {"rule": "no_mandarin"}]}, "sup")
    handling.verdict(fw, fw.projects.get("acme"), doc["id"], "valid", "核实属实", "sup", rule="no_mandarin")


# ------------------------------------------------------------------ 6. the timeline's times

def test_the_timeline_shows_the_projects_time(fw, acme, web):
    doc = records.intake(fw, acme, {"channel": "phone", "subject": "态度差"}, "desk")
    assert doc["history"][0]["at"].endswith("+08:00")  # stored with the project's offset
    assert records.shown_at("2026-11-16T02:33:00.000+00:00", "Asia/Shanghai") == "2026-11-16 10:33"
    page = web("desk").get(f"/p/acme/complaints/{doc['id']}")
    timeline = page.text.split("complaint-timeline")[1]
    assert "2026-11-16 10:00" in timeline and "T10:00" not in timeline


# ------------------------------------------------------------------ 7. the queue, the pack

def test_the_queue_is_ordered_and_filtered_by_month(fw, acme, web, clock):
    october = records.intake(fw, acme, {"channel": "phone", "subject": "十月", "received": "2026-10-20 10:00"},
                             "desk")
    late = records.intake(fw, acme, {"channel": "phone", "subject": "晚到", "received": "2026-11-16 09:30"}, "desk")
    early = records.intake(fw, acme, {"channel": "handling_point", "subject": "早到",
                                      "received": "2026-11-16 09:00"}, "desk")
    waiting = records.intake(fw, acme, {"channel": "phone", "subject": "等待"}, "desk")
    handling.wait(fw, acme, waiting["id"], "customer", "desk")
    handling.verdict(fw, acme, october["id"], "invalid", "无过失", "sup")
    handling.close(fw, acme, october["id"], "neutral", "desk")
    sup = web("sup")
    rows = [r["doc"]["id"] for r in sup.get("/p/acme/complaints/").context["rows"]]
    assert rows == [early["id"], late["id"], waiting["id"], october["id"]]
    november = sup.get("/p/acme/complaints/?month=2026-11").context["rows"]
    assert october["id"] not in [r["doc"]["id"] for r in november] and len(november) == 3


def test_the_pack_says_when_no_prevention_measures_were_written(fw, acme, web):
    from floorwalker.plugins.complaints import figures
    records.intake(fw, acme, {"channel": "phone", "subject": "态度差"}, "desk")
    found = pack.tables(fw, acme, figures.month_figures(fw, acme, "2026-11"), fw.users.get("sup"), False, "zh_CN")
    assert [row[0] for row in found[-1].rows] == ["本月未填写整改与预防措施。"]
