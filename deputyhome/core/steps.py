"""The actions a user may take on one object from its page, each with its form: one declared table.

An app declares a `StepTable`: action name → `Step` (label, form class, the service call, the
success message, when it is offered). The detail view asks the table for the forms to show
(`StepTable.forms`), and the action view hands the POST to `StepTable.handle`, which checks the
step is allowed, validates the form, calls the service once, and answers: a redirect with the
success message, or the page again (status 400) with the form and the service's message in it.

Used by the suggestion course and voter-opinion triage (and meant for motions). Nothing here
knows a domain app: the app passes who may do what (`allowed`) and how to draw its page again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect

from .crud import add_service_errors

REFUSED = "当前状态下您不能执行这项操作。"


def _always(obj: Any, user: Any) -> bool:
    return True


def _no_kwargs(obj: Any, user: Any) -> dict[str, Any]:
    return {}


def service_call(
    service: Callable[..., Any], keyword: str, *fields: str, versioned: bool = False
) -> Callable[[Any, Any, dict[str, Any]], Any]:
    """A step's one service call: the object under `keyword` (`suggestion=`, `motion=`), the actor, and these
    fields of the form's cleaned data; `versioned`, the version the form was shown on (`Step.version`) too."""

    def call(obj: Any, user: Any, data: dict[str, Any]) -> Any:
        extra = {"version": data.get("version")} if versioned else {}
        return service(**{keyword: obj}, actor=user, **{f: data[f] for f in fields}, **extra)

    return call


@dataclass(frozen=True)
class Step:
    """One action on an object.

    label    the heading and button; a callable takes the object (e.g. 答复 / 修改答复)
    form     the form class, or None for a bare button
    run      the one service call: run(obj, user, cleaned_data)
    message  the success message (default "已<label>。"); a callable takes the object
    shown    when the step is offered to this user on this object, beyond the table's `allowed`
    form_kwargs  extra keyword arguments of the form: form_kwargs(obj, user)
    initial  the unbound form's initial data: initial(obj)
    danger   a red button that asks for confirmation
    version  the object's version for this step: version(obj), put in the form's hidden `version` field
             when it is shown. A POST whose form was shown on another version is refused with `stale`
             (a message, a redirect to the fresh page), even when the step is no longer offered; the
             service checks the version again under its lock and raises ValidationError(code="stale"),
             which is answered the same way (a stale form is never shown again with its old version).
    stale    the message for such a POST
    """

    label: str | Callable[[Any], str]
    form: type[BaseForm] | None
    run: Callable[[Any, Any, dict[str, Any]], Any]
    message: str | Callable[[Any], str] | None = None
    shown: Callable[[Any, Any], bool] = _always
    form_kwargs: Callable[[Any, Any], dict[str, Any]] = _no_kwargs
    initial: Callable[[Any], dict[str, Any]] | None = None
    danger: bool = False
    version: Callable[[Any], int] | None = None
    stale: str = "页面显示之后情况已有变化，本次操作未执行。请刷新页面后再操作。"

    def label_for(self, obj: Any) -> str:
        return self.label(obj) if callable(self.label) else self.label

    def message_for(self, obj: Any) -> str:
        if self.message is None:
            return f"已{self.label_for(obj)}。"
        return self.message(obj) if callable(self.message) else self.message


