"""The sign-in throttle with a fake clock, and the address a request comes from."""

import pytest

from floorwalker.core.auth import TooManyAttempts
from floorwalker.core.errors import ValidationError
from floorwalker.core.throttle import LoginThrottle, client_address, trusted_networks

OFFICE, HOME = "10.0.0.5", "10.0.0.6"


@pytest.fixture
def clock():
    now = [0.0]

    def tick(seconds: float = 0.0) -> float:
        now[0] += seconds
        return now[0]
    return tick


@pytest.fixture
def throttle(clock):
    return LoginThrottle(pair_limit=5, address_limit=100, window=15 * 60, clock=clock)


def fail(throttle, username, address, times):
    for _ in range(times):
        throttle.check(username, address)
        throttle.failed(username, address)


def test_five_failures_lock_the_pair_and_no_other(throttle):
    fail(throttle, "director", OFFICE, 4)
    throttle.check("director", OFFICE)  # four typos do not lock
    throttle.failed("director", OFFICE)
    with pytest.raises(TooManyAttempts) as refused:
        throttle.check("director", OFFICE)
    assert refused.value.params == {"minutes": 15}
    throttle.check("director", HOME)  # the owner at another desk
    throttle.check("agent7", OFFICE)  # a colleague behind the same address


def test_a_locked_pair_opens_when_its_oldest_failure_leaves_the_window(throttle, clock):
    fail(throttle, "director", OFFICE, 1)
    clock(5 * 60)
    fail(throttle, "director", OFFICE, 4)
    clock(9 * 60)
    with pytest.raises(TooManyAttempts) as refused:
        throttle.check("director", OFFICE)
    assert refused.value.params == {"minutes": 1}
    clock(60)
    throttle.check("director", OFFICE)  # the first failure is 15 minutes old: four are left
    throttle.failed("director", OFFICE)
    with pytest.raises(TooManyAttempts):
        throttle.check("director", OFFICE)


def test_the_address_ceiling_counts_every_account_together(throttle, clock):
    for n in range(100):  # spraying: one guess per account
        fail(throttle, f"user{n}", OFFICE, 1)
    with pytest.raises(TooManyAttempts):
        throttle.check("somebody-else", OFFICE)
    throttle.check("somebody-else", HOME)
    clock(15 * 60)
    throttle.check("somebody-else", OFFICE)


def test_a_success_clears_its_pair_but_not_the_address(throttle):
    fail(throttle, "director", OFFICE, 4)
    throttle.succeeded("director", OFFICE)
    fail(throttle, "director", OFFICE, 4)  # a fresh five
    throttle.check("director", OFFICE)
    sprayer = LoginThrottle(pair_limit=5, address_limit=3)
    fail(sprayer, "a", OFFICE, 1)
    fail(sprayer, "b", OFFICE, 2)
    sprayer.succeeded("c", OFFICE)  # one known password does not reset the address
    with pytest.raises(TooManyAttempts):
        sprayer.check("d", OFFICE)


def test_account_names_are_matched_as_the_login_page_matches_them(throttle):
    fail(throttle, " Director ", OFFICE, 5)
    with pytest.raises(TooManyAttempts):
        throttle.check("director", OFFICE)


def test_an_ipv6_host_counts_as_its_64_for_the_ceiling():
    throttle = LoginThrottle(pair_limit=5, address_limit=3)
    for n in range(3):
        fail(throttle, "director", f"2001:db8:1:2::{n + 1}", 1)
    with pytest.raises(TooManyAttempts):
        throttle.check("anyone", "2001:db8:1:2::99")
    throttle.check("anyone", "2001:db8:1:3::1")  # the next /64
    throttle.check("director", "2001:db8:1:3::1")


def test_buckets_whose_failures_expired_are_forgotten(throttle, clock):
    for n in range(50):
        fail(throttle, f"user{n}", f"192.0.2.{n}", 1)
    assert len(throttle._failures) == 100
    clock(16 * 60)
    throttle.check("x", OFFICE)
    assert throttle._failures == {}


# ---------------------------------------------------------------- the client's address

def scope(peer, *forwarded):
    return {"client": (peer, 4000), "headers": [(b"x-forwarded-for", v.encode()) for v in forwarded]}


PROXY = trusted_networks(["10.9.9.9"])


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy():
    assert client_address(scope("203.0.113.7", "198.51.100.1"), ()) == "203.0.113.7"
    assert client_address(scope("127.0.0.1", "198.51.100.1"), ()) == "127.0.0.1"
    assert client_address(scope("203.0.113.7", "198.51.100.1"), PROXY) == "203.0.113.7"


@pytest.mark.parametrize("forwarded, expected", [
    (["198.51.100.1"], "198.51.100.1"),
    (["6.6.6.6, 198.51.100.1"], "198.51.100.1"),  # the left part is whatever the client sent
    (["6.6.6.6", "198.51.100.1"], "198.51.100.1"),  # the header twice
    (["198.51.100.1, 10.9.9.9"], "198.51.100.1"),  # a trusted proxy in the chain is skipped
    (["10.9.9.9"], "10.9.9.9"),  # only proxies: the farthest one
    ([], "10.9.9.9"),  # no header: the proxy itself
    (["198.51.100.1:5123"], "198.51.100.1"),
    (["[2001:db8::1]:443"], "2001:db8::1"),
    (["unknown"], "unknown"),
])
def test_behind_a_trusted_proxy_the_right_most_untrusted_entry_is_the_client(forwarded, expected):
    assert client_address(scope("10.9.9.9", *forwarded), PROXY) == expected


def test_trusted_proxies_may_be_networks_and_ipv4_mapped_peers_match():
    proxies = trusted_networks(["10.9.0.0/16", "fd00::/8"])
    assert client_address(scope("::ffff:10.9.1.1", "198.51.100.1"), proxies) == "198.51.100.1"
    assert client_address(scope("fd00::5", "2001:db8::7"), proxies) == "2001:db8::7"


def test_a_request_without_a_peer_has_an_address_too():
    assert client_address({"client": None, "headers": []}, ()) == "?"


def test_a_trusted_proxy_that_is_no_address_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as refused:
        trusted_networks(["proxy.local"])
    assert refused.value.message("en") == \
        "trusted proxy: expected an IP address such as 10.0.0.5, got 'proxy.local'"
