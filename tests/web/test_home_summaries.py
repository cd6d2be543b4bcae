"""The home page's and the dashboard's figures are kept between views (`fw.summaries`), yet move
at once when a score event is recorded — through the app, or by another process writing to the
same data folder (a second worker, the command line)."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("cheap_hashes")


def tile(response, code):
    [card] = response.context["cards"]
    return next(t["value"] for t in card["figures"]["tiles"] if t["code"] == code)


def dashboard_tile(response, code):
    return next(t["value"] for t in response.context["figures"]["tiles"] if t["code"] == code)


def test_a_recorded_event_moves_the_home_and_dashboard_figures_at_once(fresh, sign_in):
    fw, app = fresh
    sup = sign_in(app, "supervisor1")
    today = fw.projects.today(fw.projects.get("alpha")).isoformat()
    before = tile(sup.get("/"), "average")
    assert tile(sup.get("/"), "average") == before  # a second view: the kept figures
    events = dashboard_tile(sup.get("/p/alpha/"), "events")

    fw.ledger.record("alpha", "1001", "loud", today, "tl", reason="talked over the caller")
    after = tile(sup.get("/"), "average")
    assert after < before
    assert dashboard_tile(sup.get("/p/alpha/"), "events") == events + 1


def test_an_event_recorded_by_another_process_moves_the_home_figures(fresh, sign_in):
    fw, app = fresh
    sup = sign_in(app, "supervisor1")
    today = fw.projects.today(fw.projects.get("alpha")).isoformat()
    before = tile(sup.get("/"), "average")
    failing = tile(sup.get("/"), "failing")
    script = ("import sys\nsys.path.insert(0, sys.argv[3])\n"
              "from tests.pgcluster import worker_setup\nworker_setup()\n"  # the session's store
              "from floorwalker.core.floorwalker import open_floorwalker\n"
              "fw = open_floorwalker(sys.argv[1])\n"
              "fw.ledger.record('alpha', '1002', 'absent', sys.argv[2], 'other', reason='no show')\n"
              "fw.ledger.record('alpha', '1002', 'absent', sys.argv[2], 'other', reason='no show')\n")
    done = subprocess.run([sys.executable, "-c", script, str(fw.store.root), today, str(REPO)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    home = sup.get("/")
    assert tile(home, "average") < before
    assert tile(home, "failing") == failing + 1  # 1002 falls below 60 with two absences
