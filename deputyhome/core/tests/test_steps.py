"""The step table on its own: which steps a page offers, and how a POST to one is answered."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from deputyhome.core.steps import REFUSED, Step, StepTable


class NoteForm(forms.Form):
    note = forms.CharField()


class Refused(Exception):
    pass


class Thing:
    def __init__(self, state: str = "open") -> None:
        self.state = state
        self.done: list[tuple[str, dict]] = []

    def get_absolute_url(self) -> str:
        return "/thing/1/"


def _run(name: str):
    def run(obj: Thing, user, data: dict) -> None:
        if data.get("note") == "bad":
            raise ValidationError("说明不清楚。")
        if data.get("note") == "late":
            raise Refused("已经来不及了。")
        obj.done.append((name, data))

    return run


def _table(**options) -> StepTable:
    return StepTable(
        steps={
            "close": Step("关闭", NoteForm, _run("close"), shown=lambda o, u: o.state == "open"),
            "ping": Step("提醒", None, _run("ping"), message=lambda o: f"已提醒（{o.state}）。"),
            "hidden": Step("隐藏", None, _run("hidden")),
        },
        allowed=lambda o, u: {"close", "ping"},
        refusals=(Refused,),
        **options,
    )


def _post(action: str, data: dict | None = None, user=None):
    request = RequestFactory().post(f"/thing/1/act/{action}/", data or {})
    request.user = user or SimpleNamespace(role="clerk")
    request._messages = CookieStorage(request)
    return request


def _texts(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def _again(bound: dict) -> HttpResponse:
    response = HttpResponse(status=400)
    response.bound = bound
    return response


def test_the_page_offers_the_allowed_and_shown_steps_in_order():
    table = _table()
    steps = table.forms(Thing(), SimpleNamespace())
    assert [(s["action"], s["label"]) for s in steps] == [("close", "关闭"), ("ping", "提醒")]
    assert steps[0]["form"].prefix == "close" and steps[1]["form"] is None
    assert [s["action"] for s in table.forms(Thing("closed"), SimpleNamespace())] == ["ping"]


def test_a_role_without_permission_is_offered_nothing_and_refused_with_403():
    table = _table(permission=lambda user: user.role == "officer", refused="不能处理。")
    assert table.forms(Thing(), SimpleNamespace(role="clerk")) == []
    with pytest.raises(PermissionDenied):
        table.handle(_post("ping"), Thing(), "ping", _again)


def test_an_unknown_action_is_404():
    with pytest.raises(Http404):
        _table().handle(_post("nothing"), Thing(), "nothing", _again)


def test_a_step_not_offered_is_refused_with_a_message_and_nothing_runs():
    thing = Thing("closed")
    request = _post("close", {"close-note": "好"})
    response = _table().handle(request, thing, "close", _again)
    assert response.status_code == 302 and response.url == "/thing/1/"
    assert _texts(request) == [REFUSED] and thing.done == []
    request = _post("hidden")
    assert _table().handle(request, thing, "hidden", _again).status_code == 302
    assert thing.done == []


def test_without_enforce_the_service_decides():
    thing = Thing("closed")
    request = _post("close", {"note": "好"})
    response = _table(enforce=False, prefixed=False).handle(request, thing, "close", _again)
    assert response.status_code == 302 and thing.done == [("close", {"note": "好"})]
    assert _texts(request) == ["已关闭。"]


def test_a_bad_form_and_a_service_error_show_the_page_again_with_the_form():
    thing = Thing()
    response = _table().handle(_post("close", {}), thing, "close", _again)
    assert response.status_code == 400 and response.bound["close"].errors["note"]
    response = _table().handle(_post("close", {"close-note": "bad"}), thing, "close", _again)
    assert response.status_code == 400
    assert response.bound["close"].non_field_errors() == ["说明不清楚。"]
    assert thing.done == []


def test_a_refusal_of_the_service_is_a_message_and_a_redirect():
    thing = Thing()
    request = _post("close", {"close-note": "late"})
    response = _table().handle(request, thing, "close", _again)
    assert response.status_code == 302 and _texts(request) == ["已经来不及了。"] and thing.done == []


def test_success_runs_the_service_once_with_the_message():
    thing = Thing()
    request = _post("ping")
    response = _table().handle(request, thing, "ping", _again)
    assert response.status_code == 302 and thing.done == [("ping", {})]
    assert _texts(request) == ["已提醒（open）。"]


# A form shown on an older version of the object ------------------------------------------------------------


class VersionedForm(forms.Form):
    note = forms.CharField()
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class Versioned(Thing):
    def __init__(self, state: str = "open", version: int = 7) -> None:
        super().__init__(state)
        self.version = version


def _versioned_run(obj: Versioned, user, data: dict) -> None:
    if data.get("version") is not None and data["version"] != obj.version:  # the service's check, under its lock
        raise ValidationError("服务发现已变化。", code="stale")
    obj.done.append(("edit", data))


def _versioned_table() -> StepTable:
    return StepTable(
        steps={
            "edit": Step(
                "修改",
                VersionedForm,
                _versioned_run,
                shown=lambda o, u: o.state == "open",
                version=lambda o: o.version,
                stale="已有变化，请刷新。",
            )
        },
        allowed=lambda o, u: {"edit"},
    )


def test_a_versioned_form_is_shown_with_the_version():
    (step,) = _versioned_table().forms(Versioned(version=9), SimpleNamespace())
    assert step["form"].initial == {"version": 9}


@pytest.mark.parametrize("state", ["open", "closed"])
def test_a_form_shown_on_another_version_is_refused_with_its_message_even_when_no_longer_offered(state):
    thing = Versioned(state, version=8)
    request = _post("edit", {"edit-note": "好", "edit-version": "7"})
    response = _versioned_table().handle(request, thing, "edit", _again)
    assert response.status_code == 302 and response.url == "/thing/1/"
    assert _texts(request) == ["已有变化，请刷新。"] and thing.done == []


def test_a_stale_refusal_of_the_service_is_a_message_and_the_fresh_page():
    """The version changed between the page's check and the service's lock: not the old form again, a message."""
    thing = Versioned(version=7)
    request = _post("edit", {"edit-note": "好", "edit-version": "7"})

    def run(obj, user, data):
        obj.version = 8  # another request committed in between
        _versioned_run(obj, user, data)

    table = _versioned_table()
    table.steps["edit"] = Step("修改", VersionedForm, run, version=lambda o: o.version)
    response = table.handle(request, thing, "edit", _again)
    assert response.status_code == 302 and _texts(request) == ["服务发现已变化。"] and thing.done == []


def test_the_current_version_or_none_goes_through():
    for posted in ("7", ""):
        thing = Versioned(version=7)
        request = _post("edit", {"edit-note": "好", "edit-version": posted})
        assert _versioned_table().handle(request, thing, "edit", _again).status_code == 302
        assert [name for name, _data in thing.done] == ["edit"]
