"""The demo company with incentives: boards settings, suggestions, requests and a draft."""

import datetime as dt

import pytest
from argon2 import PasswordHasher

from floorwalker import demo
from floorwalker.core.floorwalker import open_floorwalker
from floorwalker.plugins.incentives import drafts, reversals, suggestions

TODAY = dt.date(2026, 6, 17)
MONTHS = ["2026-03", "2026-04", "2026-05", "2026-06"]


@pytest.fixture(scope="module")
def fw(tmp_path_factory, pm):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo.people, "hash_password", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash)
        fw = open_floorwalker(tmp_path_factory.mktemp("demo"), pm=pm)
        demo.build_demo(fw, seed=7, today=TODAY)
    return fw


def test_the_demo_closes_its_oldest_month_with_incentive_records_around_it(fw):
    for project in fw.projects.all():
        slug = project["slug"]
        assert fw.periods.state(slug, MONTHS[0]) == "closed"
        waiting = reversals.requests(fw, slug, reversals.PENDING)
        assert len(waiting) == 2 and {r["event_month"] for r in waiting} == {MONTHS[-1]}
        assert [r["state"] for r in reversals.requests(fw, slug, reversals.REJECTED)] == ["rejected"]
        draft = drafts.get(fw, slug)
        assert draft["values"]["pay_per_point"] == 12
        assert drafts.run(fw, slug, MONTHS[0])["changed"]  # a draft that changes somebody
        settings = fw.projects.settings(project, "incentives")
        assert settings["stage_goals"] and settings["stepped_rewards"]
    found = [s for p in fw.projects.all() for s in suggestions.listed(fw, p["slug"])]
    assert found and all(s["months"] == MONTHS[:3] for s in found)


def test_every_demo_row_is_graded(fw):
    for project in fw.projects.all():
        rows = fw.ledger.sheet(project["slug"], MONTHS[1])
        assert rows and all(r["grade"] in "ABCDEF" and isinstance(r["pay_float"], int) for r in rows)
