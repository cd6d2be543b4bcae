"""The demo company: a believable floor, the same for the same seed, with a login per role."""

import datetime as dt

import pytest
from argon2 import PasswordHasher

from floorwalker import demo
from floorwalker.core import Conflict, PeriodClosed, hookimpl
from floorwalker.core.floorwalker import open_floorwalker
from floorwalker.core.i18n import gettext
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.users import ROLES
from floorwalker.plugins.qa import monthly

TODAY = dt.date(2026, 6, 17)  # in the past, so the oldest demo month may close
MONTHS = ["2026-03", "2026-04", "2026-05", "2026-06"]
FULL_MONTHS = MONTHS[:-1]
# Real argon2id hashes that sign in through the normal check, at a cost a test can pay
# (the production parameters take ~0.15 s a login; the demo makes 24).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def build(folder, seed=7, pm=None, progress=None):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo.people, "hash_password", CHEAP_HASHER.hash)
        fw = open_floorwalker(folder, pm=pm)
        return fw, demo.build_demo(fw, seed=seed, today=TODAY, progress=progress)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    steps = []
    fw, accounts = build(tmp_path_factory.mktemp("demo"), progress=steps.append)
    return fw, accounts, steps


@pytest.fixture(scope="module")
def fw(built):
    return built[0]


@pytest.fixture(scope="module")
def accounts(built):
    return built[1]


def snapshot(fw, accounts):
    """Everything the demo decides, without ids, timestamps and password hashes."""
    def without(doc, *keys):
        return {k: v for k, v in doc.items() if k not in ("id", "created_at", *keys)}

    core = {name: fw.store.table("core", name)
            for name in ("projects", "teams", "agents", "assignments", "users")}
    shot = {name: sorted((without(d, "password_hash") for d in docs.values()), key=repr)
            for name, docs in core.items()}
    shot["accounts"] = accounts
    shot["sheets"] = {(p["slug"], m): [(r["number"], r["total"])
                                        for r in fw.ledger.sheet(p["slug"], m)]
                      for p in fw.projects.all() for m in MONTHS}
    shot["events"] = sorted((e["project"], e["agent"], e["date"], e["rule"], e["points"], e["reason"],
                             e["recorded_by"], bool(e["reverses"]))
                            for p in fw.projects.all() for m in MONTHS for e in fw.ledger.events(p["slug"], m))
    return shot


def all_events(fw):
    return [e for p in fw.projects.all() for m in MONTHS for e in fw.ledger.events(p["slug"], m)]


def test_three_client_projects_with_every_plugin_and_contract_targets(fw):
    projects = {p["slug"]: p for p in fw.projects.all()}
    assert sorted(projects) == ["bank", "shop", "telecom"]
    assert projects["shop"]["channels"] == ["chat"] and projects["bank"]["channels"] == ["voice"]
    for project in projects.values():
        assert project["plugins"] == fw.plugin_names()
        assert project["kpi_targets"]["satisfaction"] == 0.96
    assert projects["telecom"]["kpi_targets"]["service_level"] == 0.8
    assert "conversion_rate" in projects["shop"]["kpi_targets"]
    assert fw.install_settings()["default_locale"] == "zh_CN"


def test_about_120_agents_in_three_or_four_teams_per_project(fw):
    people = fw.store.table("core", "agents")
    agents = [a for a in people.values() if a["position"] == "agent"]
    assert 110 <= len(agents) <= 130
    assert len({a["name"] for a in people.values()}) == len(people)
    for project in fw.projects.all():
        teams = fw.teams.of(project["slug"])
        assert 3 <= len(teams) <= 4
        in_register = {a["name"]: asg["team"] for a, asg in fw.agents.in_month(project["slug"], MONTHS[-1])
                       if a["position"] == "team_leader"}
        for team in teams:
            leader = fw.users.leading(team["project"], team["slug"])[0]
            assert leader["roles"] == ["team_leader"] and leader["projects"] == [project["slug"]]
            assert in_register[leader["name"]] == team["slug"]  # the leader is in the register too


