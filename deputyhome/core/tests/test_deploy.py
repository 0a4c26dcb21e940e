"""Production settings pass Django's deployment checks; every response carries the security headers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


def _check_deploy(**settings: str) -> subprocess.CompletedProcess:
    drop = {
        "DEBUG",
        "DEPUTYHOME_TESTING",
        "DATABASE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "SMS_BACKEND",
        "SMS_GATEWAY_URL",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        SECRET_KEY="x7#Jq2!vL9@pR4$wT8&nZ1*hK6^mB3%cF5(dG0)sY-eU+iO=aQ_",
        ALLOWED_HOSTS="deputyhome.example.gov.cn",
        FIELD_ENCRYPTION_KEY="a" * 86,
        AUDIT_KEY="b" * 43,
        DATABASE_URL="sqlite:///:memory:",
        **settings,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    # An SMS platform for 首次登录短信验证 (the default backend only writes to the log).
    result = _check_deploy(
        SMS_BACKEND="deputyhome.notifications.services.HttpSmsBackend", SMS_GATEWAY_URL="https://sms.example.gov.cn/s"
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("backend", "first_login_sms", "warned"),
    [
        ("deputyhome.notifications.services.LoggingSmsBackend", True, True),
        ("", True, True),  # the default: the log
        ("deputyhome.notifications.services.LoggingSmsBackend", False, False),
        ("gateway.SmsSender", True, False),
    ],
)
def test_check_deploy_asks_for_an_sms_gateway_or_no_first_login_codes(settings, backend, first_login_sms, warned):
    """Without a gateway the first-login codes would go to the server's log: the deployment checks say so, until
    FIRST_LOGIN_SMS=0 turns them off. (The whole `check --deploy` with production settings runs above.)"""
    settings.DEBUG, settings.SMS_BACKEND, settings.FIRST_LOGIN_SMS = False, backend, first_login_sms
    found = {m.id for m in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])}
    assert ("deputies.W001" in found) is warned


def test_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEPUTYHOME_TESTING", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "style-src 'self';" in csp and "unsafe-inline" not in csp  # no <style>, no style attribute
    assert "http" not in csp  # no outside origin
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_djangos_error_pages_are_readable_in_debug_only(client, settings):
    """The technical 404 page of DEBUG is styled inline: no policy on it then; with DEBUG off, a 404 has it."""
    settings.DEBUG = True
    debug = client.get("/no-such-page/")
    assert debug.status_code == 404 and "Content-Security-Policy" not in debug
    assert "Content-Security-Policy" in client.get(reverse("accounts:login"))
    settings.DEBUG = False
    assert "Content-Security-Policy" in client.get("/no-such-page/")


def test_no_inline_scripts_in_templates():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if " onclick=" in text or " onsubmit=" in text or "<script>" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], "inline scripts are blocked by the Content-Security-Policy: " + ", ".join(offenders)


def test_no_inline_styles_in_templates_or_charts():
    """The CSP refuses inline styles as it refuses inline scripts: a one-off look is a class in static/css. (The
    browser sweep fails on the violation too, but only on the pages it reaches.)"""
    from deputyhome.reports.charts import BarChart, Series, svg

    offenders = [
        str(path.relative_to(ROOT))
        for path in [*(ROOT / "templates").rglob("*.html"), *(ROOT / "deputyhome").rglob("templates/**/*.html")]
        if re.search(r"\sstyle=|<style", path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "inline styles are blocked by the Content-Security-Policy: " + ", ".join(offenders)
    chart = svg(BarChart(title="代表建议", labels=["甲", "乙"], series=[Series("件数", [3, 1])]))
    assert "<svg" in chart and "style=" not in chart


def test_no_template_comment_spans_lines():
    """`{# ... #}` is one line only: one left open at a line's end shows on the page (a multi-line note is
    `{% comment %}`)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "templates").rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.count("{#") > line.count("#}")
    ]
    assert offenders == [], "a {# comment #} must close on its line: " + ", ".join(offenders)


@pytest.mark.django_db
def test_postgresql_reads_out_of_order_at_an_ssds_price():
    """On PostgreSQL each connection sets random_page_cost 1.1 (decision 154): a few ids are looked up along an
    index, not the whole table hashed (the city's 已申请、待开通 at a province: 50 ms against 11)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_settings_refuse_a_random_page_cost_that_is_no_number():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL="postgres://deputyhome@127.0.0.1:1/deputyhome", PG_RANDOM_PAGE_COST="ssd")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "PG_RANDOM_PAGE_COST must be a number, not 'ssd'" in result.stderr


def test_the_app_server_lets_a_request_run_as_long_as_nginx_waits_for_it():
    """gunicorn's default 30 s killed a worker mid-import (a province's 20,000-row roster took 26 s on the bench):
    the deployment's settings wait as long as nginx's proxy_read_timeout, and the README starts gunicorn with them."""
    import re

    conf: dict = {}
    exec((ROOT / "config" / "gunicorn.conf.py").read_text(), conf)  # noqa: S102 - our own settings file
    nginx = int(re.search(r"proxy_read_timeout (\d+)s;", (ROOT / "docs" / "nginx.conf").read_text()).group(1))
    assert conf["timeout"] >= nginx >= 60
    assert conf["bind"] == "127.0.0.1:8000" and conf["workers"] >= 2
    assert "gunicorn -c config/gunicorn.conf.py config.wsgi" in (ROOT / "README.md").read_text()


def test_a_mail_server_that_does_not_answer_is_waited_for_as_long_as_the_sms_platform():
    """Django's SMTP backend waits for ever unless told: a write's e-mails go out in its request (decision 157)."""
    from django.core.mail import get_connection

    from deputyhome.notifications.services import HttpSmsBackend

    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == 10 == HttpSmsBackend.TIMEOUT
