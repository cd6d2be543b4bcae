"""`floorwalker serve --workers 2` run as an install runs it: two worker processes over one data
folder, driven over HTTP by signed-in browsers. Writes through both workers land once each, none
lost and none twice; a kill -9 of the whole server in the middle of writes loses no write a
browser saw acknowledged; a session started on one worker is good on the others."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from floorwalker.core.floorwalker import open_floorwalker

pytestmark = pytest.mark.files_only  # `serve --workers` processes on the data files, checked there

SCRIPT = Path(sys.executable).parent / "floorwalker"
PASSWORD = "workers-pass-1"
DAY = "2025-03-10"


class Browser:
    """A signed-in browser: its cookies, the form token, and posts that do not follow redirects."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode()
        connection.close()
        return response.status, response.getheader("location") or "", text

    def token(self, path: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', self.request("GET", path)[2]).group(1)

    def sign_in(self, username: str) -> None:
        status, _, _ = self.request("POST", "/login", {"csrf_token": self.token("/login"),
                                                       "username": username, "password": PASSWORD})
        assert status == 303

    def record(self, reason: str) -> bool:
        """One score event through the form; True once the server acknowledged it (303)."""
        status, location, _ = self.request("POST", "/p/acme/incentives/record", {
            "csrf_token": self.form_token, "agent": "1001", "rule": "chatting", "date": DAY,
            "points": "", "note": reason})
        return status == 303 and "done=recorded" in location


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def company(tmp_path) -> Path:
    data = tmp_path / "data"
    fw = open_floorwalker(data)
    fw.projects.create("acme", "Acme Co", "admin")
    fw.teams.create("acme", "day", "Day team", "admin")
    fw.agents.add("acme", "1001", "Li Lei", "admin", team="day", hired="2025-01-01")
    for name in ("boss", "chief"):
        fw.users.add(name, PASSWORD, ["admin"], "setup", projects=["*"])
    return data


def serve(data: Path, workers: int = 2) -> tuple[subprocess.Popen, int]:
    """The server, started as a user starts it, once it answers."""
    port = free_port()
    proc = subprocess.Popen([str(SCRIPT), "--data", str(data), "--lang", "en", "serve", "--workers",
                             str(workers), "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Browser(port).request("GET", "/login")[0] == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError(f"the server did not start: {proc.stdout.read()}")


def workers_of(proc: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    return [int(pid) for pid in children
            if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]


def recorded(data: Path) -> list[str]:
    fw = open_floorwalker(data)  # checks every file, as a restart does
    return [e["reason"] for e in fw.ledger.events("acme", DAY[:7]) if e["rule"] == "chatting"]


def browsers(port: int) -> list[Browser]:
    found = []
    for name in ("boss", "chief"):
        browser = Browser(port)
        browser.sign_in(name)
        browser.form_token = browser.token("/p/acme/incentives/record")
        found.append(browser)
    return found


def write_from(browser: Browser, prefix: str, count: int, acknowledged: list, stop=None):
    for n in range(count):
        if stop is not None and stop.is_set():
            return
        try:
            if browser.record(f"{prefix}-{n}"):
                acknowledged.append(f"{prefix}-{n}")
        except OSError:  # the server went away
            return


def test_two_workers_take_writes_from_two_browsers_and_lose_none(company):
    proc, port = serve(company)
    try:
        assert len(workers_of(proc)) == 2
        one, two = browsers(port)
        for _ in range(10):  # a session started on one worker is good on whichever answers
            assert one.request("GET", "/p/acme/agents")[0] == 200
        acknowledged: list[str] = []
        threads = [threading.Thread(target=write_from, args=(b, p, 60, acknowledged))
                   for b, p in ((one, "a"), (two, "b"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    assert len(acknowledged) == 120
    found = recorded(company)
    assert sorted(found) == sorted(acknowledged)  # every one, once


def test_kill_9_of_a_multi_worker_server_loses_no_acknowledged_write(company):
    proc, port = serve(company)
    acknowledged: list[str] = []
    stop = threading.Event()
    try:
        threads = [threading.Thread(target=write_from, args=(b, p, 10_000, acknowledged, stop))
                   for b, p in zip(browsers(port), ("a", "b"))]
        for thread in threads:
            thread.start()
        while len(acknowledged) < 40:
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)  # the supervisor and both workers, mid-write
        proc.wait(timeout=30)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    found = recorded(company)
    assert set(acknowledged) <= set(found)  # nothing acknowledged is lost
    assert len(found) == len(set(found))  # and nothing is stored twice
    proc, port = serve(company, workers=2)  # and the folder serves again
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)