def test_history_has_new_hires_leavers_transfers_and_tiers(fw):
    agents = list(fw.store.table("core", "agents").values())
    new_hires = [a for a in agents if a["hired"] >= (TODAY - dt.timedelta(days=60)).isoformat()]
    assert new_hires and all(a["tier"] == "regular" for a in new_hires)
    assert min(a["hired"] for a in agents) >= (TODAY - dt.timedelta(days=731)).isoformat()
    leavers = [a for a in agents if a["status"] == "left"]
    assert 3 <= len(leavers) <= 8
    assert all(a["leave_reason"] and MONTHS[0] <= a["left_on"][:7] for a in leavers)
    moved = [a for a in agents if len({x["team"] for x in fw.agents.assignments(a["number"])}) > 1]
    assert 1 <= len(moved) <= 3
    assert {"regular", "senior"} <= {a["tier"] for a in agents}
    assert len({a["tier"] for a in agents}) >= 4


def test_every_role_has_a_login_and_clients_see_one_project(fw, accounts):
    assert {a["role"] for a in accounts} == set(ROLES)
    for account in accounts:
        user = fw.users.get(account["username"])
        assert user["roles"] == [account["role"]]
        if account["project"] is None:
            assert account["role"] in ("admin", "director") and user["projects"] == ["*"]
        else:
            assert user["projects"] == [account["project"]]
    clients = [a for a in accounts if a["role"] == "client"]
    assert sorted(a["project"] for a in clients) == ["bank", "shop", "telecom"]
    for account in accounts:
        if account["role"] == "agent":
            assert fw.users.get(account["username"])["agent"]
        if account["role"] == "supervisor":
            assert account["username"].startswith(account["project"])


def test_the_printed_passwords_sign_in(fw, accounts):
    assert len({a["password"] for a in accounts}) == len(accounts)
    for account in accounts:
        assert fw.users.authenticate(account["username"], account["password"]) is not None
    assert fw.users.authenticate("admin", accounts[1]["password"]) is None


def test_the_oldest_month_is_closed_and_refuses_writes(fw):
    for project in fw.projects.all():
        assert [fw.periods.state(project["slug"], m) for m in MONTHS] == ["closed", "open", "open", "open"]
    late = next(e for e in fw.ledger.events("shop", MONTHS[0]) if not e["reverses"])
    with pytest.raises(PeriodClosed):
        fw.ledger.record("shop", late["agent"], "loud", late["date"], "shop.supervisor")


def test_a_correction_of_the_closed_month_goes_into_an_open_one(fw):
    adjustments = [e for e in all_events(fw) if e["rule"] == "adjustment"]
    assert adjustments
    assert all(e["adjusts"] == MONTHS[0] and e["period"] > MONTHS[0] and e["reason"] for e in adjustments)


def test_sheets_spread_from_escalated_to_above_90(fw):
    for project in fw.projects.all():
        rows = [r for m in FULL_MONTHS for r in fw.ledger.sheet(project["slug"], m)]
        totals = [r["total"] for r in rows]
        assert any(r["escalation"] and r["violations"]["light"] >= 4 for r in rows)
        assert sum(t > 90 for t in totals) >= 3 and sum(t < 60 for t in totals) >= 3
        assert sum(t == 80 for t in totals) < len(totals) / 2


def test_events_are_realistic_and_traceable(fw):
    events = all_events(fw)
    leaders = {u["username"] for u in fw.users.all() if u.get("teams")}
    assert all(e["reason"] for e in events)
    derived = [e for e in events if (e["evidence"] or "").startswith("attendance:day:") and not e["reverses"]]
    assert derived and {e["recorded_by"] for e in derived} == {"demo"}  # settled from the punches
    people = fw.store.table("core", "agents")
    on_leaders = [e for e in events if people[e["agent"]]["position"] == "team_leader"]
    assert on_leaders and {e["recorded_by"] for e in on_leaders} == {f"{e['project']}.trainer"
                                                                       for e in on_leaders}
    assert {e["recorded_by"] for e in events if e["rule"] == "best_of_month"} == \
        {f"{p['slug']}.supervisor" for p in fw.projects.all()}
    assert {e["recorded_by"] for e in events if e["rule"] not in ("spot_check_error", "adjustment")
            and not e["reverses"] and e not in derived and e not in on_leaders
            and e["rule"] != "best_of_month" and e["source"] == "core"} <= leaders  # by hand
    assert sum(1 for e in events if e["reverses"]) >= 3
    judgements = [e for e in events if e["rule"] == "leader_judgement"]
    assert judgements and {e["points"] > 0 for e in judgements} == {True, False}
    assert any(e["rule"] == "best_of_month" for e in events)


