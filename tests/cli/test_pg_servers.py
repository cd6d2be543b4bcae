"""Two `floorwalker --store postgresql://… serve --workers 2` on different ports — two machines
behind a balancer — serving one company from one database: a write through one is read through
the other on the very next request; a session started on one is good on the other; the sign-in
throttle counts the failures made on both; a job both servers' runners find due runs once; 2 × N
writes through both (concurrent browsers on each) land once each; a kill -9 of one server in the
middle of writes loses no acknowledged write, the other keeps serving, and the killed one serves
again when restarted.

The module's company has a database of its own (the jobs' race another), in the session's
PostgreSQL (``--store=postgresql``) or in a throw-away cluster the module starts when the session
runs on the files; the module is skipped where PostgreSQL is not installed. One pair of servers
serves every test, each test writing reasons of its own. The concurrency run makes 2 × 1,000 writes (about
15 s: a commit brings the month's shard forward by the rows written since, not by reading it whole).
"""

import datetime as dt
import os
import signal
import subprocess
import threading
import time
import urllib.parse
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from floorwalker.core import Job, hookimpl
from floorwalker.core import jobs as timed
from floorwalker.core.floorwalker import Floorwalker, read_allowlist
from floorwalker.core.plugins import make_plugin_manager

from .test_workers import DAY, PASSWORD, SCRIPT, Browser, free_port

psycopg = pytest.importorskip("psycopg")
from floorwalker.core.pgstore import PgStore  # noqa: E402  (needs psycopg)

CLIENTS = 4  # browsers writing at once through each server
USERS = ("boss", "chief", "guesser")  # the guesser is locked out by the throttle's test


