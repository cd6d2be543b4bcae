"""The QA pages on the floor's tablet (1024×768): their row of sub-pages wraps instead of
widening the page, each tab's words stay on one line, and a Chinese page names them in Chinese."""

import re

import pytest

pytestmark = pytest.mark.browser
TABLET = (1024, 768)


def speak(page, label):
    page.click(f"form.lang button:has-text('{label}')")
    page.wait_for_load_state()


def test_the_qa_tabs_fit_a_tablet_and_speak_chinese(demo, chromium, shoot):
    base, accounts, fw = demo
    account = next(a for a in accounts if a["role"] == "team_leader" and a["project"] == "shop")
    slug = account["project"]
    context = chromium.new_context(viewport={"width": TABLET[0], "height": TABLET[1]}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("#f-username", account["username"])
    page.fill("#f-password", account["password"])
    page.click("button.primary")
    page.wait_for_load_state()
    try:
        for lang, label in (("en", "English"), ("zh", "中文")):
            speak(page, label)
            page.goto(f"{base}/p/{slug}/qa/interactions")
            shoot(page, f"qa-tabs-1024-{lang}")
            width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert width[0] <= width[1], width
            tabs = page.locator("nav.qa-tabs a")
            assert tabs.count() >= 5
            lines = tabs.evaluate_all("""els => els.map(a => {
              const range = document.createRange(); range.selectNodeContents(a);
              return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })""")
            assert set(lines) == {1}, lines  # no tab's words broken over two lines
            if lang == "zh":
                words = tabs.all_inner_texts()
                assert not [w for w in words if re.search("[A-Za-z]{2,}", w.replace("QA", ""))], words
    finally:
        speak(page, "中文")  # the language is stored on the account: as the other tests expect it
        context.close()
