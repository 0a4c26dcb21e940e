"""Behind a proxy, under two writers on SQLite, and with the database down."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from deputyhome.audit.models import AuditEvent
from deputyhome.core.middleware import TrustedProxyMiddleware


def _seen(meta: dict, trusted: list[str]) -> tuple[str, bool]:
    """The client address and the HTTPS flag the application sees after the proxy middleware."""
    request = RequestFactory().get("/", **meta)
    out = {}

    def view(req):
        out["addr"], out["secure"] = req.META.get("REMOTE_ADDR"), req.is_secure()
        return None

    with override_settings(TRUSTED_PROXIES=trusted, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        TrustedProxyMiddleware(view)(request)
    return out["addr"], out["secure"]


def test_forwarded_headers_from_an_untrusted_peer_are_ignored():
    meta = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "10.1.2.3", "HTTP_X_FORWARDED_PROTO": "https"}
    assert _seen(meta, []) == ("203.0.113.9", False)
    assert _seen(meta, ["127.0.0.1"]) == ("203.0.113.9", False)


def test_forwarded_headers_from_a_trusted_proxy_are_honoured():
    meta = {
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": "198.51.100.1, 10.0.0.7, 10.0.0.2",
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    # 10.0.0.0/8 are our own proxies too: the client is the first address from the right that is not one.
    assert _seen(meta, ["127.0.0.1", "10.0.0.0/8"]) == ("198.51.100.1", True)
    assert _seen({**meta, "HTTP_X_FORWARDED_FOR": "not-an-address"}, ["127.0.0.1"]) == ("127.0.0.1", True)


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_the_audit_records_the_real_client_behind_the_proxy(client, personas):
    # Middleware reads the setting when the handler is built: a fresh client builds a fresh handler.
    proxied = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.23")
    proxied.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"})
    forged = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.99")
    forged.post(reverse("accounts:login"), {"username": "nobody2", "password": "wrong"})
    addresses = dict(AuditEvent.objects.filter(action="auth.login_failed").values_list("actor_name", "client_address"))
    assert addresses == {"nobody": "198.51.100.23", "nobody2": "203.0.113.5"}


# SQLite: two writers at once ------------------------------------------------------------------------------


@pytest.mark.django_db  # pytest-django guards every connection; these are our own, on a file of their own
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_two_writers_on_a_file_database_never_see_database_is_locked(tmp_path):
    """Each writer reads, thinks, then writes in one transaction: in SQLite's default (deferred) mode the
    second one fails at once with "database is locked"; with the settings' IMMEDIATE mode it waits."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = {**connections["default"].settings_dict, "NAME": str(tmp_path / "two.sqlite3")}
    setup = DatabaseWrapper(settings_dict, alias="setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n integer)")
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    setup.close()
    errors: list[str] = []
    barrier = threading.Barrier(2)

    def writer(i: int) -> None:
        conn = DatabaseWrapper(settings_dict, alias=f"writer{i}")
        try:
            conn.ensure_connection()
            barrier.wait()
            conn._start_transaction_under_autocommit()  # what transaction.atomic() does first on SQLite
            with conn.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM counter")
                time.sleep(0.3)
                cursor.execute("INSERT INTO counter VALUES (%s)", [i])
                cursor.execute("COMMIT")
        except Exception as exc:  # the failure under test: "database is locked"
            errors.append(str(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    check = DatabaseWrapper(settings_dict, alias="check")
    with check.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM counter")
        assert cursor.fetchone()[0] == 2
    check.close()


# The database down ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_database_outage_answers_503_in_chinese(personas, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(personas["city"])
    original = connections["default"]
    broken_settings = {**original.settings_dict}
    if original.vendor == "sqlite":
        broken_settings["NAME"] = "/nonexistent-dir/deputyhome.sqlite3"
    else:
        broken_settings.update(HOST="127.0.0.1", PORT="1")
    broken = original.__class__(broken_settings, alias="default")
    connections["default"] = broken
    try:
        responses = [client.get("/"), client.get(reverse("deputies:list"))]
    finally:
        broken.close()
        connections["default"] = original
    for response in responses:
        assert response.status_code == 503
        assert response["Retry-After"].isdigit()
        assert "数据库暂时无法连接" in response.content.decode()
    outage_lines = [r for r in caplog.records if r.name == "deputyhome.outage"]
    assert len(outage_lines) == 2 and all(r.exc_info is None for r in outage_lines)
    assert not [r for r in caplog.records if r.name == "django.request" and r.exc_info]
