"""Languages of the web shell: every message has its Chinese in the core's own catalogs, and pages
(a plugin's too, from the plugin's catalogs) follow the reader."""

from pathlib import Path

from babel.messages.extract import extract_from_dir

from floorwalker.core.i18n import LOCALE_DIR, catalog

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [("core/page.py", "python"), ("core/app.py", "python"), ("core/auth.py", "python"), ("core/access.py", "python"), ("core/pages.py", "python"),
           ("core/admin_pages.py", "python"),
           ("themes/**.html", "jinja2")]


def web_msgids() -> set[str]:
    found = extract_from_dir(ROOT, method_map=SOURCES, keywords={"N_": None, "_": None},
                             options_map={"themes/**.html": {"extensions": "jinja2.ext.i18n"}})
    return {msg[0] if isinstance(msg, tuple) else msg for _, _, msg, _, _ in found}


def test_every_message_of_the_web_shell_has_a_chinese_translation():
    zh = catalog("zh_CN", [LOCALE_DIR])  # the shell's words never depend on a plugin being loaded
    ids = web_msgids()
    assert len(ids) > 100  # the extraction really read the templates
    assert sorted(m for m in ids if not (zh.get(m) and zh.get(m).string)) == []


def test_a_chinese_reader_gets_chinese_pages_and_an_english_reader_english(app, clients):
    zh = clients("root").get("/p/alpha/agents")  # root reads Chinese
    en = clients("supervisor1").get("/p/alpha/agents")
    assert "工号" in zh.text and "班组" in zh.text and 'lang="zh-CN"' in zh.text
    assert "Employee no." in en.text and "工号" not in en.text


def test_a_plugin_page_speaks_the_readers_language_from_the_plugins_own_catalog(clients):
    assert "职级调整建议" not in {m.string for m in catalog("zh_CN", [LOCALE_DIR])}
    zh = clients("root").get("/p/alpha/incentives/tiers")
    en = clients("supervisor1").get("/p/alpha/incentives/tiers")
    assert zh.status_code == en.status_code == 200
    assert "职级调整建议" in zh.text and "重新检查已结账月份" in zh.text
    assert "Tier suggestions" in en.text and "职级调整建议" not in en.text


def test_the_language_switch_is_stored_for_the_user(fresh, sign_in, csrf):
    fw, app = fresh
    client = sign_in(app, "qa1")
    r = client.post("/language", data={"locale": "zh_CN", "next": "/p/alpha/agents",
                                       "csrf_token": csrf(client)})
    assert r.status_code == 303 and r.headers["location"] == "/p/alpha/agents"
    assert fw.users.get("qa1")["locale"] == "zh_CN"
    assert "筛选" in client.get("/p/alpha/agents").text


def test_the_sign_in_page_can_switch_language_before_signing_in(app, sign_in, csrf):
    client = sign_in(app, None)
    client.post("/language", data={"locale": "en", "next": "/login", "csrf_token": csrf(client, "/login")})
    assert "User name" in client.get("/login").text
    client.post("/language", data={"locale": "zh_CN", "next": "/login", "csrf_token": csrf(client, "/login")})
    assert "用户名" in client.get("/login").text


def test_errors_are_shown_in_the_readers_language(clients):
    assert "此地址没有内容" in clients("root").get("/no/such/page").text
    r = clients("supervisor1").get("/p/alpha/scores/2025-13")
    assert r.status_code == 422 and "YYYY-MM" in r.text


def test_a_first_visit_speaks_the_language_the_browser_asks_for(app, sign_in):
    client = sign_in(app, None)
    assert "用户名" in client.get("/login", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.8"}).text
    assert "User name" in client.get("/login", headers={"accept-language": "en-GB,en;q=0.9,zh;q=0.5"}).text
    assert "User name" in client.get("/login", headers={"accept-language": "fr, en;q=0.3"}).text


def test_the_language_picked_on_the_sign_in_page_survives_signing_in(fresh, sign_in, csrf, login):
    fw, app = fresh
    assert fw.users.get("qa1")["locale"] == "en"
    client = sign_in(app, None)
    client.post("/language", data={"locale": "zh_CN", "next": "/login", "csrf_token": csrf(client, "/login")})
    assert login(client, "qa1", "correct-horse-7").status_code == 303
    assert "筛选" in client.get("/p/alpha/agents").text
    assert fw.users.get("qa1")["locale"] == "zh_CN"


def test_accept_language_weights_decide():
    from floorwalker.core.i18n import accepted_locale
    assert accepted_locale("en;q=0.4, zh-TW;q=0.8") == "zh_CN"
    assert accepted_locale("de, fr;q=0.9") is None
    assert accepted_locale("zh;q=0, en") == "en"
    assert accepted_locale("") is None
