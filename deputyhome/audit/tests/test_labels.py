"""The audit log names its actions in Chinese: every action the code writes has a name, and the auditor's page shows
it (with the action as stored) and finds rows by it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from deputyhome.accounts.export_rights import KINDS
from deputyhome.audit.labels import action_label, actions_named
from deputyhome.motions.choices import MotionAction
from deputyhome.organisation import services
from deputyhome.suggestions.choices import Action
from deputyhome.suggestions.models import RoutingChoice

ROOT = Path(__file__).resolve().parents[2]


def _written_actions() -> set[str]:
    """The actions given as text (`action="<object>.<verb>"`) to any call outside tests and migrations: `record`,
    `record_batch` and the helpers that pass theirs on."""
    found = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for kw in node.keywords if isinstance(node, ast.Call) else ():
                value = kw.value.value if isinstance(kw.value, ast.Constant) else None
                if kw.arg == "action" and isinstance(value, str) and re.fullmatch(r"[a-z_]+\.[a-z_]+", value):
                    found.add(value)
    return found


def test_names_of_some_actions():
    assert action_label("auth.login") == "登录"
    assert action_label("suggestion.assign") == "代表建议：交办"
    assert action_label("motion.file") == "代表议案：提出"
    assert action_label("opinion.to_suggestion") == "群众意见：转为代表建议"
    assert action_label("handlingunit.update") == "承办单位：修改"
    assert action_label("export.deputies") == "导出人大代表名册"
    assert action_label("nothing.known") == "nothing.known"


def test_every_action_the_code_writes_has_a_chinese_name():
    written = _written_actions()
    assert len(written) > 60  # the scan found them
    # The ones built from a step or a model: every step of the two courses, every model's create/update/delete.
    written |= {f"suggestion.{a}" for a in Action.values} | {f"motion.{a}" for a in MotionAction.values}
    written |= {f"suggestion.routing_{kind}" for kind in RoutingChoice.Kind.values}
    written |= {kind.action for kind in KINDS.values()} | {kind.refused_action for kind in KINDS.values()}
    for app in ("organisation", "deputies", "activities", "opinions", "training", "records", "suggestions", "motions"):
        for model in apps.get_app_config(app).get_models():
            written |= {f"{model._meta.model_name}.{verb}" for verb in ("create", "update", "delete")}
    assert sorted(a for a in written if action_label(a) == a) == []


@pytest.mark.django_db
def test_the_auditor_reads_the_names_and_finds_rows_by_them(city, personas, client):
    services.unit_update(unit=city.unit_a, data={"contact_person": "王主任"}, actor=personas["city"])
    client.force_login(personas["auditor"])
    html = client.get(reverse("audit:list")).content.decode()
    assert "承办单位：修改" in html and "handlingunit.update" in html
    # By the name, by a part of it, and by the start of the stored action, as before.
    for text in ("承办单位：修改", "修改", "handlingunit."):
        assert "王主任" in client.get(reverse("audit:list"), {"action": text}).content.decode(), text
    assert "王主任" not in client.get(reverse("audit:list"), {"action": "交办"}).content.decode()
    assert "handlingunit.update" in actions_named("承办单位")
