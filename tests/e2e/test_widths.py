"""The agent's pages on a phone (390×844) and a team leader's on the floor's tablet (1024×768),
in Chinese and in English, measured in a real browser: what a user relies on at that width.

- the page itself never scrolls sideways: whatever is wider than its frame scrolls inside the
  frame, and such a frame shows a shadow on the side that has more (its background's gradients);
- nothing is cut off without a frame to scroll it into view;
- no word (a button's, a column header's, a name, a date) is split over two lines ("更/正",
  "取/消", "何/丹", "12月1/日", "轻度违/纪"), and no button or header is over two lines tall.

Screenshots of every page measured go to /tmp/shots-widths/ for a person to look at.
"""

import datetime as dt
from contextlib import contextmanager
from pathlib import Path

import pytest

from floorwalker.plugins.attendance import punches, roster

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-widths")
PHONE, TABLET = (390, 844), (1024, 768)
LANGUAGES = (("zh", "中文"), ("en", "English"))

# Returns what a user at this width would miss on the page, as short descriptions.
MEASURE = r"""() => {
  const scrolls = el => /auto|scroll/.test(getComputedStyle(el).overflowX);
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('');
  const where = el => {
    const path = [];
    for (let e = el; e && e !== document.body && path.length < 3; e = e.parentElement) path.unshift(name(e));
    return path.join(' > ');
  };
  const found = {page: [], clipped: [], hintless: [], broken: [], tall: []};
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) found.page.push(`${root.scrollWidth} px wide in ${root.clientWidth}`);
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg, select, textarea, input, script') || !el.getClientRects().length) continue;
    if (el.clientWidth && el.scrollWidth > el.clientWidth + 1) {
      let frame = null;
      for (let a = el; a && a !== document.body && !frame; a = a.parentElement) if (scrolls(a)) frame = a;
      if (!frame) found.clipped.push(`${where(el)}: ${el.scrollWidth} px in ${el.clientWidth}`);
      else if (frame === el && !/gradient/.test(getComputedStyle(el).backgroundImage)) found.hintless.push(where(el));
    }
  }
  const SHORT = 'button, .button, th, td, label, legend, dt, dd, summary, .tag, nav a';
  // a word ends at a space or a punctuation mark, where a line may break ("迟到 / （分钟）")
  const WORD = /[^\s，、。；：！？（）【】「」“”"(),;]+/g;
  const range = document.createRange();
  const box = (node, i) => { range.setStart(node, i); range.setEnd(node, i + 1); return range.getClientRects()[0]; };
  for (const el of document.body.querySelectorAll(SHORT)) {
    if (!el.getClientRects().length) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      const parent = node.parentElement;
      if (parent.closest('select, textarea, p, li, pre') || parent.closest(SHORT) !== el) continue;
      for (const m of node.data.matchAll(WORD)) {
        if (m[0].length < 2 || m[0].length > 12) continue;
        const first = box(node, m.index), last = box(node, m.index + m[0].length - 1);
        if (first && last && Math.abs(last.top - first.top) > first.height / 2) found.broken.push(`${where(el)} "${m[0]}"`);
      }
    }
  }
  for (const el of document.body.querySelectorAll('button, .button, th')) {
    const text = el.innerText.trim();
    if (text.length < 2 || !el.getClientRects().length) continue;
    range.selectNodeContents(el);
    const rects = [...range.getClientRects()].filter(r => r.width && r.height);
    if (!rects.length) continue;
    const cs = getComputedStyle(el), size = parseFloat(cs.fontSize);
    const lineHeight = parseFloat(cs.lineHeight) || size * 1.5;
    const top = Math.min(...rects.map(r => r.top)), bottom = Math.max(...rects.map(r => r.bottom));
    const width = Math.max(...rects.map(r => r.right)) - Math.min(...rects.map(r => r.left));
    const lines = Math.round((bottom - top) / lineHeight);
    const squeezed = lines >= 2 && width < 2.5 * size && !el.querySelector('br');
    if (lines > 2 || squeezed) found.tall.push(`${where(el)} "${text.slice(0, 16)}": ${lines} lines, ${Math.round(width)} px`);
  }
  for (const key in found) found[key] = [...new Set(found[key])];
  return found;
}"""


def sign_in(page, base, account):
    page.goto(f"{base}/login")
    page.fill("#f-username", account["username"])
    page.fill("#f-password", account["password"])
    page.click("button.primary")
    page.wait_for_load_state()
    assert "/login" not in page.url


def speak(page, label):
    """Pick the language (it is stored on the account: the caller puts 中文 back)."""
    page.click(f"form.lang button:has-text('{label}')")
    page.wait_for_load_state()


def account_of(accounts, role):
    return next(a for a in accounts if a["role"] == role and a["project"] == "shop")


def measure(page, base, url, shot):
    """Open *url*, save its screenshot as *shot*, and return what does not fit, by kind."""
    response = page.goto(base + url)
    assert response.status == 200, (url, response.status)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    return {kind: found for kind, found in page.evaluate(MEASURE).items() if found}


@contextmanager
def signed_in(chromium, base, account, size):
    """A page of a fresh browser context at *size*, signed in as *account*; 中文 again after."""
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, base, account)
    try:
        yield page
    finally:
        speak(page, "中文")
        context.close()


