"""A small company with the QA plugin, built fast through the core API.

Project acme (QA enabled): team day with 1001 Li Lei and 1002 Han Meimei, team night with 1003
Wang Fang, all hired 2025-01-01; project beta: agent 2001. `CARD_ROWS` is a scorecard in the
spreadsheet's columns: two weighted sections (60 + 40), a bonus section, a fatal item of each
kind, and an item of each type.
"""

import pytest

from floorwalker.core.floorwalker import Floorwalker
from floorwalker.core.plugins import make_plugin_manager
from floorwalker.plugins.qa import scorecards

from ...pgcluster import store_for

LABELS = {k: k for k in (*scorecards.COLUMNS, "forbidden")}
# 部分, 权重, 项目, 类型, 满分, 致命, 说明
CARD_ROWS = [
    ("服务用语", 60, "开场使用“请”", "是否", 10, "无", "首句问候"),
    ("服务用语", 60, "语气亲切", "评分", 5, "无", "0–5 分，可半分"),
    ("服务用语", 60, "辱骂客户", "是否", 0, "整体", "红线"),
    ("业务处理", 40, "信息准确", "分值", 10, "部分", ""),
    ("业务处理", 40, "记录完整", "是否", 10, "无", ""),
    ("加分项", None, "主动营销成功", "分值", 5, "无", "成交加分"),
]
FORBIDDEN = ["不知道", "这不归我管"]


def rows_of(rows=CARD_ROWS):
    keys = scorecards.COLUMNS
    return [(n + 2, {k: "" if v is None else str(v) for k, v in zip(keys, row)}) for n, row in enumerate(rows)]


def card_of(rows=CARD_ROWS, forbidden=FORBIDDEN):
    return scorecards.card_from_rows(rows_of(rows), forbidden, LABELS)


@pytest.fixture(scope="session")
def make_card():
    """``make_card(rows=CARD_ROWS, forbidden=FORBIDDEN)``: the scorecard of spreadsheet rows."""
    return card_of


@pytest.fixture(scope="session")
def sample_rows():
    return CARD_ROWS


@pytest.fixture(scope="session")
def pm():
    return make_plugin_manager(builtins=["qa"])


def build_company(root, pm) -> Floorwalker:
    fw = Floorwalker(store_for(root), pm)
    fw.projects.create("acme", "Acme Co", "setup", plugins=["qa"])
    fw.teams.create("acme", "day", "Day team", "setup")
    fw.teams.create("acme", "night", "Night team", "setup")
    fw.agents.add("acme", "1001", "Li Lei", "setup", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1002", "Han Meimei", "setup", team="day", hired="2025-01-01")
    fw.agents.add("acme", "1003", "Wang Fang", "setup", team="night", hired="2025-01-01")
    fw.projects.create("beta", "Beta Ltd", "setup", plugins=["qa"])
    fw.agents.add("beta", "2001", "Zhou Jie", "setup", hired="2025-01-01")
    return fw


@pytest.fixture
def fw(tmp_path, pm):
    return build_company(tmp_path / "data", pm)


@pytest.fixture
def published(fw):
    """Version 1 of acme's standard, published."""
    scorecards.save_draft(fw, "acme", card_of(), "qa1", "电商在线质检标准")
    return scorecards.publish(fw, "acme", 1, "qa1")


@pytest.fixture
def sign_in(fw, cheap_argon2):
    """``sign_in(username, role, agent=None)``: a web client of acme signed in as a new user of
    *role* (the app built once per test), and its CSRF token, as ``(client, token)``."""
    import re

    from starlette.testclient import TestClient

    from floorwalker.core.app import create_app
    from floorwalker.core.users import hash_password
    app, hosts = create_app(fw), iter(range(1, 250))

    def signed_in(username, role, agent=None):
        with cheap_argon2():
            fw.users.add_many([fw.users.prepare(username, hash_password("correct-horse-7"), [role], ["acme"],
                                                username, "zh_CN", agent=agent)], "setup")
        client = TestClient(app, follow_redirects=False, client=(f"10.9.0.{next(hosts)}", 4000))
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        assert client.post("/login", data={"csrf_token": token, "username": username,
                                           "password": "correct-horse-7"}).status_code == 303
        return client, re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)
    return signed_in
