"""Test-run settings shared by every test module."""

import gc
import os
import re
import shutil
from pathlib import Path

import pytest

from deputyhome.core.tests.testrun import file_of, run_order, static_kept_by_browser
from deputyhome.testing_snapshots import remember_migration_rows, restore_migration_rows

os.environ.setdefault("DEPUTYHOME_TESTING", "1")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# test itself around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# --- Fewer garbage collections -------------------------------------------------------------
# A test process holds the demo city's snapshot (hundreds of thousands of objects that live as long as it does), and
# Python's collector went through them again and again: with its defaults (700, 10, 10) about 16,000 collections a
# worker, 12 s of each SQLite worker's time. A young collection every 50,000 allocations instead of 700: 3.6 s.
# (A process of the site itself keeps the defaults: it does not hold such data.)
gc.set_threshold(50_000, 20, 100)

# --- The live server answers one request at a time ------------------------------------------
# Django's live server is threaded, and on SQLite the test database lives in memory, shared by the
# server's threads through one connection. A page that loads a fragment by htmx while the test
# already navigates elsewhere then has two requests on that one connection at once, and the run
# can hang. Served one after the other (each answer closes its connection), nothing can collide.


def _serial_live_server() -> None:
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

        def set_app(self, application):
            # The browser keeps the static files it was sent, as in production (testrun.static_kept_by_browser).
            super().set_app(static_kept_by_browser(application, settings.STATIC_URL))

    LiveServerThread.server_class = SerialWSGIServer


_serial_live_server()

# --- Uploads go to a folder of this test process -------------------------------------------------
# Tests that store files point MEDIA_ROOT at their own tmp_path; any that does not still writes to a
# scratch folder of its own process (pytest-xdist runs several), never into var/media.


@pytest.fixture(scope="session", autouse=True)
def _scratch_media_root(tmp_path_factory):
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


# --- Browser tests: Playwright driving Debian's Chromium -----------------------------------
# Tests marked `browser` take `page` or `phone_page` together with pytest-django's
# `live_server`. Under CI=true a missing Chromium fails the run instead of skipping it.

ARTIFACTS_DIR = Path(__file__).resolve().parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",  # Chromium's sandbox refuses to run as root
    "--disable-gpu",
    # The network is closed: stop Chromium from trying to reach Google's services.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
_REPORTS = pytest.StashKey[dict]()


# The browser the tests drive: DEPUTYHOME_CHROMIUM if set (e.g. /usr/bin/chromium, the full browser), else Debian's
# Chromium headless shell, else the full browser. The shell is the same Chromium (Blink and V8, one Debian source
# package, one version) without the full browser's windowing and profile layers: the browser tests took about a
# third less CPU in it (decision 172).
CHROMIUM_PATHS = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")


def find_chromium() -> str | None:
    chosen = os.environ.get("DEPUTYHOME_CHROMIUM")
    if chosen:
        return chosen
    for path in CHROMIUM_PATHS:
        if Path(path).exists():
            return path
    return shutil.which("chromium-headless-shell") or shutil.which("chromium")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item so page fixtures can tell a failed test.
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """test-artifacts/sqlite/ or test-artifacts/postgresql/: `make test` runs the two databases side by side."""
    from django.db import connection

    folder = ARTIFACTS_DIR / connection.vendor
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser():
    chromium = find_chromium()
    if chromium is None:
        message = (
            "Chromium not found (/usr/bin/chromium-headless-shell, /usr/bin/chromium or on PATH); install it: "
            "apt-get install -y chromium chromium-headless-shell fonts-noto-cjk"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs the code that starts it in a context of its own until it stops, and Django keeps
    # its connections per context: a connection opened on one side was left open, unused, on the other (before: the
    # test database's; after: the last test's), and pytest-django could not drop the database at the end ("being
    # accessed by other users"). Each side's connections are closed before the switch.
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


def _page_in_new_context(browser, request, artifacts_dir, **context_options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        report = request.node.stash.get(_REPORTS, {}).get("call")
        if report is not None and report.failed:
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
            try:
                page.screenshot(path=str(artifacts_dir / f"FAILED-{name}.png"), full_page=True)
            except Exception as exc:  # a screenshot is a courtesy; never mask the real failure
                print(f"could not save failure screenshot: {exc}")
        context.close()


@pytest.fixture
def page(browser, request, artifacts_dir):
    """A desktop-sized page in a fresh browser context (Chinese locale)."""
    yield from _page_in_new_context(browser, request, artifacts_dir, viewport={"width": 1366, "height": 900})


@pytest.fixture
def phone_page(browser, request, artifacts_dir):
    """A phone-sized touch page in a fresh browser context (Chinese locale), as deputies use it."""
    yield from _page_in_new_context(
        browser,
        request,
        artifacts_dir,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )


# --- The audit table's triggers refuse DELETE; transactional tests empty every table afterwards. ---
# The maintenance mode lives in a raw table that flush does not touch: 'reset' lets the flush
# through; every database test starts with the triggers fully on.


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and the rows its migrations wrote remembered: a transactional test's flush
    empties their tables, and they are put back at once (`_refill_after_flush`), so that whatever runs next on this
    worker (a test, or a module fixture building its data before any test of its file) finds the database as the
    migrations left it."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    with django_db_blocker.unblock():
        remember_migration_rows()
    # Django sends it only for apps with models.
    last_app = [app for app in apps.get_app_configs() if app.models_module is not None][-1]
    post_migrate.connect(_refill_after_flush, sender=last_app, dispatch_uid="deputyhome-refill-after-flush")


def _refill_after_flush(**kwargs) -> None:
    """After a flush, Django sends post_migrate once per app (content types and permissions are made again by their
    own receivers); after the last app's, the migrations' rows go back with their ids."""
    restore_migration_rows()


@pytest.fixture(autouse=True)
def _audit_triggers(request):
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    uses_db = marker is not None or names & {"db", "transactional_db", "live_server", "django_db_setup"}
    if not uses_db:
        yield
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server"}
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from deputyhome.audit.services import set_maintenance_mode

    set_maintenance_mode("")
    yield
    if transactional:
        set_maintenance_mode("reset")


# --- The longest files start first (see core/tests/testrun.py) --------------------------------------


def pytest_collection_modifyitems(config, items):
    browser_files = {file_of(item.nodeid) for item in items if item.get_closest_marker("browser")}
    position = {nodeid: i for i, nodeid in enumerate(run_order((i.nodeid for i in items), browser_files=browser_files))}
    items.sort(key=lambda item: position[item.nodeid])
