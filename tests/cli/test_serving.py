"""`floorwalker serve` on a network: --behind-https, --trusted-proxy, the warning for a network
host. uvicorn.run is replaced, so the test gets the app exactly as `serve` builds it."""

import importlib
import re

import pytest
from starlette.testclient import TestClient

PASSWORD = "s3cret-pass"


@pytest.fixture
def served(run, fw, monkeypatch):
    """``served(*args)``: run ``serve *args``; returns (result, app, uvicorn's options). With
    several workers uvicorn gets the factory each worker calls: the test calls it as a worker
    does, in the environment `serve` set for them."""
    import uvicorn

    from floorwalker.core import serving

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    for name in (serving.DATA, serving.OPTIONS):  # whatever serve sets is undone after the test
        monkeypatch.setenv(name, "")

    def serve(*args, lang="en"):
        result = run("serve", *args, lang=lang)
        app, options = calls.pop() if calls else (None, None)
        if isinstance(app, str):
            module, name = app.split(":")
            assert options["factory"] is True
            app = getattr(importlib.import_module(module), name)()
        return result, app, options
    return serve


def test_serve_runs_a_worker_per_core_unless_told(served, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    _, app, options = served()
    assert options["workers"] == 4 and app.state.shell.fw.store.root.is_dir()
    _, app, options = served("--workers", "1")
    assert options["workers"] == 1 and "factory" not in options
    result, app, _ = served("--workers", "0")
    assert result.exit_code == 2 and app is None and "--workers" in result.output


def sign_in(client: TestClient):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    return client.post("/login", data={"csrf_token": token, "username": "boss", "password": PASSWORD})


def test_serve_leaves_proxy_headers_to_the_app(served):
    result, app, options = served()
    assert result.exit_code == 0, result.output
    assert options["proxy_headers"] is False  # uvicorn would believe 127.0.0.1's X-Forwarded-For
    assert app.state.shell.throttle.proxies == ()  # and the app believes nobody's


def test_behind_https_marks_cookies_secure_and_sends_hsts(served, fw):
    fw.users.add("boss", PASSWORD, ["admin"], "setup", projects=["*"])
    result, app, _ = served("--behind-https", "--host", "0.0.0.0")
    assert result.exit_code == 0 and result.stderr == "", result.output
    client = TestClient(app, base_url="https://floor.example", follow_redirects=False)
    page = client.get("/login")
    assert page.headers["strict-transport-security"] == "max-age=31536000"
    assert "Secure" in page.headers["set-cookie"]  # the sign-in form's token
    signed_in = sign_in(client)
    assert signed_in.status_code == 303 and "Secure" in signed_in.headers["set-cookie"]
    plain = TestClient(app, follow_redirects=False).get("/login")  # TLS ends at the proxy
    assert plain.status_code == 200 and plain.headers["strict-transport-security"]


def test_without_behind_https_no_secure_cookie_and_no_hsts(served):
    _, app, _ = served()
    page = TestClient(app, follow_redirects=False).get("/login")
    assert "strict-transport-security" not in page.headers
    assert "Secure" not in page.headers["set-cookie"]


def test_trusted_proxies_reach_the_throttle(served, error_line):
    _, app, _ = served("--trusted-proxy", "10.0.0.2", "--trusted-proxy", "10.1.0.0/16")
    assert [str(n) for n in app.state.shell.throttle.proxies] == ["10.0.0.2/32", "10.1.0.0/16"]
    result, app, _ = served("--trusted-proxy", "proxy.local")
    assert app is None
    assert error_line(result) == \
        "error: trusted proxy: expected an IP address such as 10.0.0.5, got 'proxy.local'"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "floor.example"])
def test_a_network_host_gets_a_one_line_warning(served, host):
    result, app, _ = served("--host", host)
    assert result.exit_code == 0 and app is not None
    assert result.stderr.splitlines() == [
        f"warning: {host} can be reached from the network: put Floorwalker behind an HTTPS "
        "proxy and start it with --behind-https"]


def test_the_warning_speaks_the_clis_language(served):
    result, _, _ = served("--host", "0.0.0.0", lang="zh_CN")
    assert result.stderr.startswith("警告：0.0.0.0 可从网络访问") and "--behind-https" in result.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_a_loopback_host_gets_no_warning(served, host):
    result, _, _ = served("--host", host)
    assert result.exit_code == 0 and result.stderr == ""
