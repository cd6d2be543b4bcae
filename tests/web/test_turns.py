"""Writers do not wait behind readers (`core/turns.py`): within a worker pages take turns, a
posted form goes straight in."""

import threading
import time

import pytest

from floorwalker.core import turns

pytestmark = pytest.mark.usefixtures("cheap_hashes")


def test_pages_take_turns_while_a_form_goes_straight_in(fresh, sign_in, csrf, monkeypatch):
    fw, app = fresh
    sup = sign_in(app, "supervisor1")
    other = sign_in(app, "supervisor1")
    token = csrf(sup, "/p/alpha/incentives/record")
    today = fw.projects.today(fw.projects.get("alpha")).isoformat()
    busy = threading.BoundedSemaphore(turns.READERS_AT_ONCE)
    monkeypatch.setattr(turns, "_readers", busy)
    for _ in range(turns.READERS_AT_ONCE):
        busy.acquire()  # as many pages as may render at once are rendering now
    waiting = {}
    reader = threading.Thread(target=lambda: waiting.update(page=other.get("/p/alpha/")))
    reader.start()
    try:
        reader.join(0.5)
        assert reader.is_alive() and not waiting  # the page waits its turn
        writer = threading.Thread(target=lambda: waiting.update(form=sup.post(
            "/p/alpha/incentives/record", data={"csrf_token": token, "agent": "1001", "rule": "loud",
                                                "date": today, "points": "", "note": "talked over the caller"})))
        writer.start()
        writer.join(10)
        assert waiting["form"].status_code == 303  # the form did not wait
        assert reader.is_alive() and "page" not in waiting
    finally:
        for _ in range(turns.READERS_AT_ONCE):
            busy.release()
    reader.join(10)
    assert waiting["page"].status_code == 200  # its turn came
    assert any(e["reason"] == "talked over the caller" for e in fw.ledger.events("alpha", today[:7]))


def test_pages_are_served_in_the_order_they_came():
    turns_ = turns.Turns(1)
    served, started = [], []
    turns_.__enter__()  # a page renders

    def page(name):
        started.append(name)
        with turns_:
            served.append(name)

    threads = []
    for name in "abcde":
        threads.append(threading.Thread(target=page, args=(name,)))
        threads[-1].start()
        while len(turns_._queue) < len(threads):  # each waits before the next comes
            threading.Event().wait(0.001)
    turns_.__exit__(None, None, None)
    for t in threads:
        t.join(10)
    assert served == list("abcde")


def test_a_page_steps_aside_while_a_form_is_under_way(fresh, sign_in, monkeypatch):
    fw, app = fresh
    reader = sign_in(app, "supervisor1")
    monkeypatch.setattr(turns, "PAUSE_BUDGET", 30.0)
    got = {}
    with turns.writing():  # a form is being handled in this worker
        thread = threading.Thread(target=lambda: got.update(page=reader.get("/p/alpha/")))
        thread.start()
        thread.join(0.5)
        assert thread.is_alive() and not got  # the page waits for it
    thread.join(10)
    assert got["page"].status_code == 200


def test_a_stream_of_forms_slows_a_page_by_its_budget_at_most(fresh, sign_in, monkeypatch):
    fw, app = fresh
    reader = sign_in(app, "supervisor1")
    monkeypatch.setattr(turns, "PAUSE_BUDGET", 0.3)
    with turns.writing():  # never done while the page renders
        started = time.perf_counter()
        assert reader.get("/p/alpha/").status_code == 200
        took = time.perf_counter() - started
    assert 0.3 <= took < 5


def test_a_form_renders_without_waiting_for_other_forms(fresh, sign_in, csrf, monkeypatch):
    fw, app = fresh
    sup = sign_in(app, "supervisor1")
    token = csrf(sup, "/p/alpha/incentives/record")
    monkeypatch.setattr(turns, "PAUSE_BUDGET", 30.0)
    with turns.writing():  # another form under way: this one's error page renders at once
        started = time.perf_counter()
        r = sup.post("/p/alpha/incentives/record", data={"csrf_token": token, "agent": "1001",
                                                          "rule": "loud", "date": "not a day"})
        assert time.perf_counter() - started < 5
    assert r.status_code >= 400 and "csrf_token" in r.text  # the form again, with its error
