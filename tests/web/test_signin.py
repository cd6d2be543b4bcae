"""Sign-in, sessions, CSRF, throttling and the security headers."""

import re

import pytest

from starlette.testclient import TestClient

from floorwalker.core.app import create_app
from floorwalker.core.auth import COOKIE

PASSWORD = "correct-horse-7"


def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(app, sign_in, login):
    client = sign_in(app, None)
    r = client.get("/p/alpha/agents")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/p/alpha/agents"
    r = login(client, "supervisor1", PASSWORD, next="/p/alpha/agents")
    assert r.status_code == 303 and r.headers["location"] == "/p/alpha/agents"


def test_sign_in_never_sends_the_user_to_another_site(app, sign_in, login):
    client = sign_in(app, None)
    r = login(client, "qa1", PASSWORD, next="//evil.example/")
    assert r.headers["location"] == "/"


def test_the_session_cookie_is_httponly_and_samesite_and_holds_no_user_data(app, sign_in, login):
    client = sign_in(app, None)
    r = login(client, "qa1", PASSWORD)
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "qa1" not in cookie


def test_unknown_user_and_wrong_password_get_the_same_answer(app, sign_in, login):
    client = sign_in(app, None)
    unknown = login(client, "nobody", PASSWORD)
    wrong = login(client, "qa1", "nope-nope")
    assert unknown.status_code == wrong.status_code == 400
    message = lambda r: re.search(r'<p class="error" role="alert">(.*?)</p>', r.text).group(1)  # noqa: E731
    assert message(unknown) == message(wrong) == "用户名或密码错误"  # the install speaks Chinese
    assert 'value="qa1"' in wrong.text  # the form keeps the name typed


def from_address(app, address: str, forwarded_for: str | None = None) -> TestClient:
    """A signed-out client at *address* (192.0.2.x: none of conftest's), optionally with an
    X-Forwarded-For header."""
    headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}
    return TestClient(app, follow_redirects=False, client=(address, 4000), headers=headers)


def fail_five_times(client, login, username="director1"):
    for _ in range(5):
        assert login(client, username, "bad-password").status_code == 400


def test_five_failures_lock_the_pair_even_with_the_right_password(app, login):
    client = from_address(app, "192.0.2.10")
    fail_five_times(client, login)
    r = login(client, "director1", PASSWORD)
    assert r.status_code == 429 and COOKIE not in r.headers.get("set-cookie", "")
    assert "15" in r.text  # the minutes to wait


def test_the_right_password_from_another_address_signs_in(app, login):
    fail_five_times(from_address(app, "192.0.2.11"), login)
    assert login(from_address(app, "192.0.2.12"), "director1", PASSWORD).status_code == 303


def test_another_user_behind_the_same_address_signs_in(app, login):
    fail_five_times(from_address(app, "192.0.2.13"), login)
    assert login(from_address(app, "192.0.2.13"), "qa1", PASSWORD).status_code == 303


def test_the_per_address_ceiling_stops_spraying_from_that_address_only(app, login, monkeypatch):
    monkeypatch.setattr(app.state.shell.throttle, "address_limit", 3)
    sprayer = from_address(app, "192.0.2.14")
    for name in ("nobody1", "nobody2", "qa1"):
        assert login(sprayer, name, "Password1").status_code == 400
    assert login(from_address(app, "192.0.2.14"), "supervisor1", PASSWORD).status_code == 429
    assert login(from_address(app, "192.0.2.15"), "supervisor1", PASSWORD).status_code == 303


def test_workers_count_the_same_failures(company, login):
    """``serve --workers N``: each worker is its own app over the same data; a guesser whose
    tries land on different workers is locked out at the same count, and the right password
    then signs in on another worker as before."""
    from floorwalker.core.floorwalker import open_floorwalker
    workers = [create_app(open_floorwalker(company.store.root)) for _ in range(2)]
    for n in range(5):
        assert login(from_address(workers[n % 2], "192.0.2.30"), "director1", "bad").status_code == 400
    for worker in workers:
        assert login(from_address(worker, "192.0.2.30"), "director1", PASSWORD).status_code == 429
    assert login(from_address(workers[1], "192.0.2.31"), "director1", PASSWORD).status_code == 303


