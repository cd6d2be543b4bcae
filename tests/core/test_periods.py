"""Periods: open → blockers → closing hook → locked → closed hook; a closed month refuses writes."""

import datetime as dt

import pytest

from floorwalker.core import Blocker, Conflict, PeriodClosed, ScoreRule, hookimpl
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager

from ..pgcluster import store_for

MONTH = "2025-03"


class Closer:
    """A tiny plugin: blocks while `waiting` is set, and writes into the month as it closes."""

    def __init__(self):
        self.waiting = 0
        self.calls = []

    @hookimpl
    def register_score_rules(self):
        return [ScoreRule("month_bonus", "bonus", 5, "Month-end bonus", "月末奖励", derived=True)]

    @hookimpl
    def period_blockers(self, project, period):
        if self.waiting:
            return [Blocker("closer", "Leave requests waiting", "待审批请假", count=self.waiting)]
        return []

    @hookimpl
    def on_period_closing(self, floorwalker, project, period):
        state = floorwalker.periods.state(project["slug"], period)
        # a month-end derivation: dated in the month, so it must be written before the lock
        floorwalker.ledger.record(project["slug"], "1001", "month_bonus",
                                  f"{period}-28", "system", allow_derived=True, source="closer")
        self.calls.append(("closing", period, state))

    @hookimpl
    def on_period_closed(self, floorwalker, project, period, user):
        self.calls.append(("closed", period, floorwalker.periods.state(project["slug"], period)))


@pytest.fixture
def closer():
    return Closer()


