"""A demo company served by uvicorn on 127.0.0.1 and Debian's Chromium driven by Playwright.

The browser is /usr/bin/chromium (apt), never a downloaded one; without it the tests skip.
Screenshots go to test-artifacts/screenshots/ (git-ignored) for a person to look at.
"""

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from argon2 import PasswordHasher

from floorwalker.core import users
from floorwalker.core.app import create_app
from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.core.store import Store
from floorwalker.demo import build_demo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """For pytest-playwright's own fixtures, should a test use them."""
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """(base_url, accounts, fw) of the demo company served in a background thread."""
    with pytest.MonkeyPatch.context() as mp:  # real argon2id at a cost the demo's logins can pay
        mp.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        fw = Floorwalker(Store(tmp_path_factory.mktemp("demo")), make_plugin_manager())
        accounts = build_demo(fw)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(fw), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", accounts, fw
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(chromium):
    """``open_page()``: a new page in a fresh browser context (no cookies), laptop-sized."""
    contexts = []

    def make(width=1366, height=900):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(context)
        return context.new_page()
    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def shoot():
    """``shoot(page, name)``: save a full-page screenshot for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name):
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    return save
