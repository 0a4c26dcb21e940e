"""How `make test` runs the tests (used by the root conftest.py): the order in which pytest-xdist hands out the files,
and the live server's static files kept by the browser as in production."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

# pytest-xdist hands out whole files (--dist loadfile, --no-loadscope-reorder: in the order of the collection). A long
# file handed out last keeps one worker busy after the others are done, so the files that take longest go first,
# longest first; then the files with browser tests (a few tests, each several seconds); then the others by number of
# tests, the most first (the order pytest-xdist itself would use).
# Paths from the repository's root; test_testrun.py checks that each one exists.
# Measured with --durations on two busy cores (the sweep's halves about 60 s each, the others 10 to 45 s). The
# personal-data crawl (SQLite) and the fuzz (its own small city) come between the sweep's halves (PostgreSQL): while
# the first worker builds the demo city that both halves load, the second works instead of waiting for it.
LONG_FILES_FIRST = (
    "deputyhome/core/tests/test_browser_sweep.py",
    "deputyhome/core/tests/test_personal_data_crawler.py",
    "deputyhome/core/tests/test_fuzz.py",
    "deputyhome/core/tests/test_browser_sweep_b.py",
    "deputyhome/core/tests/test_object_routes.py",
    "deputyhome/opinions/tests/test_demo.py",
    "deputyhome/suggestions/tests/test_demo_suggestions.py",
    "deputyhome/demo/tests/test_demo_determinism.py",
)


def file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def run_order(
    nodeids: Iterable[str], long_files: Iterable[str] = LONG_FILES_FIRST, browser_files: Iterable[str] = ()
) -> list[str]:
    """The test ids in the order their files are handed out; a file's own tests keep their order."""
    nodeids = list(nodeids)
    rank = {name: i for i, name in enumerate(long_files)}
    browser = set(browser_files)
    counts = Counter(map(file_of, nodeids))

    def key(nodeid: str) -> tuple:
        file = file_of(nodeid)
        return (rank.get(file, len(rank)), file not in browser, -counts[file], file)

    return sorted(nodeids, key=key)


# In production WhiteNoise serves the static files with a max-age (the hashed names for a year). The live server's
# static handler sends none, so whether Chromium asks again for a style sheet or script on the next page depends on its
# heuristic (a tenth of the file's age): in a fresh clone, files minutes old could be asked again on every page, each a
# request of its own for the one-at-a-time live server. With an explicit max-age a static file served is kept for an
# hour whatever its age; an error (404) never is, and each browser context (a test's page, a persona of the sweep)
# starts with an empty cache. (On files an hour old the sweep asked for 14 static files per 100 pages either way.)
STATIC_MAX_AGE = 3600


def static_kept_by_browser(application: Callable, static_url: str) -> Callable:
    """The WSGI application, with `Cache-Control: max-age` on the static files it serves successfully."""
    prefix = "/" + static_url.lstrip("/")

    def app(environ, start_response):
        if not environ.get("PATH_INFO", "").startswith(prefix):
            return application(environ, start_response)

        def start(status, headers, exc_info=None):
            if status.startswith("200 ") and not any(name.lower() == "cache-control" for name, _ in headers):
                headers = [*headers, ("Cache-Control", f"max-age={STATIC_MAX_AGE}")]
            return start_response(status, headers, exc_info)

        return application(environ, start)

    return app