def test_x_forwarded_for_is_ignored_by_default(app, login):
    fail_five_times(from_address(app, "192.0.2.16", forwarded_for="198.51.100.1"), login)
    other_claim = from_address(app, "192.0.2.16", forwarded_for="198.51.100.2")
    assert login(other_claim, "director1", PASSWORD).status_code == 429  # the peer counts


@pytest.fixture(scope="module")
def proxied_app(company):
    """The company served behind the proxy 192.0.2.100 (``serve --trusted-proxy 192.0.2.100``)."""
    return create_app(company, config={"trusted_proxies": ["192.0.2.100"]})


def test_x_forwarded_for_is_honoured_from_a_trusted_proxy(proxied_app, login):
    fail_five_times(from_address(proxied_app, "192.0.2.100", forwarded_for="198.51.100.7"), login)
    for forwarded in ("198.51.100.7", "198.51.100.8, 198.51.100.7"):  # a prepended entry is the client's own claim
        r = login(from_address(proxied_app, "192.0.2.100", forwarded_for=forwarded), "director1", PASSWORD)
        assert r.status_code == 429, forwarded
    colleague = from_address(proxied_app, "192.0.2.100", forwarded_for="198.51.100.8")
    assert login(colleague, "director1", PASSWORD).status_code == 303


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored_behind_a_proxy_too(proxied_app, login):
    fail_five_times(from_address(proxied_app, "192.0.2.17", forwarded_for="198.51.100.9"), login)
    r = login(from_address(proxied_app, "192.0.2.17", forwarded_for="198.51.100.10"), "director1", PASSWORD)
    assert r.status_code == 429


def test_logout_ends_the_session_on_the_server(app, sign_in, csrf):
    client = sign_in(app, "qa1")
    cookie = client.cookies.get(COOKIE)
    client.post("/logout", data={"csrf_token": csrf(client)})
    replay = sign_in(app, None)
    replay.cookies.set(COOKIE, cookie)
    assert replay.get("/account").status_code == 303


def test_disabling_a_user_ends_their_sessions_at_once(fresh, sign_in):
    fw, app = fresh
    client = sign_in(app, "qa1")
    assert client.get("/account").status_code == 200
    fw.users.set_disabled("qa1", True, "root")  # as `floorwalker user disable` does
    assert client.get("/account").status_code == 303


def test_a_post_without_the_csrf_token_changes_nothing(fresh, sign_in):
    fw, app = fresh
    client = sign_in(app, "admin1")
    r = client.post("/admin/users/victim/toggle", data={"csrf_token": "forged"})
    assert r.status_code == 403 and "expired" in r.text
    assert fw.users.get("victim")["disabled"] is False


def test_users_change_their_own_password_with_the_current_one(fresh, sign_in, csrf):
    fw, app = fresh
    client = sign_in(app, "qa1")
    other = sign_in(app, "qa1")
    wrong = client.post("/account/password", data={"current": "guess-guess", "new": "new-password-1",
                                                   "again": "new-password-1", "csrf_token": csrf(client)})
    assert wrong.status_code == 422 and "current password is wrong" in wrong.text
    short = client.post("/account/password", data={"current": PASSWORD, "new": "short", "again": "short",
                                                   "csrf_token": csrf(client)})
    assert short.status_code == 422 and "8" in short.text
    ok = client.post("/account/password", data={"current": PASSWORD, "new": "new-password-1",
                                                "again": "new-password-1", "csrf_token": csrf(client)})
    assert ok.status_code == 200 and fw.users.authenticate("qa1", "new-password-1")
    assert client.get("/account").status_code == 200  # this browser stays signed in
    assert other.get("/account").status_code == 303  # the other session ended


