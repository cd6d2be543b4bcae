"""Writers do not wait behind readers (`core/turns.py`): within a worker pages take turns, a
posted form goes straight in."""

import threading

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
