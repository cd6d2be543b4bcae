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
            and e["rule"] != "best_of_month"} <= leaders
    assert sum(1 for e in events if e["reverses"]) >= 3
    judgements = [e for e in events if e["rule"] == "leader_judgement"]
    assert judgements and {e["points"] > 0 for e in judgements} == {True, False}
    assert any(e["rule"] == "best_of_month" for e in events)


def test_no_event_is_dated_off_work_or_outside_the_agents_assignment(fw):
    for event in all_events(fw):
        if event["source"] == "attendance":  # a contact centre rosters weekends too
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


def test_each_project_gets_the_plugins_demo_data_before_any_month_closes(tmp_path):
    recorder = DemoRecorder()
    pm = make_plugin_manager(builtins=())
    pm.register(recorder, name="recorder")
    fw, _ = build(tmp_path, pm=pm)
    assert [c[0] for c in recorder.calls] == ["shop", "telecom", "bank"]
    for _, months, state, agents, actor in recorder.calls:
        assert (months, state, actor) == (MONTHS, "open", "demo")
        assert agents > 20
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
