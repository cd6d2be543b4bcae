"""Fixtures shared by more than one folder of tests."""

import datetime as dt
from contextlib import contextmanager

import pytest
from argon2 import PasswordHasher

from floorwalker.core import users
from floorwalker.core.projects import Projects


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
