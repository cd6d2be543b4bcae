"""Fixtures shared by more than one folder of tests."""

from contextlib import contextmanager

import pytest
from argon2 import PasswordHasher

from floorwalker.core import users


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
