"""Fixtures shared by more than one folder of tests."""

import datetime as dt
import os
import time
from contextlib import contextmanager

import pytest
from argon2 import PasswordHasher

from floorwalker.core import users
from floorwalker.core.projects import Projects

from .pgcluster import BACKENDS, FILES, POSTGRESQL, Backend, Cluster, close_open_stores, drop_schemas


def pytest_addoption(parser):
    parser.addoption("--store", choices=BACKENDS, default=None,
                     help="the backend every test's store runs on: the data files (default) or "
                          "PostgreSQL in a throw-away cluster (also FLOORWALKER_TEST_STORE)")


def pytest_configure(config):
    Backend.name = config.getoption("--store") or os.environ.get("FLOORWALKER_TEST_STORE") or FILES
    if Backend.name not in BACKENDS:
        raise pytest.UsageError(f"FLOORWALKER_TEST_STORE must be one of {', '.join(BACKENDS)}")


def pytest_report_header(config):
    return f"store: {Backend.name}"


def pytest_terminal_summary(terminalreporter):
    if Backend.summary:
        terminalreporter.write_line(Backend.summary)


def pytest_collection_modifyitems(config, items):
    if Backend.name == POSTGRESQL:
        skip = pytest.mark.skip(reason="about the data files themselves (--store=postgresql)")
        for item in items:
            if item.get_closest_marker("files_only"):
                item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def pg_url():
    """The URL of this session's PostgreSQL (None on the files): a throw-away cluster, or
    $FLOORWALKER_TEST_PG_URL; every `make_store` of the facade gets a schema of its folder in it."""
    if Backend.name != POSTGRESQL:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("FLOORWALKER_TEST_STORE", FILES)  # what the processes a test starts use
            yield None
        return
    from . import pgcluster
    cluster = None
    Backend.url = os.environ.get("FLOORWALKER_TEST_PG_URL")
    Backend.external = bool(Backend.url)
    if not Backend.url:
        cluster = Cluster().start()
        Backend.url = cluster.url
    with pytest.MonkeyPatch.context() as mp:
        for module in pgcluster.modules_making_stores():
            mp.setattr(module, "make_store", pgcluster.make_store_for_tests)
        mp.delenv("FLOORWALKER_STORE", raising=False)
        # for the processes a test starts (tests/core/store_workers: `pgcluster.worker_store`)
        mp.setenv("FLOORWALKER_TEST_STORE", POSTGRESQL)
        mp.setenv("FLOORWALKER_TEST_PG_URL", Backend.url)
        try:
            yield Backend.url
        finally:
            close_open_stores()
            if cluster is None:
                drop_schemas()  # a server of your own keeps nothing of the run
            else:
                time.sleep(0.5)  # the closed connections' backends end and are counted
                cpu = cluster.cpu_seconds()
                Backend.summary = (f"PostgreSQL: {len(Backend.schemas)} schemas"
                                   + (f", server CPU {cpu:.0f} s" if cpu is not None else ""))
                cluster.stop()


@pytest.fixture(autouse=True)
def _close_stores():
    """The PostgreSQL stores a test opened let go of their connections when it ends (those of
    wider fixtures, made before this one, at the end of the session)."""
    mark = len(Backend.open_stores)
    yield
    if len(Backend.open_stores) > mark:
        close_open_stores(mark)


@pytest.fixture(scope="session")
def cheap_argon2():
    """A context manager in which passwords are hashed with real argon2id, at a cost the many
    sign-ins of the page tests can pay (the production cost is ~0.15 s a hash)."""
    @contextmanager
    def cheap():
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
            users._dummy_hash.cache_clear()
            yield
        users._dummy_hash.cache_clear()

    return cheap


class Clock:
    """The floor's clock: ``clock.now = datetime(…)`` sets what `Projects.now` answers."""

    def __init__(self):
        self.now = dt.datetime(2026, 11, 16, 10, 0)  # a Monday


@pytest.fixture
def clock(monkeypatch):
    """Every project's clock under the test's hand (default Monday 2026-11-16 10:00); a test
    file that keeps its own `clock` fixture overrides this one."""
    held = Clock()
    monkeypatch.setattr(Projects, "now", lambda self, project: held.now)
    return held
