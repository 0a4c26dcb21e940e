"""HttpSmsBackend against a real HTTP server on this machine: what it posts, and that a refusal is a failure the
callers record (a notification marked failed; 首次登录验证 saying so and keeping no code)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import checks

from deputyhome.notifications.choices import Channel
from deputyhome.notifications.models import Notification
from deputyhome.notifications.services import HttpSmsBackend, notify
from deputyhome.testing import after_commit

pytestmark = pytest.mark.django_db


class Gateway:
    """An SMS platform: records what it is sent, answers `status`."""

    def __init__(self) -> None:
        self.received: list[tuple[dict, dict]] = []
        self.status = 200
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append((dict(self.headers), json.loads(body)))
                self.send_response(gateway.status)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    running = Gateway()
    settings.SMS_BACKEND = "deputyhome.notifications.services.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = running.url
    settings.SMS_GATEWAY_TOKEN = "t0ken"
    yield running
    running.close()


def test_it_posts_the_number_and_the_text_with_the_token(gateway):
    HttpSmsBackend().send(phone="13900001111", text="【代表之家】临期催办")
    [(headers, body)] = gateway.received
    assert body == {"phone": "13900001111", "text": "【代表之家】临期催办"}
    assert headers["Authorization"] == "Bearer t0ken" and headers["Content-Type"].startswith("application/json")


def test_a_refusal_is_a_failure_the_notification_records(gateway, personas, city):
    city.unit_a.phone = "13900001111"
    city.unit_a.save()
    gateway.status = 503
    with after_commit():
        notify(users=[personas["unit"]], subject="临期催办", key="k", sms=True)
    row = Notification.objects.get(channel=Channel.SMS, key="k")
    assert not row.sent_ok and "503" in row.error
    assert len(gateway.received) == 1


def test_a_first_login_code_the_gateway_refused_is_not_kept(gateway, city, client):
    from deputyhome.deputies.models import FirstLoginCode
    from deputyhome.deputies.tests.test_first_login import PAGE, _account, _signed_in

    user, password = _account(city.deputies_a[1])
    _signed_in(client, user, password)
    gateway.status = 500
    assert "短信发送失败" in client.post(PAGE, {"action": "send"}, follow=True).content.decode()
    assert not FirstLoginCode.objects.filter(user=user).exists()
    gateway.status = 200
    client.post(PAGE, {"action": "send"})
    [(_headers, body)] = gateway.received[1:]
    assert body["phone"] == city.deputies_a[1].phone and "验证码为" in body["text"]
    assert FirstLoginCode.objects.filter(user=user).count() == 1


def test_no_address_is_a_deployment_error(settings):
    settings.SMS_BACKEND = "deputyhome.notifications.services.HttpSmsBackend"
    settings.SMS_GATEWAY_URL = ""
    assert "deputies.E001" in {m.id for m in checks.run_checks(include_deployment_checks=True)}
    with pytest.raises(ValueError, match="SMS_GATEWAY_URL"):
        HttpSmsBackend().send(phone="13900001111", text="x")
    settings.SMS_GATEWAY_URL = "https://sms.example.gov.cn/send"
    assert "deputies.E001" not in {m.id for m in checks.run_checks(include_deployment_checks=True)}