@pytest.fixture(scope="module")
def cluster_url(pg_server):
    """The session's PostgreSQL, or the throw-away cluster of the copy tests (`pgserver`)."""
    return pg_server


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def new_database(cluster_url: str):
    """A database of its own in the cluster (the servers use the default schema in it)."""
    name = f"fw_servers_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(cluster_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(cluster_url, name)
    finally:
        with psycopg.connect(cluster_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def database(cluster_url):
    """The database of the module's company."""
    with new_database(cluster_url) as url:
        yield url


def opened(url: str, folder: Path, pm=None) -> Floorwalker:
    """The company as one more machine opens it (its own store, its own connections)."""
    store = PgStore(url, folder)
    return Floorwalker(store, pm or make_plugin_manager(read_allowlist(store)))


@pytest.fixture(scope="module")
def company(database, tmp_path_factory, cheap_argon2) -> str:
    fw = opened(database, tmp_path_factory.mktemp("setup"))
    try:
        fw.projects.create("acme", "Acme Co", "admin")
        fw.teams.create("acme", "day", "Day team", "admin")
        fw.agents.add("acme", "1001", "Li Lei", "admin", team="day", hired="2025-01-01")
        with cheap_argon2():  # the servers check these hashes at their own (low) cost
            for name in USERS:
                fw.users.add(name, PASSWORD, ["admin"], "setup", projects=["*"])
    finally:
        fw.store.close()
    return database


class Server:
    """One machine: ``floorwalker --store URL serve --workers 2`` with a data folder of its own."""

    def __init__(self, url: str, folder: Path, workers: int = 2):
        self.url, self.folder, self.workers = url, folder, workers
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> "Server":
        self.spawn()
        return self.wait()

    def spawn(self) -> None:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("FLOORWALKER_STORE", "FLOORWALKER_DATA")}
        with self._log() as out:
            self.proc = subprocess.Popen(
                [str(SCRIPT), "--data", str(self.folder), "--store", self.url, "--lang", "en",
                 "serve", "--workers", str(self.workers), "--port", str(self.port)],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=env)

    def _log(self):
        """The server's output, to a file: a pipe nobody reads fills with the access log and
        stops the server mid-request."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return (self.folder.parent / f"{self.folder.name}.log").open("ab")

    def output(self) -> str:
        return (self.folder.parent / f"{self.folder.name}.log").read_text(errors="replace")[-3000:]

    def wait(self) -> "Server":
        """The server once it answers."""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if Browser(self.port).request("GET", "/login")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.kill()
        raise AssertionError(f"the server did not start: {self.output()}")

    def kill(self, sig=signal.SIGKILL, timeout: float = 30) -> None:
        """Signal the server's whole process group (the supervisor and its workers)."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=timeout)

    def stop(self) -> None:
        """Stop the server as an operator would (SIGTERM); one that has not stopped in 15 s is
        killed, so no test leaves a server behind."""
        try:
            self.kill(signal.SIGTERM, timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture(scope="module")
def servers(company, tmp_path_factory):
    """Two servers on one database, each with its own data folder, started together; every test
    of the module uses them, each with reasons of its own."""
    folder = tmp_path_factory.mktemp("servers")
    started = [Server(company, folder / name) for name in ("a", "b")]
    try:
        for server in started:
            server.spawn()
        for server in started:
            server.wait()
        yield started
    finally:
        for server in started:
            server.stop()


def signed_in(port: int, username: str) -> Browser:
    browser = Browser(port)
    browser.sign_in(username)
    browser.form_token = browser.token("/p/acme/incentives/record")
    return browser


def recorded(url: str, folder: Path, prefix: str) -> list[str]:
    """The reasons starting with *prefix* of the score events stored, read by a fresh store (as
    a restart reads)."""
    fw = opened(url, folder)
    try:
        return [e["reason"] for e in fw.ledger.events("acme", DAY[:7])
                if e["rule"] == "chatting" and e["reason"].startswith(prefix)]
    finally:
        fw.store.close()


def write_from(browser: Browser, prefix: str, count: int, acknowledged: list, stop=None,
               refused: list | None = None) -> None:
    """Record *count* events; the acknowledged ones' reasons go to *acknowledged*, the answers
    of the others (status, location, the page's end) to *refused*."""
    for n in range(count):
        if stop is not None and stop.is_set():
            return
        try:
            status, location, text = browser.request("POST", "/p/acme/incentives/record", {
                "csrf_token": browser.form_token, "agent": "1001", "rule": "chatting",
                "date": DAY, "points": "", "note": f"{prefix}-{n}"})
        except OSError:  # the server went away
            return
        if status == 303 and "done=recorded" in location:
            acknowledged.append(f"{prefix}-{n}")
        elif refused is not None:
            refused.append((status, location, " ".join(text.split())[-300:]))


# ---------------------------------------------------------------- one company, two machines


def test_a_write_and_a_session_on_one_server_are_good_on_the_other(servers):
    a, b = servers
    on_a = signed_in(a.port, "boss")
    on_b = Browser(b.port)
    on_b.cookies = dict(on_a.cookies)  # the balancer sends the next request to the other machine
    assert on_b.request("GET", "/p/acme/agents")[0] == 200  # signed in on A, good on B
    for n in range(5):  # each write through A is on B's very next page
        assert on_a.record(f"seen-on-b-{n}")
        page = on_b.request("GET", "/p/acme/agents/1001?month=2025-03")[2]
        assert f"seen-on-b-{n}" in page
    assert on_b.request("POST", "/logout", {"csrf_token": on_b.token("/p/acme/agents")})[0] == 303
    assert on_a.request("GET", "/p/acme/agents")[0] == 303  # signed out on B: out on A too


def test_the_sign_in_throttle_counts_the_failures_made_on_both_servers(servers):
    a, b = servers

    def attempt(server: Server, password: str) -> int:
        browser = Browser(server.port)
        return browser.request("POST", "/login", {"csrf_token": browser.token("/login"),
                                                  "username": "guesser", "password": password})[0]

    for server in (a, b, a, b, a):  # five failures, made on both machines, none locked yet
        assert attempt(server, "wrong-guess") not in (303, 429)
    assert attempt(b, PASSWORD) == 429  # the pair is locked on B…
    assert attempt(a, PASSWORD) == 429  # …and on A, though each saw fewer than five
    assert attempt(a, "wrong-guess") == 429


def test_the_jobs_both_servers_find_due_at_start_are_claimed_once(servers, company, tmp_path):
    """Both servers' runners make a pass as they start: every job due is claimed by one."""
    fw = opened(company, tmp_path / "check")
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # both first passes are done when every run is over
            runs = timed.last_runs(fw)
            if len(runs) == len(fw.jobs) and all(r["ok"] is not None for r in runs.values()):
                break
            time.sleep(0.2)
        claims: dict[str, int] = {}
        for entry in fw.store.audit_entries(timed.JOBS):
            if entry["action"] == "jobs.claim":
                for change in entry["changes"]:
                    for key in change.get("inserted", []) + [u["id"] for u in change.get("updated", [])]:
                        claims[key] = claims.get(key, 0) + 1
    finally:
        fw.store.close()
    assert set(claims) == {f"{job}:acme" for job in fw.jobs}
    assert set(claims.values()) == {1}


def test_a_job_two_machines_race_for_runs_once(cluster_url, tmp_path, monkeypatch):
    """Two runners on two machines (two stores, two pools), both holding a stale read of the runs,
    start their pass at the same instant, round after round: each round the job runs once."""
    calls: list[tuple[str, dt.datetime]] = []

    class Tiny:
        def __init__(self, machine):
            self.machine = machine

        @hookimpl
        def register_jobs(self):
            return [Job("tally", 60, self.tally)]

        def tally(self, floorwalker, project, now):
            calls.append((self.machine, now))
            time.sleep(0.01)

    monkeypatch.setattr(timed, "last_runs", lambda fw: {})  # both read before either claimed
    rounds, start = 20, dt.datetime(2025, 3, 3, 9, 0)
    gate = threading.Barrier(2)
    made: dict[str, list] = {"a": [], "b": []}

    def runner(fw, name):
        for n in range(rounds):
            gate.wait(timeout=30)
            made[name].extend(timed.run_due(fw, job="tiny.tally", at=start + dt.timedelta(hours=n)))

    with new_database(cluster_url) as url:
        machines = []
        try:
            for name in ("a", "b"):
                pm = make_plugin_manager(builtins=())
                pm.register(Tiny(name), name="tiny")
                machines.append(opened(url, tmp_path / name, pm))
            machines[0].projects.create("shop", "Shop", "admin", plugins=["tiny"])
            threads = [threading.Thread(target=runner, args=(fw, name))
                       for fw, name in zip(machines, "ab")]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        finally:
            for fw in machines:
                fw.store.close()
    assert sorted(now for _, now in calls) == [start + dt.timedelta(hours=n) for n in range(rounds)]
    assert len(made["a"]) + len(made["b"]) == rounds
    assert made["a"] and made["b"]  # both machines won some rounds: they did race


# ---------------------------------------------------------------- the concurrency tests


def _writes_through_both(servers, company, tmp_path, per_server: int, tag: str) -> None:
    a, b = servers
    acknowledged: list[str] = []
    refused: list[tuple] = []
    threads = []
    for server in (a, b):
        for n in range(CLIENTS):
            browser = signed_in(server.port, ("boss", "chief")[n % 2])
            prefix = f"{tag}{'ab'[server is b]}{n}"
            threads.append(threading.Thread(target=write_from, args=(
                browser, prefix, per_server // CLIENTS, acknowledged, None, refused)))
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - began
    print(f"\n2 × {per_server} writes through two servers in {seconds:.1f} s "
          f"({2 * per_server / seconds:.0f}/s); load {Path('/proc/loadavg').read_text().split()[:3]}")
    assert not refused, refused[:3]  # every write acknowledged…
    assert len(acknowledged) == 2 * per_server
    found = recorded(company, tmp_path / "check", tag)
    assert len(found) == len(set(found)) == 2 * per_server  # …stored once…
    assert set(found) == set(acknowledged)  # …and none lost


def test_two_thousand_writes_through_two_servers_land_once_each(servers, company, tmp_path):
    _writes_through_both(servers, company, tmp_path, per_server=1000, tag="w")


def test_kill_9_of_one_server_loses_no_acknowledged_write_and_the_other_serves_on(
        servers, company, tmp_path):
    a, b = servers
    on_a: list[str] = []
    on_b: list[str] = []
    stop = threading.Event()
    threads = []
    for server, acknowledged, letter in ((a, on_a, "a"), (b, on_b, "b")):
        for n in range(CLIENTS // 2):
            browser = signed_in(server.port, ("boss", "chief")[n % 2])
            threads.append(threading.Thread(target=write_from, args=(
                browser, f"k{letter}{n}", 100_000, acknowledged, stop)))
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(on_a) < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        a.kill()  # the supervisor and both workers of A, mid-write
        killed_at = len(on_b)
        deadline = time.monotonic() + 60
        while len(on_b) < killed_at + 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(on_b) >= killed_at + 40  # B took writes on after A died
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    found = recorded(company, tmp_path / "check", "k")
    assert len(found) == len(set(found))  # nothing stored twice
    assert set(on_a) | set(on_b) <= set(found)  # nothing acknowledged lost
    unacknowledged = set(found) - set(on_a) - set(on_b)
    assert len(unacknowledged) <= CLIENTS // 2  # at most the writes A was making as it died
    assert all(reason.startswith("ka") for reason in unacknowledged)
    a.start()  # A restarts and serves: its write is on B's next page
    again = signed_in(a.port, "boss")
    assert again.record("after-restart")
    on_b_page = signed_in(b.port, "chief").request("GET", "/p/acme/agents/1001?month=2025-03")[2]
    assert "after-restart" in on_b_page