@pytest.fixture
def fw(tmp_path, closer):
    pm = make_plugin_manager(builtins=())
    pm.register(closer, name="closer")
    fw = Floorwalker(store_for(tmp_path), pm)
    fw.projects.create("acme", "Acme", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", hired="2025-01-01")
    return fw


@pytest.fixture
def closed(fw):
    event = fw.ledger.record("acme", "1001", "loud", "2025-03-05", "tl")
    fw.periods.close("acme", MONTH, "admin")
    return event


def test_closing_runs_closing_hook_before_the_lock_and_closed_hook_after(fw, closer):
    doc = fw.periods.close("acme", MONTH, "admin")
    assert closer.calls == [("closing", MONTH, "open"), ("closed", MONTH, "closed")]
    assert (doc["state"], doc["closed_by"]) == ("closed", "admin")
    row = fw.ledger.sheet("acme", MONTH)[0]
    assert row["bonus"] == 5  # the write made during on_period_closing is kept


def test_a_blocker_stops_the_close(fw, closer):
    closer.waiting = 3
    with pytest.raises(Conflict, match="Leave requests waiting"):
        fw.periods.close("acme", MONTH, "admin")
    assert fw.periods.state("acme", MONTH) == "open"
    assert closer.calls == []
    closer.waiting = 0
    fw.periods.close("acme", MONTH, "admin")
    assert fw.periods.state("acme", MONTH) == "closed"


def test_blockers_are_listed(fw, closer):
    closer.waiting = 2
    assert [(b.plugin, b.count) for b in fw.periods.blockers("acme", MONTH)] == [("closer", 2)]


def test_blockers_of_a_plugin_the_project_disabled_do_not_count(fw, closer):
    fw.projects.disable("acme", "closer", "admin")
    closer.waiting = 3
    fw.periods.close("acme", MONTH, "admin")
    assert closer.calls == []


def test_closing_twice_is_refused(fw, closed):
    with pytest.raises(Conflict, match="already closed"):
        fw.periods.close("acme", MONTH, "admin")


@pytest.mark.parametrize("offset_months", [0, 1])
def test_a_month_that_has_not_ended_is_refused(fw, offset_months):
    today = dt.date.today()
    year, month = today.year + (today.month + offset_months - 1) // 12, \
        (today.month + offset_months - 1) % 12 + 1
    with pytest.raises(Conflict, match="not ended"):
        fw.periods.close("acme", f"{year:04d}-{month:02d}", "admin")


@pytest.mark.parametrize("day", ["2025-03-01", "2025-03-31"])
def test_a_closed_month_refuses_ledger_records(fw, closed, day):
    with pytest.raises(PeriodClosed):
        fw.ledger.record("acme", "1001", "loud", day, "tl")


@pytest.mark.parametrize("day", ["2025-02-28", "2025-04-01"])
def test_the_months_around_a_closed_one_stay_open(fw, closed, day):
    fw.ledger.record("acme", "1001", "loud", day, "tl")


def test_a_closed_month_refuses_a_reversal_of_its_events(fw, closed):
    with pytest.raises(PeriodClosed):
        fw.ledger.reverse(closed["id"], "too late", "sup")
    assert fw.ledger.sheet("acme", MONTH)[0]["total"] == 80 - 2 + 5


def shard_write(fw, doc, action="insert", doc_id=None):
    key = fw.store.plugin_key("acme", "closer")
    with fw.store.transaction(key, "tl", "closer.write") as tx:
        if action == "insert":
            return tx.insert("shifts", doc)
        if action == "update":
            return tx.update("shifts", doc_id, doc)
        tx.remove("shifts", doc_id)


def test_a_closed_month_refuses_plugin_writes_dated_in_it(fw, closed):
    with pytest.raises(PeriodClosed):
        shard_write(fw, {"agent": "1001", "date": "2025-03-12", "shift": "day"})
    shard_write(fw, {"agent": "1001", "date": "2025-04-12", "shift": "day"})


def test_a_plugin_cannot_move_or_remove_a_record_out_of_a_closed_month(fw):
    kept = shard_write(fw, {"agent": "1001", "date": "2025-03-12", "shift": "day"})
    fw.periods.close("acme", MONTH, "admin")
    with pytest.raises(PeriodClosed):
        shard_write(fw, {"date": "2025-04-12"}, "update", kept["id"])
    with pytest.raises(PeriodClosed):
        shard_write(fw, None, "remove", kept["id"])


def test_a_closed_month_of_one_project_leaves_other_projects_open(fw, closed):
    fw.projects.create("other", "Other", "admin")
    fw.agents.add("other", "2001", "Han Meimei", "admin", hired="2025-01-01")
    fw.ledger.record("other", "2001", "loud", "2025-03-05", "tl")


def test_periods_list_shows_closed_and_open_months(fw, closed):
    months = {p["month"]: p["state"] for p in fw.periods.list("acme")}
    assert months[MONTH] == "closed"
    assert min(months) == MONTH  # starts at the project's first data, not at old hire dates
    assert months["2025-04"] == "open"
    assert months[dt.date.today().isoformat()[:7]] == "open"


def test_the_blocked_message_names_blockers_in_the_readers_language(fw, closer):
    closer.waiting = 3
    with pytest.raises(Conflict) as err:
        fw.periods.close("acme", MONTH, "admin")
    assert "Leave requests waiting (3)" in err.value.message("en")
    assert "待审批请假 (3)" in err.value.message("zh_CN")
    assert "无法结账" in err.value.message("zh_CN")


@pytest.mark.parametrize("start", ["2025-03-31", "2025-02-15"])
def test_a_move_back_into_a_closed_month_is_refused(fw, closed, start):
    fw.projects.create("other", "Other", "admin")
    with pytest.raises(PeriodClosed):
        fw.agents.move("1001", "other", "admin", start=start)
    assert fw.agents.assignment_on("1001", "2025-03-31")["project"] == "acme"


def test_a_move_after_the_closed_month_is_fine(fw, closed):
    fw.projects.create("other", "Other", "admin")
    fw.agents.move("1001", "other", "admin", start="2025-04-01")
    assert [r["number"] for r in fw.ledger.sheet("acme", MONTH)] == ["1001"]


def test_a_leave_dated_in_a_closed_month_is_refused(fw, closed):
    with pytest.raises(PeriodClosed):
        fw.agents.leave("1001", "2025-03-20", "resigned", "admin")
    fw.agents.leave("1001", "2025-04-02", "resigned", "admin")


def test_an_agent_hired_into_a_closed_month_is_refused(fw, closed):
    with pytest.raises(PeriodClosed):
        fw.agents.add("acme", "1002", "Wang Fang", "admin", hired="2025-03-03")
    assert [r["number"] for r in fw.ledger.sheet("acme", MONTH)] == ["1001"]
    fw.agents.add("acme", "1002", "Wang Fang", "admin", hired="2025-04-01")