@dataclass
class StepTable:
    """The steps of one kind of object, in the order they are shown.

    allowed      the actions the user may take on the object now: allowed(obj, user)
    permission   whether the user's role may act at all (refused: 403 with `refused`)
    enforce      refuse a POST of a step that is not offered (message, redirect); when False the
                 service alone decides, and its reason shows in the form
    prefixed     prefix each form's fields with its action (several forms with the same fields on a page)
    refusals     exceptions of the service that are a refusal: shown as a message, then a redirect
    """

    steps: dict[str, Step]
    allowed: Callable[[Any, Any], Collection[str]] | None = None
    permission: Callable[[Any], bool] | None = None
    refused: str = "您的角色不能执行这项操作。"
    enforce: bool = True
    prefixed: bool = True
    refusals: tuple[type[Exception], ...] = ()

    def get(self, action: str) -> Step:
        """The step, or 404 for an action nobody declared."""
        step = self.steps.get(action)
        if step is None:
            raise Http404
        return step

    def check_permission(self, user: Any) -> None:
        if self.permission is not None and not self.permission(user):
            raise PermissionDenied(self.refused)

    def offered(self, obj: Any, user: Any, action: str, step: Step, allowed: Collection[str] | None = None) -> bool:
        if allowed is None:
            allowed = self.allowed(obj, user) if self.allowed else ()
        return (self.allowed is None or action in allowed) and step.shown(obj, user)

    def form(self, action: str, step: Step, obj: Any, user: Any, data=None, files=None) -> BaseForm | None:
        if step.form is None:
            return None
        kwargs = step.form_kwargs(obj, user)
        if self.prefixed:
            kwargs["prefix"] = action
        if data is None:
            initial = step.initial(obj) if step.initial is not None else {}
            if step.version is not None:
                initial = {**initial, "version": step.version(obj)}
            if initial:
                kwargs["initial"] = initial
        if data is None:
            return step.form(**kwargs)
        return step.form(data, files, **kwargs)

    def forms(
        self, obj: Any, user: Any, bound: dict[str, BaseForm] | None = None, lazy: Collection[str] = ()
    ) -> list[dict[str, Any]]:
        """What the page shows: the steps offered now, each with its form (the bound one after an error).

        A step named in `lazy` comes without its form (`"lazy": True`) unless it is the bound one: the page offers
        it by its label and loads the form when it is opened (`unbound_form`).
        """
        if self.permission is not None and not self.permission(user):
            return []
        bound = bound or {}
        allowed = self.allowed(obj, user) if self.allowed else ()
        out = []
        for action, step in self.steps.items():
            if not self.offered(obj, user, action, step, allowed):
                continue
            later = action in lazy and action not in bound
            if action in bound:
                form = bound[action]
            elif later:
                form = None
            else:
                form = self.form(action, step, obj, user)
            out.append(
                {"action": action, "label": step.label_for(obj), "form": form, "danger": step.danger, "lazy": later}
            )
        return out

    def unbound_form(self, obj: Any, user: Any, action: str) -> dict[str, Any] | None:
        """One step as `forms` gives it, with its unbound form, when it is offered to the user now (else None);
        404 for an unknown action, 403 for a role that may not act."""
        step = self.get(action)
        self.check_permission(user)
        if not self.offered(obj, user, action, step):
            return None
        form = self.form(action, step, obj, user)
        return {"action": action, "label": step.label_for(obj), "form": form, "danger": step.danger, "lazy": False}

    def handle(
        self,
        request: HttpRequest,
        obj: Any,
        action: str,
        rerender: Callable[[dict[str, BaseForm]], HttpResponse],
    ) -> HttpResponse:
        """Run the step on a POST: permission → form → one service → redirect (or the page again, 400)."""
        user = request.user
        step = self.get(action)
        self.check_permission(user)
        back = HttpResponseRedirect(obj.get_absolute_url())
        form = self.form(action, step, obj, user, request.POST, request.FILES)
        if _shown_on_another_version(step, obj, form):
            messages.error(request, step.stale)
            return back
        if self.enforce and not self.offered(obj, user, action, step):
            messages.error(request, REFUSED)
            return back
        if form is not None and not form.is_valid():
            return rerender({action: form})
        try:
            step.run(obj, user, form.cleaned_data if form is not None else {})
        except self.refusals as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            if form is None or getattr(exc, "code", None) == "stale":
                messages.error(request, "；".join(exc.messages))
            else:
                add_service_errors(form, exc)
                return rerender({action: form})
        else:
            messages.success(request, step.message_for(obj))
        return back


def _shown_on_another_version(step: Step, obj: Any, form: BaseForm | None) -> bool:
    """Whether a posted form carries a version of the object other than the current one (none posted: no)."""
    field = form.fields.get("version") if step.version is not None and form is not None else None
    if field is None:
        return False
    try:
        shown = field.clean(form["version"].data)
    except ValidationError:
        return False  # a malformed version is the form's error, reported with the others
    return shown is not None and shown != step.version(obj)