def test_every_response_carries_the_security_headers(app, clients):
    for r in (clients("qa1").get("/"), clients("qa1").get("/static/style.css"),
              clients("qa1").get("/nowhere")):
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp


def test_no_hsts_unless_served_behind_https(clients):
    """HSTS comes with `serve --behind-https` (tests/cli/test_serving.py)."""
    assert "strict-transport-security" not in clients("qa1").get("/").headers


def test_pages_have_no_inline_script_or_style(clients):
    html = clients("admin1").get("/p/alpha/").text
    assert "<script" not in html and "style=" not in html


def test_a_body_over_the_limit_gets_413_and_is_not_read(app, clients, csrf):
    client = clients("admin1")
    big = b"x" * (10 * 1024 * 1024 + 1)
    r = client.post("/admin/users/new", content=big,
                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


def test_the_sign_in_form_carries_a_token_in_an_httponly_samesite_cookie(app, sign_in, csrf):
    client = sign_in(app, None)
    r = client.get("/login")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("fw_csrf=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    token = csrf(client, "/login")
    assert token not in cookie  # the cookie holds it signed, the form plain
    assert re.findall(r'name="csrf_token" value="([^"]+)"', r.text) == [token, token]  # sign-in and language
    assert csrf(client, "/login") == token  # the same token for as long as the cookie lives


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_a_sign_in_without_the_forms_token_changes_nothing(app, sign_in, token):
    client = sign_in(app, None)
    client.get("/login")
    data = {"username": "qa1", "password": PASSWORD, **({"csrf_token": token} if token is not None else {})}
    r = client.post("/login", data=data)
    assert r.status_code == 403 and "表单已过期，请刷新页面后重试" in r.text  # the install speaks Chinese
    assert COOKIE not in r.headers.get("set-cookie", "") and client.get("/account").status_code == 303


def test_another_visitors_token_does_not_sign_in(app, sign_in, csrf):
    """Login CSRF: an attacker's own valid token is useless without the victim's cookie."""
    attacker, victim = sign_in(app, None), sign_in(app, None)
    victim.get("/login")
    r = victim.post("/login", data={"username": "qa1", "password": PASSWORD,
                                     "csrf_token": csrf(attacker, "/login")})
    assert r.status_code == 403 and COOKIE not in r.headers.get("set-cookie", "")


def test_a_token_cookie_signed_with_another_key_is_refused(app, sign_in):
    from floorwalker.core.auth import FormTokens

    token, cookie = FormTokens("another-install-secret").new()
    client = sign_in(app, None)
    client.cookies.set(FormTokens.COOKIE, cookie)
    r = client.post("/login", data={"username": "qa1", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 403


def test_the_refusal_is_in_the_language_picked_on_the_sign_in_page(app, sign_in, csrf):
    client = sign_in(app, None)
    client.post("/language", data={"locale": "en", "next": "/login", "csrf_token": csrf(client, "/login")})
    r = client.post("/login", data={"username": "qa1", "password": PASSWORD})
    assert r.status_code == 403 and "this form has expired; reload the page and try again" in r.text


def test_switching_language_before_sign_in_needs_the_token(app, sign_in):
    client = sign_in(app, None)
    client.get("/login")
    r = client.post("/language", data={"locale": "en", "next": "/login"})
    assert r.status_code == 403 and "fw_lang" not in r.headers.get("set-cookie", "")
    assert "用户名" in client.get("/login").text


def test_a_tampered_session_cookie_is_a_signed_out_visitor(app, sign_in):
    client = sign_in(app, "qa1")
    cookie = client.cookies.get(COOKIE)
    for forged in (cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"), "garbage", ""):
        visitor = sign_in(app, None)
        visitor.cookies.set(COOKIE, forged)
        r = visitor.get("/account")
        assert r.status_code == 303 and "/login" in r.headers["location"]