def test_no_event_is_dated_off_work_or_outside_the_agents_assignment(fw):
    for event in all_events(fw):
        if (event["evidence"] or "").startswith(("qa:month:", "qa:exam:", "complaints:month:")):  # a month's: its last day
            assert event["date"] == monthly.month_day(fw, event["project"], event["date"][:7], event["agent"])
        elif event["source"] == "attendance":  # a contact centre rosters weekends too
            entry = fw.store.table(f"projects/{event['project']}/attendance/{event['date'][:7]}",
                                   "roster").get(f"{event['agent']}:{event['date']}")
            assert entry is not None
        else:
            assert dt.date.fromisoformat(event["date"]).weekday() < 5
        assignment = fw.agents.assignment_on(event["agent"], event["date"])
        assert assignment is not None and assignment["project"] == event["project"]
        assert event["date"] <= TODAY.isoformat()


def test_a_second_demo_into_a_used_folder_is_refused(fw):
    agents = len(fw.store.table("core", "agents"))
    with pytest.raises(Conflict):
        demo.build_demo(fw, today=TODAY)
    assert len(fw.store.table("core", "agents")) == agents


def test_progress_steps_are_translated(built):
    steps = built[2]
    assert len(steps) >= 5
    assert all(gettext(step, "zh_CN") != step for step in steps)


def test_the_same_seed_builds_the_same_company_and_another_seed_differs(fw, accounts, tmp_path):
    again = snapshot(*build(tmp_path / "again", seed=7))
    first = snapshot(fw, accounts)
    assert again == first
    other = snapshot(*build(tmp_path / "other", seed=8))
    for part in ("agents", "accounts", "sheets", "events"):
        assert other[part] != first[part]


class DemoRecorder:
    def __init__(self):
        self.calls = []

    @hookimpl
    def demo_data(self, floorwalker, project, months, rng, actor):
        self.calls.append((project["slug"], months, floorwalker.periods.state(project["slug"], months[0]),
                           len(floorwalker.agents.in_month(project["slug"], months[-1])), actor))
        rng.random()

    @hookimpl
    def demo_data_after_close(self, floorwalker, project, months, today):
        self.calls.append((project["slug"], floorwalker.periods.state(project["slug"], months[0]), today))


def test_each_project_gets_the_plugins_demo_data_before_any_month_closes(tmp_path):
    recorder = DemoRecorder()
    pm = make_plugin_manager(builtins=())
    pm.register(recorder, name="recorder")
    fw, _ = build(tmp_path, pm=pm)
    assert [c[0] for c in recorder.calls] == ["shop", "telecom", "bank"] * 2
    for _, months, state, agents, actor in recorder.calls[:3]:
        assert (months, state, actor) == (MONTHS, "open", "demo")
        assert agents > 20
    assert [c[1:] for c in recorder.calls[3:]] == [("closed", TODAY)] * 3  # and again once it closed
    assert all(p["plugins"] == ["recorder"] for p in fw.projects.all())


def test_a_floor_has_one_or_two_agents_below_60_a_month(fw):
    """A manager believes the demo: in every full month of every project one or two agents
    fall below 60 (a real floor's strugglers), while stars still rise above 90."""
    for project in fw.projects.all():
        for month in FULL_MONTHS:
            totals = [r["total"] for r in fw.ledger.sheet(project["slug"], month)]
            assert 1 <= sum(t < 60 for t in totals) <= 2, (project["slug"], month, sorted(totals)[:4])
            assert sum(t > 90 for t in totals) >= 1


def test_the_best_of_each_month_is_one_clean_agent_of_the_whole_floor(fw):
    from floorwalker.core.rule_limits import is_violation
    for project in fw.projects.all():
        for month in FULL_MONTHS:
            rows = fw.ledger.sheet(project["slug"], month)
            best = [r for r in rows if any(e["rule"] == "best_of_month" and not e["reversed_by"]
                                           for e in r["events"])]
            assert len(best) == 1
            assert not any(is_violation(e) for e in best[0]["events"] if not e["reversed_by"]
                           and not e["reverses"])


