"""The browser sweep checks a page on a phone by narrowing the page it loaded at a desk (sweep.py, decision 107).
That stands for a phone only while nothing on the site tells a phone from a narrow window: no script of ours reads
the screen, touch or the user agent, the stylesheets ask only for a width (or print), and the server never reads
the user agent. These tests keep it so; whoever needs one of these must give the sweep its phone context back."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEVICE_READS = re.compile(
    r"\b(innerWidth|outerWidth|matchMedia|screen\.|userAgent|maxTouchPoints|ontouch\w*|touch(start|end|move)"
    r"|orientation|devicePixelRatio)\b"
)
WIDTH_OR_PRINT = re.compile(r"\s*(print|(screen and )?\((max|min)-width:\s*\d+px\))\s*")
USER_AGENT = re.compile(r"USER_AGENT|user_agent|Sec-CH-UA", re.IGNORECASE)


def _lines(paths, pattern: re.Pattern) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]


def test_the_patterns_find_what_they_look_for():
    assert DEVICE_READS.search("if (window.matchMedia('(pointer: coarse)').matches) {")
    assert DEVICE_READS.search("el.addEventListener('touchstart', go);")
    assert not WIDTH_OR_PRINT.fullmatch(" (hover: none) ")
    assert WIDTH_OR_PRINT.fullmatch(" (max-width: 700px) ")
    assert USER_AGENT.search('request.META.get("HTTP_USER_AGENT")')


def test_no_script_of_the_site_reads_the_device():
    scripts = sorted((ROOT / "static").glob("**/*.js"))
    assert scripts, "no script found under static/"
    assert _lines(scripts, DEVICE_READS) == []


def test_the_stylesheets_ask_only_for_a_width():
    sheets = sorted((ROOT / "static").glob("**/*.css"))
    queries = [q for sheet in sheets for q in re.findall(r"@media([^{]*)\{", sheet.read_text(encoding="utf-8"))]
    assert queries, "no media query found: the phone layout is gone, or the stylesheets moved"
    assert [q for q in queries if not WIDTH_OR_PRINT.fullmatch(q)] == []


def test_the_server_never_reads_the_user_agent():
    sources = [
        p
        for folder in ("deputyhome", "config")
        for p in sorted((ROOT / folder).glob("**/*.py"))
        if "tests" not in p.parts
    ]
    assert _lines(sources, USER_AGENT) == []
