"""The sign-in throttle, and the address a sign-in comes from.

Failed sign-ins are counted in two buckets over a sliding window of 15 minutes:

* per (account, address) pair, at most 5 failures: the guesser of one account's password;
* per address, at most 100 failures for all accounts together: the sprayer who tries one common
  password on every account. An IPv6 address counts as its /64, which one host usually holds.

A locked pair refuses every attempt from that pair until its oldest failure leaves the window,
the right password too: the one guessing *is* that pair, and a lock that let the right password
through would answer every guess (signed in, or refused) and slow the guesser down not at all.
A lock never spreads beyond its address, so it never locks the right person out: the account's
owner at another desk (another address) signs in as usual, and a colleague behind the same
office address is stopped only by the per-address ceiling, twenty times higher. A successful
sign-in clears its pair's failures (four typos, then the right password, starts over), never the
address's count (one known password must not reset a spraying run).

The address is the TCP peer, unless the peer is a trusted proxy (``floorwalker serve
--trusted-proxy ADDR``; none by default), and then the right-most ``X-Forwarded-For`` entry that
is not itself a trusted proxy: entries left of it were written by whoever sent the request.
`serve` runs uvicorn with its own proxy-header handling off, so this is the one place that
decides.

The server counts in the store (`SharedThrottle`, file ``throttle``), so every worker of
``serve --workers N`` — and every server of one company — counts the same failures: N workers
must not give a guesser N times the tries. `LoginThrottle` alone counts in memory (one process).
Each commit of the file drops the buckets whose failures all left the window, so it holds the
last 15 minutes' guessers only. Each failed sign-in stays audited (``signin.failed``, the
account and address in the bucket's id), because the audit is where a failed sign-in is
found afterwards — the buckets forget it within 15 minutes; the audit of the file moves out into
the monthly audit files like every long-lived file's (`core/audit_files.py`), so the file does
not grow with them.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import deque

import orjson
from typing import Iterable

from .auth import TooManyAttempts
from .errors import ValidationError
from .i18n import N_

PAIR_LIMIT = 5
ADDRESS_LIMIT = 100
WINDOW = 15 * 60
SWEEP_EVERY = 60  # seconds between clearing out buckets whose failures have all expired

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class LoginThrottle:
    """At most `pair_limit` failed sign-ins per (account, address) and `address_limit` per
    address within `window` seconds; `trusted_proxies` (addresses or networks) decide whose
    ``X-Forwarded-For`` counts."""

    def __init__(self, pair_limit: int = PAIR_LIMIT, address_limit: int = ADDRESS_LIMIT,
                 window: float = WINDOW, clock=time.monotonic, trusted_proxies: Iterable[str] = ()):
        self.pair_limit, self.address_limit, self.window, self.clock = \
            pair_limit, address_limit, window, clock
        self.proxies = trusted_networks(trusted_proxies)
        self._failures: dict[tuple, deque] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    def address(self, request) -> str:
        """The address a request comes from, trusted proxies seen through."""
        return client_address(request.scope, self.proxies)

    def check(self, username: str, address: str) -> None:
        """Raise `TooManyAttempts` while the pair or the address is over its limit."""
        now = self.clock()
        with self._lock:
            self._sweep(now)
            wait = max(self._wait(key, limit, now) for key, limit in self._buckets(username, address))
        if wait > 0:
            raise TooManyAttempts(max(1, math.ceil(wait / 60)))

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key, limit in self._buckets(username, address):
                # only the newest `limit` failures can keep a bucket locked
                self._failures.setdefault(key, deque(maxlen=limit)).append(now)

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop(_pair(username, address), None)

    def _buckets(self, username: str, address: str) -> list[tuple[tuple, int]]:
        return [(_pair(username, address), self.pair_limit),
                (("address", _address_block(address)), self.address_limit)]

    def _wait(self, key: tuple, limit: int, now: float) -> float:
        """Seconds until *key* has fewer than *limit* failures in the window (0: not locked)."""
        failures = self._failures.get(key)
        if failures is None:
            return 0.0
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if len(failures) < limit:
            return 0.0
        return failures[-limit] + self.window - now

    def _sweep(self, now: float) -> None:
        """Forget buckets whose last failure left the window, so memory follows the attackers
        of the last 15 minutes, not of the server's whole life."""
        if now - self._swept < SWEEP_EVERY:
            return
        self._swept = now
        for key in [k for k, failures in self._failures.items()
                    if not failures or failures[-1] <= now - self.window]:
            del self._failures[key]