def walk(page, base, pages, extra=None):
    """Measure *pages* (name → url) in both languages; {shot name: problems} where any."""
    width = page.viewport_size["width"]
    problems = {}
    for lang, label in LANGUAGES:
        speak(page, label)
        for name, url in pages.items():
            shot = f"{width}-{name}-{lang}"
            problems[shot] = measure(page, base, url, shot)
            if extra:
                problems[shot].update(extra(page, name, lang))
    return {shot: found for shot, found in problems.items() if found}


def rostered_day_ahead(fw, slug, number):
    """A day three weeks ahead on which the agent is rostered (set here, so it is in view)."""
    day = (dt.date.today() + dt.timedelta(days=21)).isoformat()
    usual = [e["shift"] for e in roster.roster(fw, slug, dt.date.today().isoformat()[:7]).values()
             if e["agent"] == number and e.get("shift")]
    roster.set_entries(fw, slug, [(number, day, usual[0])], "e2e-widths")
    return day


def test_an_agents_pages_fit_a_phone(demo, chromium):
    base, accounts, fw = demo
    account = account_of(accounts, "agent")
    slug, number = account["project"], fw.users.get(account["username"])["agent"]
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).isoformat()[:7]
    pages = {"month": f"/p/{slug}/agents/{number}?month={last_month}",  # a whole month of events
             "attendance": f"/p/{slug}/attendance/mine",
             "leave": f"/p/{slug}/attendance/leave", "swaps": f"/p/{slug}/attendance/swaps"}
    with signed_in(chromium, base, account, PHONE) as page:
        speak(page, "中文")
        page.goto(f"{base}/p/{slug}/attendance/leave")
        ask = page.locator("form.att-forms button.primary")
        assert ask.inner_text() == "提交申请"  # the form's one primary action
        page.fill("#f-from", rostered_day_ahead(fw, slug, number))
        ask.click()
        page.wait_for_load_state()
        cancel = page.locator("form[action*='/cancel'] button")  # the list now has a row to cancel
        assert cancel.count() >= 1 and cancel.first.inner_text() == "取消"
        assert walk(page, base, pages) == {}


def test_a_team_leaders_pages_fit_a_tablet(demo, chromium):
    base, accounts, fw = demo
    account = account_of(accounts, "team_leader")
    slug = account["project"]
    month = dt.date.today().isoformat()[:7]
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).isoformat()[:7]
    teams = set(fw.users.get(account["username"])["teams"])
    team = {a["number"] for a, held in fw.agents.in_month(slug, last_month)
            if f"{slug}.{held['team']}" in teams}
    by_day = {}
    for punch in punches.punches(fw, slug, last_month):
        if punch["agent"] in team:
            by_day.setdefault((punch["agent"], punch["at"][:10]), []).append(punch)
    agent, day = next(key for key, found in sorted(by_day.items()) if len(found) >= 2)
    pages = {"floor": f"/p/{slug}/attendance/", "roster": f"/p/{slug}/attendance/roster",
             "punches": f"/p/{slug}/attendance/punches?agent={agent}&date={day}",
             "approvals": f"/p/{slug}/attendance/approvals", "scores": f"/p/{slug}/scores/{month}"}

    def buttons_in_view(page, name, lang):
        """A punch's correct and void buttons show without scrolling the table sideways."""
        if name != "punches":
            return {}
        out = page.evaluate("""() => [...document.querySelectorAll('td form.inline')].map(form => {
          const frame = form.closest('.tablewrap').getBoundingClientRect();
          return [...form.querySelectorAll('button[value=correct], summary')]
            .filter(b => b.getBoundingClientRect().right > frame.right).length; })""")
        if not out or any(out):
            return {"punches": [f"correct/void buttons out of view in {out}"]}
        return {}
    with signed_in(chromium, base, account, TABLET) as page:
        assert walk(page, base, pages, buttons_in_view) == {}


STICKY = r"""() => {
  const wrap = document.querySelector('table.roster').closest('.tablewrap');
  const overflows = wrap.scrollWidth > wrap.clientWidth;
  wrap.scrollLeft = wrap.scrollWidth;
  const frame = wrap.getBoundingClientRect();
  const name = document.querySelector('table.roster td.agent').getBoundingClientRect();
  const sunday = document.querySelector('select[name=day6]'), card = sunday.closest('.card');
  return {overflows, scrolled: wrap.scrollLeft, nameAtLeft: Math.abs(name.left - frame.left) <= 2,
          sundayInside: sunday.getBoundingClientRect().right <= card.getBoundingClientRect().right - 1
                        && card.scrollWidth <= card.clientWidth};
}"""


def test_the_roster_scrolls_on_a_tablet_with_the_names_in_view(demo, chromium):
    base, accounts, fw = demo
    account = account_of(accounts, "supervisor")  # who edits it: a select in every cell
    url = f"/p/{account['project']}/attendance/roster"

    def names_stay(page, name, lang):
        found = page.evaluate(STICKY)
        wrong = [f"{key}: {value}" for key, value in found.items() if not value]
        return {"roster": wrong} if wrong else {}
    with signed_in(chromium, base, account, TABLET) as page:
        assert walk(page, base, {"roster-editing": url}, names_stay) == {}


def test_the_sign_in_form_asks_the_browser_to_fill_the_user_name(demo, chromium):
    base, accounts, fw = demo
    context = chromium.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, locale="zh-CN")
    page = context.new_page()
    assert measure(page, base, "/login", "390-login-zh") == {}
    assert page.get_attribute("#f-username", "autocomplete") == "username"
    assert page.get_attribute("#f-password", "autocomplete") == "current-password"
    context.close()
