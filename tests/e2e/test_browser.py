"""Sign in as each role in a real browser, walk the main pages in both languages, submit a
form with a bad value; save screenshots of each main page."""

import datetime as dt
import re

import pytest

pytestmark = pytest.mark.browser
MONTH = dt.date.today().isoformat()[:7]


def sign_in(page, base, account):
    page.goto(f"{base}/login")
    page.fill("#f-username", account["username"])
    page.fill("#f-password", account["password"])
    page.click("button.primary")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:500]


def account_of(accounts, role):
    return next(a for a in accounts if a["role"] == role)


def switch_language(page, label):
    page.click(f"form.lang button:has-text('{label}')")
    page.wait_for_load_state()


def test_a_supervisor_walks_the_main_pages_in_chinese_and_english(demo, open_page, shoot):
    base, accounts, fw = demo
    account = account_of(accounts, "supervisor")
    slug = account["project"]
    page = open_page()
    page.goto(f"{base}/login")
    shoot(page, "login-zh")
    sign_in(page, base, account)
    assert page.locator("h1").first.inner_text().startswith("首页")  # signed in, in Chinese
    for lang, switch in (("zh", None), ("en", "English")):
        if switch:
            switch_language(page, switch)
        walk = {"home": "/", "dashboard": f"/p/{slug}/", "agents": f"/p/{slug}/agents",
                "scores": f"/p/{slug}/scores/{MONTH}?sort=-total", "periods": f"/p/{slug}/periods"}
        for name, url in walk.items():
            response = page.goto(base + url)
            assert response.status == 200, (url, response.status)
            shoot(page, f"{name}-{lang}")
        first = page.goto(base + f"/p/{slug}/agents").ok and page.locator("table.data tbody a").first
        first.click()
        page.wait_for_load_state()
        assert re.search(r"/agents/\w+", page.url)
        shoot(page, f"agent-{lang}")
    assert page.locator("nav.projectnav a.on").count() >= 1
    assert "Score events" in page.content()


def test_each_role_signs_in_and_sees_only_what_it_may(demo, open_page, shoot):
    base, accounts, fw = demo
    for role in ("director", "team_leader", "qa", "agent", "client"):
        account = account_of(accounts, role)
        page = open_page()
        sign_in(page, base, account)
        slug = account["project"] or fw.projects.all()[0]["slug"]
        if role == "agent":
            page.click("a.button:has-text('我的当月')")
            page.wait_for_load_state()
            assert f"/p/{slug}/agents/" in page.url
            shoot(page, "agent-own-month-zh")
            other = next(a for a, _ in fw.agents.in_project(slug, "0000-01-01", "9999-12-31")
                         if a["number"] != page.url.rsplit("/", 1)[-1].split("?")[0])
            assert page.goto(f"{base}/p/{slug}/agents/{other['number']}").status == 404
        else:
            assert page.goto(f"{base}/p/{slug}/").status == 200
            shoot(page, f"dashboard-{role}-zh")
        if role == "client":
            assert page.goto(f"{base}/p/{slug}/agents").status == 403
            shoot(page, "forbidden-client-zh")


def test_a_bad_setting_shows_its_error_beside_the_field(demo, open_page, shoot):
    base, accounts, fw = demo
    page = open_page()
    sign_in(page, base, account_of(accounts, "admin"))
    slug = fw.projects.all()[0]["slug"]
    page.goto(f"{base}/admin/projects/{slug}/settings/core")
    page.fill("#f-base_score", "八十")
    page.click("button.primary")
    page.wait_for_load_state()
    error = page.locator("#e-base_score")
    assert error.is_visible() and "整数" in error.inner_text()
    assert page.input_value("#f-base_score") == "八十"
    shoot(page, "settings-error-zh")
    switch_language(page, "English")
    page.goto(f"{base}/admin/users/new")
    page.fill("#f-username", "X Y")
    page.fill("#f-password", "long-enough-1")
    page.check("input[name=roles][value=qa]")
    page.click("button.primary")
    page.wait_for_load_state()
    assert "lowercase" in page.locator("#e-username").inner_text()
    shoot(page, "user-error-en")
    for name, url in (("admin-users-en", "/admin/users"), ("admin-audit-en", "/admin/audit"),
                      ("admin-project-en", f"/admin/projects/{slug}")):
        assert page.goto(base + url).status == 200
        shoot(page, name)


def test_the_pages_fit_a_tablet(demo, open_page, shoot):
    base, accounts, fw = demo
    account = account_of(accounts, "supervisor")
    page = open_page(width=820, height=1180)
    sign_in(page, base, account)
    page.goto(f"{base}/p/{account['project']}/scores/{MONTH}")
    body_width = page.evaluate("document.documentElement.scrollWidth")
    assert body_width <= 820  # wide tables scroll inside their frame, not the page
    shoot(page, "scores-tablet-zh")


def test_the_sign_in_page_switches_language_and_refuses_a_tampered_form(demo, open_page, shoot):
    base, accounts, fw = demo
    page = open_page()
    page.goto(f"{base}/login")
    switch_language(page, "English")  # a signed-out POST: it carries the form token
    assert page.locator("label[for=f-username]").inner_text() == "User name"
    account = account_of(accounts, "qa")
    page.fill("#f-username", account["username"])
    page.fill("#f-password", account["password"])
    page.evaluate("document.querySelector('form.login input[name=csrf_token], "
                  "section.login input[name=csrf_token]').value = 'forged'")
    page.click("button.primary")
    page.wait_for_load_state()
    assert "this form has expired" in page.content() and "/login" in page.url
    shoot(page, "login-refused-en")
    sign_in(page, base, account)  # a fresh form signs in
    assert page.goto(f"{base}/account").status == 200
