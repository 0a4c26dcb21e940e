"""The browser sweep, in two halves that pytest-xdist runs side by side (a half is a file): as every persona and
the public, at a desk and on a phone, every page the menu offers and one detail page of each kind. What it checks
is in sweep.py; its reports are test-artifacts/sweep-*.json (page loads per persona and size, and every fault)."""

from __future__ import annotations

import pytest

from deputyhome.demo.accounts import USERNAMES

from .sweep import AXE, AXE_NEVER_SERIOUS, AXE_RUN, PAGE_CHECKS, PHONE, SETTLED_THEN_CHECKS, Sweep, _context, run_sweep

# The other half is in test_browser_sweep_b.py; together they are every demo login and the public.
# Split for about as many page loads each (218 and 195 at each width in the demo, forms included, each kind of form
# once a half), so that the two workers finish together.
FIRST_HALF = ["city", "township", "townshipcongress", "unit", "townshipunit", "sysadmin", "public"]
SECOND_HALF = ["group", "leader", "supervisor", "deputy", "auditor", "secadmin"]


def test_the_two_halves_cover_every_persona_once():
    assert sorted(FIRST_HALF + SECOND_HALF) == sorted([*USERNAMES, "public"])


@pytest.mark.browser
@pytest.mark.sweep
@pytest.mark.timeout(1800)
@pytest.mark.django_db(transaction=True)
def test_every_page_as_the_first_half_of_the_personas(live_server, committed_demo, browser, artifacts_dir):
    run_sweep(live_server, browser, artifacts_dir, FIRST_HALF, "sweep-a.json")


@pytest.mark.browser
def test_the_sweep_sees_what_it_looks_for(browser):
    """The checks themselves: a page with an inline handler, an image without alt text, an unlabelled field, an
    htmx action on a plain <div> and a too-wide block is reported on each count."""
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}")
    context = _context(browser, PHONE)
    page = context.new_page()
    page.set_content(
        '<html lang="zh"><head><title>t</title></head><body><main><h1>t</h1>'
        '<button onclick="go()">提交</button><img src="data:,"><input type="text">'
        '<div hx-post="/x/">删除</div><div style="width:2000px">宽</div></main></body></html>'
    )
    found = page.evaluate(PAGE_CHECKS)
    page.evaluate(AXE.read_text())
    axe = page.evaluate(AXE_RUN, list(AXE_NEVER_SERIOUS))
    # The rules the sweep does not run: each exists in this axe-core, and none of its checks is serious or critical.
    impacts = page.evaluate(
        """(ids) => Object.fromEntries(ids.map((id) => {
          const rule = axe._audit.rules.find((r) => r.id === id);
          const checks = rule ? [...rule.any, ...rule.all, ...rule.none].map((c) => c.id || c) : [];
          return [id, rule ? checks.map((c) => axe._audit.data.checks[c].impact) : null];
        }))""",
        list(AXE_NEVER_SERIOUS),
    )
    # What a fragment brings once its request is over is checked too: the checks wait for it.
    page.set_content(
        '<html lang="zh"><head><title>t</title></head><body><main><div id="f" class="htmx-request"></div>'
        "<script>setTimeout(() => { f.classList.remove('htmx-request'); "
        "f.innerHTML = '<button onclick=\"go()\">后来</button>'; }, 300)</script></main></body></html>"
    )
    later = page.evaluate(SETTLED_THEN_CHECKS)
    context.close()
    assert later["problems"] == ["inline handler onclick on <button>"]
    assert {rule: i for rule, i in impacts.items() if not i or set(i) - {"minor", "moderate"}} == {}
    assert "inline handler onclick on <button>" in found["problems"]
    assert any("not reachable by keyboard" in p for p in found["problems"])
    assert found["overflow"] > 1000
    assert any(v.startswith("image-alt") for v in axe) and any(v.startswith("label") for v in axe), axe


@pytest.mark.browser
def test_a_page_is_checked_at_a_desks_width_and_again_at_a_phones(browser):
    """One load, two widths: a block 600 px wide fits the desk and overflows the phone: one fault, the phone's."""
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}")
    context = _context(browser, axe=True)
    page = context.new_page()
    html = '<html lang="zh"><head><title>t</title></head><body><main><h1>t</h1><div style="width:600px">宽</div></main>'
    sweep = Sweep(base="")
    sweep.visit(page, "data:text/html;charset=utf-8," + html, "t")
    context.close()
    assert dict(sweep.visits) == {("t", "desktop"): 1, ("t", "phone"): 1}
    assert [p.split(": ")[-1] for p in sweep.problems] == ["horizontal overflow of 218 px on the phone"]
    assert sweep.problems[0].startswith("[t phone] data:")


@pytest.mark.browser
def test_colour_contrast_is_checked_once_a_kind_and_the_other_rules_on_every_page(browser):
    """Two pages of one kind (an id apart) with grey-on-white text and an unlabelled field: the contrast is reported
    on the first only, the field on both; a page of another kind has its contrast checked again."""
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}")
    context = _context(browser, axe=True)
    page = context.new_page()
    sweep = Sweep(base="")
    html = '<html lang="zh"><head><title>t</title></head><body><main><h1>t</h1><p style="color:#ccc">这段说明文字的颜色太浅</p>'
    html += '<input type="text"></main></body></html>'
    page.route("http://sweep.test/**", lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    for url in ("http://sweep.test/a/1/", "http://sweep.test/a/2/", "http://sweep.test/b/"):
        sweep.visit(page, url, "t")
    context.close()
    found = [(p.split(": ")[0], p.split("axe: ")[-1].split(" ")[0]) for p in sweep.problems if "axe: " in p]
    assert found == [
        ("[t desktop] http://sweep.test/a/1/", "color-contrast"),
        ("[t desktop] http://sweep.test/a/1/", "label"),
        ("[t desktop] http://sweep.test/a/2/", "label"),
        ("[t desktop] http://sweep.test/b/", "color-contrast"),
        ("[t desktop] http://sweep.test/b/", "label"),
    ]
