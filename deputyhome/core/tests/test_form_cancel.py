"""Every form to create an object has a 取消 that works: to the register it came from (or, where a form has none, back
in the history by static/js/app.js), never a javascript: link, which the CSP refuses without a word."""

from __future__ import annotations

import pytest
from django.urls import reverse

from deputyhome.core.crud import FormPageView

from .routes import all_routes, fill

pytestmark = pytest.mark.django_db


def _create_routes() -> list[str]:
    return [r.name for r in all_routes() if r.name.endswith("create") and not r.ids]


def test_the_create_forms_cancel_to_their_register_and_none_is_a_javascript_link(client, personas):
    client.force_login(personas["city"])
    opened = 0
    for name in _create_routes():
        response = client.get(fill(next(r for r in all_routes() if r.name == name), 0))
        if response.status_code != 200:
            continue  # not the city officer's form (403), or a form that needs a query parameter
        html = response.content.decode()
        assert "javascript:" not in html, name
        assert ">取消</a>" in html, name
        opened += 1
    assert opened >= 15  # the organisation's, the deputies', the activities', the voters' and the training's forms
    html = client.get(reverse("deputies:create")).content.decode()
    assert f'<a class="btn secondary" href="{reverse("deputies:list")}">取消</a>' in html


def test_a_form_without_a_register_goes_back_in_the_history():
    """A form page that knows neither an object's page nor a register leaves 取消 to the script (data-back)."""
    view = FormPageView()
    assert view.cancel_url(None) == ""
    view.list_url = "deputies:list"
    assert view.cancel_url(None) == reverse("deputies:list")


def test_a_new_session_cancels_to_the_congress_it_was_opened_from(client, personas, city):
    client.force_login(personas["city"])
    congress = city.city_congress
    html = client.get(reverse("organisation:session_create"), {"congress": congress.pk}).content.decode()
    assert f'href="{congress.get_absolute_url()}">取消</a>' in html
    html = client.get(reverse("organisation:session_create")).content.decode()
    assert "data-back>取消</a>" in html  # opened without a congress: back to where the user came from