THROTTLE = "throttle"  # the store's key: data/throttle.json
FAILURES = "failures"


class SharedThrottle(LoginThrottle):
    """`LoginThrottle` with its failures in the store: one document per bucket (its failure
    times, wall clock, the newest `limit`), read back before each check — a cached read while
    nobody failed — and written in one commit per failure, so the workers and servers on one
    data store lock out the same guesser at the same count."""

    def __init__(self, store, **options):
        super().__init__(clock=time.time, **options)
        self.store = store

    def check(self, username: str, address: str) -> None:
        docs = self.store.table(THROTTLE, FAILURES)
        with self._lock:
            self._failures = {_bucket(doc["id"]): deque(doc["times"]) for doc in docs.values()}
        super().check(username, address)

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self.store.transaction(THROTTLE, "system", "signin.failed") as tx:
            for key, limit in self._buckets(username, address):
                ident = _ident(key)
                found = tx.get(FAILURES, ident)
                kept = [t for t in (found or {}).get("times", ()) if t > now - self.window]
                times = (kept + [now])[-limit:]
                if found is None:
                    tx.insert(FAILURES, {"id": ident, "times": times})
                else:
                    tx.update(FAILURES, ident, {"times": times})
            self._drop_expired(tx, now)

    def _drop_expired(self, tx, now: float) -> None:
        """Remove the buckets whose failures have all left the window."""
        for doc in list(tx.docs(FAILURES).values()):
            if doc["times"][-1] <= now - self.window:
                tx.remove(FAILURES, doc["id"])

    def succeeded(self, username: str, address: str) -> None:
        ident = _ident(_pair(username, address))
        if ident not in self.store.table(THROTTLE, FAILURES):
            return
        with self.store.transaction(THROTTLE, "system", "signin.succeeded") as tx:
            if tx.get(FAILURES, ident) is not None:
                tx.remove(FAILURES, ident)
            self._drop_expired(tx, self.clock())


def _ident(key: tuple) -> str:
    return orjson.dumps(list(key)).decode()


def _bucket(ident: str) -> tuple:
    return tuple(orjson.loads(ident))


def trusted_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Parse ``--trusted-proxy`` values: an address (10.0.0.5) or a network (10.0.0.0/24)."""
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            raise ValidationError(N_("trusted proxy"),
                                  N_("expected an IP address such as 10.0.0.5, got {value!r}"),
                                  value=value) from None
    return tuple(networks)


def client_address(scope: dict, proxies: tuple[Network, ...]) -> str:
    """The client's address: the peer, or behind trusted *proxies* the right-most
    ``X-Forwarded-For`` entry not itself a trusted proxy (the left-most when all are)."""
    peer = _normalise(scope["client"][0]) if scope.get("client") else "?"
    if not _trusted(peer, proxies):
        return peer
    hops = [_normalise(hop) for name, value in scope.get("headers", ()) if name == b"x-forwarded-for"
            for hop in value.decode("latin-1").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else peer


def _parse(text: str) -> Address | None:
    """An address from ``1.2.3.4``, ``1.2.3.4:80``, ``::1`` or ``[::1]:80``; None otherwise."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped:
        return found.ipv4_mapped
    return found


def _normalise(text: str) -> str:
    found = _parse(text)
    return str(found) if found is not None else text.strip()


def _trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    found = _parse(address)
    return found is not None and any(found in network for network in proxies)


def _pair(username: str, address: str) -> tuple:
    return ("pair", (username or "").strip().lower(), address)


def _address_block(address: str) -> str:
    """What the per-address ceiling counts: the address, or an IPv6 address's /64."""
    found = _parse(address)
    if isinstance(found, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{found}/64", strict=False))
    return address
