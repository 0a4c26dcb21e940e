"""How `make test` runs the tests: the long files handed out first, static files kept by the browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from .testrun import LONG_FILES_FIRST, STATIC_MAX_AGE, run_order, static_kept_by_browser

ROOT = Path(__file__).resolve().parents[3]


def test_every_long_file_named_exists():
    """A renamed or removed file would silently go back to the end of the queue."""
    missing = [name for name in LONG_FILES_FIRST if not (ROOT / name).is_file()]
    assert LONG_FILES_FIRST and not missing, missing


def test_the_long_files_go_first_then_the_others_by_number_of_tests():
    ids = ["a/test_few.py::t1", "a/test_many.py::t1", "a/test_long.py::t1", "a/test_many.py::t2", "a/test_long.py::t2"]
    ids += ["a/test_longest.py::t[1]", "a/test_many.py::t3"]
    assert run_order(ids, long_files=["a/test_longest.py", "a/test_long.py"]) == [
        "a/test_longest.py::t[1]",
        "a/test_long.py::t1",
        "a/test_long.py::t2",
        "a/test_many.py::t1",
        "a/test_many.py::t2",
        "a/test_many.py::t3",
        "a/test_few.py::t1",
    ]


def test_then_the_files_with_browser_tests():
    ids = ["a/test_many.py::t1", "a/test_many.py::t2", "a/test_browser.py::t1", "a/test_long.py::t1"]
    assert run_order(ids, long_files=["a/test_long.py"], browser_files=["a/test_browser.py"]) == [
        "a/test_long.py::t1",
        "a/test_browser.py::t1",
        "a/test_many.py::t1",
        "a/test_many.py::t2",
    ]


def test_this_run_hands_out_the_long_files_first(request):
    """The root conftest puts the collection in that order (a run narrowed to other files has none of them)."""
    files = list(dict.fromkeys(item.nodeid.split("::")[0] for item in request.session.items))
    long_files = [name for name in LONG_FILES_FIRST if name in files]
    assert files[: len(long_files)] == long_files


def _serve(app, path: str) -> dict:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen.update(status=status, headers=dict(headers))

    app({"PATH_INFO": path}, start_response)
    return seen


def test_static_files_served_are_kept_but_not_errors_nor_pages():
    def site(environ, start_response):
        status = "404 Not Found" if environ["PATH_INFO"].endswith("missing.css") else "200 OK"
        start_response(status, [("Content-Type", "text/css")])
        return [b""]

    app = static_kept_by_browser(site, "static/")
    assert _serve(app, "/static/css/app.css")["headers"]["Cache-Control"] == f"max-age={STATIC_MAX_AGE}"
    assert "Cache-Control" not in _serve(app, "/static/css/missing.css")["headers"]
    assert "Cache-Control" not in _serve(app, "/suggestions/")["headers"]


@pytest.mark.browser  # with the browser tests: the live server's test empties the database after itself
def test_the_live_server_sends_static_files_with_a_max_age(live_server):
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/static/css/app.css") as response:  # noqa: S310 - our live server
        assert response.headers["Cache-Control"] == f"max-age={STATIC_MAX_AGE}"


@pytest.mark.django_db(transaction=True)
def test_a_flush_puts_back_the_rows_the_migrations_wrote():
    """A transactional test ends with a flush; whatever runs next on the worker (a module fixture builds its data
    before any test of its file) must find the migrations' rows, with their ids."""
    from django.core.management import call_command

    from deputyhome.audit.services import set_maintenance_mode
    from deputyhome.suggestions.models import Category, ResultClass

    before = list(ResultClass.objects.order_by("pk").values_list("pk", "code")), Category.objects.count()
    assert before[0] and before[1], "the migrations write result classes and categories"
    set_maintenance_mode("reset")  # the audit tables let a flush through (as after every transactional test)
    call_command("flush", interactive=False, verbosity=0)
    assert (list(ResultClass.objects.order_by("pk").values_list("pk", "code")), Category.objects.count()) == before


@pytest.mark.browser
@pytest.mark.django_db
def test_starting_the_browser_leaves_no_connection_of_this_process_open_behind(django_db_setup, browser):
    """Playwright's sync API moves the code that starts it to a context of its own, where Django opens another
    connection; the one from before was left open, unused, until the end, and pytest-django could not drop the test
    database ("being accessed by other users"). The `browser` fixture closes it first: this process has one session
    on its test database (the live server's thread closes its own after each request). The test database is set up
    (a connection opened) before the browser starts, as when the sweep's demo is built first."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the sessions on a database are PostgreSQL's to list")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] == 0


def _dangling_station():
    """A station whose region does not exist (foreign keys are checked at commit, or when a test's are checked)."""
    from deputyhome.organisation.models import Region, Station

    missing = (Region.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    return Station.objects.create(kind="home", name="悬空站", region_id=missing)


@pytest.mark.django_db
def test_a_snapshot_with_a_broken_reference_is_refused_when_taken():
    """A snapshot is loaded without its foreign keys checked again (testing_snapshots.load_snapshot), so it is checked once,
    when taken: a build that leaves a row pointing nowhere fails there."""
    from django.db import IntegrityError

    from deputyhome.testing_snapshots import take_snapshot

    with pytest.raises(IntegrityError):
        take_snapshot(_dangling_station)


@pytest.mark.django_db
def test_loading_a_snapshot_leaves_the_checks_of_foreign_keys_on():
    """After a load (which skips them on PostgreSQL), the test's own rows are checked as before."""
    from django.db import IntegrityError, connection, transaction

    from deputyhome.testing_snapshots import TableSnapshot, load_snapshot

    load_snapshot(TableSnapshot(added={}, replaced=set()))
    with pytest.raises(IntegrityError), transaction.atomic():
        _dangling_station()
        connection.check_constraints()


def test_a_run_that_passed_midnight_reads_the_demo_on_the_day_it_was_built():
    """The demo is dated from its build day; a test process that built it at 23:55 and reads it at 00:05 would find
    today's training session in the past. A build late in the day is made at 20:00, and read on that day."""
    import datetime

    import time_machine
    from django.utils import timezone

    from deputyhome.conftest import SharedDemo, _build_clock

    shanghai = timezone.get_current_timezone()
    with time_machine.travel(datetime.datetime(2026, 3, 9, 23, 55, tzinfo=shanghai), tick=False):
        with _build_clock():
            built_at = timezone.now()
        assert timezone.localtime(built_at).hour == 20
    with time_machine.travel(datetime.datetime(2026, 3, 10, 0, 5, tzinfo=shanghai), tick=False):
        demo = SharedDemo(output="", result=None, snapshot=None, built_at=built_at)  # type: ignore[arg-type]
        with demo.clock():
            assert timezone.localdate() == datetime.date(2026, 3, 9) and timezone.now() >= built_at
        assert timezone.localdate() == datetime.date(2026, 3, 10)
    with time_machine.travel(datetime.datetime(2026, 3, 9, 9, 0, tzinfo=shanghai), tick=False), _build_clock():
        assert timezone.localtime().hour == 9  # earlier in the day: built now