def test_team_leaders_are_assessed_by_the_trainer_on_their_own_sheet(fw):
    for project in fw.projects.all():
        slug = project["slug"]
        agents = {r["number"] for r in fw.ledger.sheet(slug, MONTHS[1])}
        leaders = fw.ledger.sheet(slug, MONTHS[1], leaders=True)
        assert len(leaders) == len(fw.teams.of(slug)) and not agents & {r["number"] for r in leaders}
        for row in leaders:
            judged = [e for e in row["events"] if e["rule"] == "leader_judgement"]
            assert len(judged) == 1 and judged[0]["recorded_by"] == f"{slug}.trainer" and judged[0]["reason"]


def test_the_pay_sheet_shows_each_probation_and_leaving_flag(fw):
    from floorwalker.plugins.incentives.payroll import pay_flags
    found = set()
    for project in fw.projects.all():
        for month in FULL_MONTHS:
            rows = fw.ledger.sheet(project["slug"], month)
            found |= {f for flags in pay_flags(fw, project, month, rows).values() for f in flags}
    assert found == {"no_settlement", "training_fee", "early_confirmation"}


# ------------------------------------------------------------------ the QA plugin's demo (qa/demo.py)


def qa_answers(fw, slug):
    from floorwalker.plugins.qa import disputes
    return [d for m in disputes.months(fw, slug) for d in disputes.of_month(fw, slug, m)]


def test_each_project_has_a_qa_standard_of_its_own_kind_in_two_versions(fw):
    from floorwalker.plugins.qa import scorecards
    items = {}
    for project in fw.projects.all():
        versions = scorecards.versions(fw, project["slug"])
        assert [(v["version"], v["status"]) for v in versions] == [(2, "published"), (1, "archived")]
        assert set(versions[1]["forbidden"]) < set(versions[0]["forbidden"])  # the client added a phrase
        items[project["slug"]] = {i["title"] for s in versions[0]["sections"] for i in s["items"]}
        assert any(s["weight"] is None for s in versions[0]["sections"])  # a bonus section
        assert {i["fatal"] for s in versions[0]["sections"] for i in s["items"]} == {"none", "section", "all"}
    assert "主动推荐关联商品" in items["shop"] and "办理业务前核实机主身份" in items["telecom"]
    assert "完整核实持卡人身份" in items["bank"] and len({frozenset(v) for v in items.values()}) == 3


def test_the_shop_floor_chats_in_chinese_and_auto_qa_finds_the_faults(fw):
    from floorwalker.plugins.qa import autoqa_store, interactions
    chats = [i for m in MONTHS for i in interactions.of_month(fw, "shop", m)]
    assert chats and {i["channel"] for i in chats} == {"chat"}
    assert all("] 客服: " in i["transcript"] and "] 客户: " in i["transcript"] for i in chats)
    assert {i["channel"] for m in MONTHS for i in interactions.of_month(fw, "bank", m)} == {"call"}
    results = [r for m in MONTHS for r in autoqa_store.of_month(fw, "shop", m)]
    assert len(results) == len(chats)
    rules = {h["rule"] for r in results for h in r["hits"]}
    assert {"opening_qing", "uses_nin", "closing_zaijian", "harsh", "blame", "blaming_customer", "forbidden",
            "long_waits"} <= rules
    assert 0 < sum(r["must_check"] for r in results) < len(results) / 5  # the customer's risk words
    verdicts = [h["verdict"] for r in results for h in r["hits"]]
    assert {"confirmed", "rejected"} <= set(verdicts) and verdicts.count(None) > len(verdicts) / 2


