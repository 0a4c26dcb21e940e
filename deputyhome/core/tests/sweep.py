"""The browser sweep's machinery (its tests are test_browser_sweep*.py): on the demo city, as every persona (and
the public), at a desk and on a phone, open every page the menu offers, one detail page of each kind linked
from them and one form of each kind (new, edit) linked from those (once in a sweep), and fail on anything a user
would hit: a console error, a CSP violation, a failed request or a 500, an inline event handler, a page wider than the
phone, a serious or critical axe-core violation (colour contrast on the first page of each kind in a sweep, every
other rule on every page), or a main action that the keyboard cannot reach.

Each page is loaded once, checked at a desk's width, then narrowed to a phone's width and checked again (decision
107): the site's layout answers to the width alone (one `max-width` media query; no script reads the screen, touch
or user agent, nor does the server). The phone journeys run in real mobile emulation.

axe-core comes from npm (`make test` installs it under var/npm); it is added to every page of a desk's browser
context through the DevTools protocol (an init script), so the site's own CSP stays as strict as in production.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deputyhome.demo.accounts import DEMO_PASSWORD
from deputyhome.testing import HTMX_BUSY, browser_log_in

AXE = Path(__file__).resolve().parents[3] / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Links the sweep never follows: they act (log out, export a file, download) rather than show a page.
SKIP = re.compile(
    r"logout|/records/year/|/export|\.xlsx|\.docx|\.csv|\.png|\.pdf|/download|/media/|/django-admin/|/reveal"
)
DETAILS_PER_PERSONA = 40
# The forms it opens (not submits): a new object's from the lists, an object's edit form from its detail page.
FORM = re.compile(r"/(new|edit)/$")
FORMS_PER_PERSONA = 30

# Run in the page after it has loaded: what the page itself shows of the faults the sweep looks for.
PAGE_CHECKS = """() => {
  const problems = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      if (/^on[a-z]+$/.test(attr)) problems.push(`inline handler ${attr} on <${el.tagName.toLowerCase()}>`);
    }
    if (el.tagName === 'A' && /^\\s*javascript:/i.test(el.getAttribute('href') || '')) {
      problems.push('javascript: link');
    }
  }
  const natively = new Set(['A', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'SUMMARY', 'FORM']);
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const el of document.querySelectorAll('[hx-get],[hx-post],[hx-delete],[hx-put],[hx-patch]')) {
    const trigger = el.getAttribute('hx-trigger') || '';
    if (!natively.has(el.tagName) && visible(el) && el.tabIndex < 0 && !/load|every|revealed|intersect|keyup|change|input/.test(trigger)) {
      problems.push(`htmx action on <${el.tagName.toLowerCase()}> not reachable by keyboard`);
    }
  }
  for (const el of document.querySelectorAll('main button, main a[href], main input[type=submit], main summary')) {
    if (visible(el) && el.tabIndex < 0) problems.push(`main action "${(el.innerText || el.value || '').trim().slice(0, 20)}" has tabindex -1`);
  }
  const doc = document.documentElement;
  return {problems, overflow: doc.scrollWidth - doc.clientWidth, csp: window.__csp || []};
}"""
CSP_LISTENER = """document.addEventListener('securitypolicyviolation',
  (e) => (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI}`));"""
# axe-core's rules whose checks are all of minor or moderate impact: they can never report what the sweep fails on
# (serious or critical), so they are not run (a third of axe's time on a page went to them).
# test_browser_sweep.py checks the list against the axe-core installed.
AXE_NEVER_SERIOUS = (
    "aria-allowed-role",
    "aria-deprecated-role",
    "duplicate-id",
    "empty-table-header",
    "focus-order-semantics",
    "form-field-multiple-labels",
    "heading-order",
    "hidden-content",
    "html-xml-lang-mismatch",
    "identical-links-same-purpose",
    "image-redundant-alt",
    "landmark-banner-is-top-level",
    "landmark-complementary-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-one-main",
    "landmark-unique",
    "meta-refresh-no-exceptions",
    "meta-viewport-large",
    "no-autoplay-audio",
    "page-has-heading-one",
    "presentation-role-conflict",
    "region",
    "server-side-image-map",
    "skip-link",
    "table-duplicate-name",
)
# axe-core's costliest rule (about three fifths of its time on our pages: it works out every text's colours) is run
# on the first page of each kind in a sweep (`Sweep.contrast_seen`), not again on the same kind of page as another
# persona: a text's contrast comes from the style sheet and the classes a template gives it, the same whoever reads
# the page. Every other rule (names, labels, roles: what a template shows one role and not another) runs on every page.
AXE_ONCE_A_KIND = ("color-contrast",)
# Called with the rules not to run (AXE_NEVER_SERIOUS, and AXE_ONCE_A_KIND after the first page of a kind).
AXE_RUN = """async (off) => {
  const rules = Object.fromEntries(off.map((id) => [id, {enabled: false}]));
  const result = await axe.run(document, {resultTypes: ['violations'], rules});
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}"""


# PAGE_CHECKS once the page has settled: the fragments htmx loads after the page (hx-trigger="load") are part of it,
# so it first waits until htmx is at rest (testing.HTMX_BUSY; in the page: one call, where Playwright's
# wait_for_function took another call and an animation frame per page). It also returns the page's links.
SETTLED_THEN_CHECKS = (
    """async () => {
  const deadline = Date.now() + 20000;
  while (document.readyState !== 'complete' || document.querySelector('"""
    + HTMX_BUSY
    + """')) {
    if (Date.now() > deadline) return {problems: ['htmx requests still pending after 20 s'], overflow: 0, csp: [], links: []};
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
  return {...(("""
    + PAGE_CHECKS
    + """)()), links};
}"""
)


@dataclass
class Sweep:
    base: str
    problems: list[str] = field(default_factory=list)
    visits: Counter = field(default_factory=Counter)
    # The kinds of form opened so far by any persona of this sweep: a form is one template whoever opens it, so each
    # kind is opened once (by the first persona that reaches it) rather than by every persona (decision 109).
    forms_seen: set[str] = field(default_factory=set)
    # The kinds of page on which AXE_ONCE_A_KIND has run in this sweep.
    contrast_seen: set[str] = field(default_factory=set)

    def visit(self, page, url: str, who: str) -> list[str]:
        """Open one page at a desk's width and check it (axe-core included), then at a phone's width; record its
        faults under each; return the addresses it links to."""
        faults: dict[str, list[str]] = {"desktop": [], "phone": []}
        size = "desktop"
        # Only this page's own requests count: one the previous page left in flight is cancelled by leaving it.
        ours: set = set()
        handlers = {
            "console": lambda m: m.type == "error" and faults[size].append(f"console: {m.text[:200]}"),
            "pageerror": lambda e: faults[size].append(f"script error: {e}"),
            "request": lambda r: ours.add(r),
            "requestfailed": lambda r: (
                r in ours and not _cancelled_icon(r) and faults[size].append(f"request failed: {r.url} {r.failure}")
            ),
            "response": lambda r: r.status >= 400 and faults[size].append(f"HTTP {r.status}: {r.url}"),
        }
        for event, handler in handlers.items():
            page.on(event, handler)
        try:
            if page.viewport_size != DESKTOP:
                page.set_viewport_size(DESKTOP)
            page.goto(self.base + url, wait_until="load")
            found = page.evaluate(SETTLED_THEN_CHECKS)
            faults[size] += found["problems"] + [f"CSP: {c}" for c in found["csp"]]
            faults[size] += [f"axe: {v}" for v in page.evaluate(AXE_RUN, self._axe_off(url))]
            size = "phone"
            page.set_viewport_size(PHONE)
            narrow = page.evaluate(SETTLED_THEN_CHECKS)
            faults[size] += narrow["problems"] + [f"CSP: {c}" for c in narrow["csp"][len(found["csp"]) :]]
            if narrow["overflow"] > 1:
                faults[size].append(f"horizontal overflow of {narrow['overflow']} px on the phone")
        finally:
            for event, handler in handlers.items():
                page.remove_listener(event, handler)
        for width, found_at_width in faults.items():
            self.visits[(who, width)] += 1
            self.problems += [f"[{who} {width}] {url}: {f}" for f in dict.fromkeys(found_at_width)]
        return found["links"]

    def _axe_off(self, url: str) -> list[str]:
        """The axe rules not to run on this page: AXE_ONCE_A_KIND too if a page of its kind had them (the first page of a
        kind is noted here)."""
        kind = _kind(url)
        if kind in self.contrast_seen:
            return [*AXE_NEVER_SERIOUS, *AXE_ONCE_A_KIND]
        self.contrast_seen.add(kind)
        return list(AXE_NEVER_SERIOUS)


def _cancelled_icon(request) -> bool:
    """The browser fetches the site icon on its own, after the page; leaving the page cancels it. Not a fault of the
    page (an icon that is missing still shows as an HTTP 404)."""
    return request.url.endswith("/favicon.svg") and "ERR_ABORTED" in (request.failure or "")


def _links(hrefs: list[str]) -> list[str]:
    paths = (re.match(r"/[^#?]*", h) for h in hrefs)
    return [m.group() for m in paths if m and not SKIP.search(m.group())]


def _shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", path)


def _kind(url: str) -> str:
    """A page's kind: its address's path but for its ids."""
    return _shape(urlsplit(url).path)


def _pages_for(sweep: Sweep, page, who: str) -> None:
    """The menu's pages, one detail page of each kind that they link to, and one form of each kind that the menu's
    pages (new) and the detail pages (edit) link to, if no persona before in this sweep opened that kind."""
    menu = page.eval_on_selector_all("nav a[href]", "els => els.map((a) => a.getAttribute('href'))")
    pages = list(dict.fromkeys(h for h in menu if h.startswith("/") and not SKIP.search(h)))
    shapes = {_shape(p) for p in pages}
    details: list[str] = []
    forms: list[str] = []

    def keep(links: list[str]) -> None:
        for link in links:
            shape = _kind(link)
            if shape in shapes:
                continue
            if FORM.search(shape):
                if shape not in sweep.forms_seen and len(forms) < FORMS_PER_PERSONA:
                    shapes.add(shape)
                    sweep.forms_seen.add(shape)
                    forms.append(link)
            elif "/N" in shape and len(details) < DETAILS_PER_PERSONA:
                shapes.add(shape)
                details.append(link)

    for url in pages:
        keep(_links(sweep.visit(page, url, who)))
    for url in details:
        keep([link for link in _links(sweep.visit(page, url, who)) if FORM.search(_shape(link))])
    for url in forms:
        sweep.visit(page, url, who)


def _context(browser, viewport=DESKTOP, axe: bool = False):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(20_000)
    context.add_init_script(CSP_LISTENER)
    if axe:
        context.add_init_script(path=str(AXE))
    return context


def _write(path: Path, sweep: Sweep) -> dict:
    counts = {f"{who} {size}": n for (who, size), n in sorted(sweep.visits.items())}
    summary = {"pages_visited": sum(sweep.visits.values()), "by_persona_and_size": counts, "problems": sweep.problems}
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    return summary


def run_sweep(live_server, browser, artifacts_dir: Path, personas: list[str], report: str) -> None:
    """Sweep the demo city (the test's `committed_demo`) as these personas ("public": no login), at a desk and on
    a phone; fail on any fault."""
    if not AXE.exists():
        message = f"axe-core not found at {AXE}; `make test` installs it (npm install --prefix var/npm axe-core)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    # SWEEP_PERSONAS=city,deputy narrows a run while mending what it found.
    only = [w for w in os.environ.get("SWEEP_PERSONAS", "").split(",") if w]
    personas = [who for who in personas if not only or who in only]
    if not personas:
        pytest.skip("SWEEP_PERSONAS names none of this sweep's personas")
    sweep = Sweep(base=live_server.url)
    for who in personas:
        context = _context(browser, axe=True)
        page = context.new_page()
        if who == "public":
            index = sweep.visit(page, "/opinions/p/", who)
            urls = [h for h in index if re.fullmatch(r"/opinions/p/station/\d+/", h)][:1]
            urls += ["/accounts/login/", "/opinions/p/track/", "/opinions/p/stories/", "/public/replies/"]
            for url in urls:
                sweep.visit(page, url, who)
        else:
            browser_log_in(page, live_server.url, who, DEMO_PASSWORD)
            _pages_for(sweep, page, who)
        context.close()
        _write(artifacts_dir / report, sweep)

    summary = _write(artifacts_dir / report, sweep)
    print(f"sweep ({', '.join(personas)}): {summary['pages_visited']} page checks, {len(sweep.problems)} problems")
    assert not sweep.problems, "\n".join(sweep.problems)