def test_three_months_of_evaluations_at_the_plans_n_with_a_few_fatal_errors(fw):
    from floorwalker.plugins.qa import evaluations, sampling
    for project in fw.projects.all():
        slug = project["slug"]
        for month in FULL_MONTHS:
            plan = sampling.overview(fw, slug, month, TODAY)
            assert plan["exists"] and plan["open"] == 0  # every pick of a full month evaluated
            evaluated = [a["evaluated"] for a in plan["agents"] if a["picked"]]
            assert sum(n >= 4 for n in evaluated) >= 0.9 * len(evaluated)
            evs = evaluations.of_month(fw, slug, month)
            assert 1 <= sum(1 for e in evs if e["fatal"]) <= 4
            assert 0 < sum(e["full_marks"] for e in evs) < len(evs) / 2
        fatal = {e["fatal"] for m in FULL_MONTHS for e in evaluations.of_month(fw, slug, m)}
        assert {"section", "all"} <= fatal
        now = sampling.overview(fw, slug, MONTHS[-1], TODAY)  # the current month: under way
        assert now["exists"] and now["open"] > 0 and sampling.worklist(fw, slug, f"{slug}.qa")
    events = [e for e in all_events(fw) if e["source"] == "qa" and not e["reverses"]]
    assert {e["rule"] for e in events} >= {"qa_fatal_error", "qa_full_marks", "qa_below_pass_line"}
    assert all(e["evidence"].startswith("qa:evaluation:") for e in events if e["rule"] == "qa_fatal_error")


def test_answers_and_disputes_of_every_outcome(fw):
    for project in fw.projects.all():
        answers = qa_answers(fw, project["slug"])
        kinds = {d["kind"] for d in answers}
        assert {"acknowledged", "accepted"} <= kinds  # by the agent, and when the window closed
        decided = {i["outcome"] for d in answers if d["state"] == "decided" for i in d["items"]}
        assert decided == {"accepted", "partial", "rejected"}
        states = [d["state"] for d in answers if d["kind"] == "disputed"]
        assert {"returned", "raised", "forwarded"} <= set(states)  # two still wait in the current month
        assert all(d["date"][:7] == MONTHS[-1] for d in answers if d["kind"] == "disputed"
                   and d["state"] in ("raised", "forwarded"))


def test_a_dispute_accepted_after_its_month_closed_moves_the_score_in_an_open_month(fw):
    from floorwalker.plugins.qa import evaluations
    for project in fw.projects.all():
        slug = project["slug"]
        late = [d for d in qa_answers(fw, slug) if d["kind"] == "disputed" and d["state"] == "decided"
                and d["evaluation_date"][:7] == MONTHS[0]]
        assert len(late) == 1 and late[0]["date"][:7] == MONTHS[1]
        assert late[0]["revision"]["month_closed"] and late[0]["revision"]["fatal"] == ["section", None]
        ev = evaluations.get(fw, slug, late[0]["evaluation"])
        assert ev["fatal"] == "section"  # the closed month's record stands; the decision is beside it
        moved = [e for e in fw.ledger.events(slug, MONTHS[1]) if e["evidence"] == evaluations.evidence(ev["id"])]
        assert ("adjustment", 10, MONTHS[0]) in [(e["rule"], e["points"], e["adjusts"]) for e in moved]
        assert {(e["rule"], e["adjusts"]) for e in moved} == {("adjustment", MONTHS[0])}  # (+2 if now full marks)


def test_exams_calibration_weekly_summaries_and_the_casebook(fw):
    from floorwalker.plugins.qa import calibration, casebook, exams, weekly
    events = [e for e in all_events(fw) if e["source"] == "qa"]
    for project in fw.projects.all():
        slug = project["slug"]
        for month in FULL_MONTHS:
            assert any(d["score"] == 100 for d in exams.of_month(fw, slug, month))
        assert any(d["score"] < 60 for m in FULL_MONTHS for d in exams.of_month(fw, slug, m))
        assert exams.of_month(fw, slug, MONTHS[-1]) == []  # the month's exam is not written yet
        sessions = calibration.sessions(fw, slug)
        closed = [s for s in sessions if s["status"] == "closed"]
        assert len(closed) == 1 and closed[0]["scorings"][closed[0]["owner"]]["benchmark"]
        compared = calibration.compare(closed[0], 10)
        assert len(compared["evaluators"]) == 2 and all(p["alignment"] is not None for p in compared["evaluators"])
        assert any(s["status"] == "open" for s in sessions)  # one waits for the others
        assert len(weekly.submitted(fw, slug)) == 2
        assert {c["kind"] for c in casebook.cases(fw, slug)} == {"good", "bad"}
    assert {"exam_full_marks", "exam_below_60"} <= {e["rule"] for e in events}
