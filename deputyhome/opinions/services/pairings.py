"""Pairings of deputies with households (结对联系) and their contact log; model-deputy stories."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from deputyhome.accounts import scopes
from deputyhome.audit.services import apply_changes, record
from deputyhome.core.services import model_delete
from deputyhome.deputies.models import Deputy

from .. import selectors
from ..choices import ContactWay
from ..models import ModelStory, Pairing, PairingContact
from .common import (
    clean_text,
    local_today,
    require,
)

M = TypeVar("M", bound=models.Model)


def _update(
    obj: M,
    data: dict[str, Any],
    *,
    names: Iterable[str],
    clean: Callable[[dict[str, Any]], dict[str, Any]],
    check: Callable[[Any, Deputy | None], None],
    actor: Any,
) -> M:
    """Update a pairing or a story: `data` laid over the locked row's current `names`, cleaned, and the
    deputy checked before and after (a row may not move to a deputy outside the actor's scope).
    Audited as "<model>.update", as `core.services.model_update` does."""
    check(actor, obj.deputy)
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    fields = clean({**{k: getattr(locked, k) for k in names}, **data})
    check(actor, fields["deputy"])
    changes = apply_changes(locked, fields)
    locked.save()
    record(actor=actor, action=f"{locked._meta.model_name}.update", obj=locked, changes=changes)
    return locked


def _check_deputy(actor: Any, deputy: Deputy | None) -> None:
    require(deputy is not None, "请选择代表。")
    require(selectors.may_edit_pairings(actor), "您的角色不能维护结对联系。")
    if actor.role == "deputy":
        require(deputy.pk == actor.deputy_id, "代表只能维护本人的结对联系户。")
    require(Deputy.objects.filter(scopes.deputies_q(actor), pk=deputy.pk).exists(), "该代表不在您的管辖范围内。")


PAIRING_FIELDS = ("deputy", "household", "village", "members", "since", "ended_on", "notes")


def _pairing_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data.get(k) for k in PAIRING_FIELDS if k in data}
    fields["household"], fields["notes"] = clean_text(fields.get("household")), clean_text(fields.get("notes"))
    require(bool(fields["household"]), "请填写联系户（户主姓名）。")
    require((fields.get("members") or 0) >= 1, "家庭人口至少为1人。")
    require(fields.get("since") is not None, "请填写结对日期。")
    require(fields["since"] <= local_today(), "结对日期不能晚于今天。")
    if fields.get("ended_on"):
        require(fields["ended_on"] >= fields["since"], "结束日期不能早于结对日期。")
    village = fields.get("village")
    if village is not None:
        require(len(village.code) == 12, "“所在村（社区）”请选择村或社区。")
    return fields


@transaction.atomic
def pairing_create(*, data: dict[str, Any], actor: Any) -> Pairing:
    _check_deputy(actor, data.get("deputy"))
    fields = _pairing_fields(data)
    pairing = Pairing.objects.create(**fields)
    record(actor=actor, action="pairing.create", obj=pairing, changes={k: [None, v] for k, v in fields.items()})
    return pairing


@transaction.atomic
def pairing_update(*, pairing: Pairing, data: dict[str, Any], actor: Any) -> Pairing:
    return _update(pairing, data, names=PAIRING_FIELDS, clean=_pairing_fields, check=_check_deputy, actor=actor)


@transaction.atomic
def pairing_contact_add(*, pairing: Pairing, data: dict[str, Any], actor: Any) -> PairingContact:
    """Log a contact with a paired household."""
    _check_deputy(actor, pairing.deputy)
    date, notes, way = data.get("date"), clean_text(data.get("notes")), data.get("way")
    require(date is not None, "请填写联系日期。")
    require(date <= local_today(), "联系日期不能晚于今天。")
    require(date >= pairing.since, "联系日期不能早于结对日期。")
    require(way in ContactWay.values, "请选择联系方式。")
    require(bool(notes), "请填写联系情况。")
    contact = PairingContact.objects.create(pairing=pairing, date=date, way=way, notes=notes, recorded_by=actor)
    Pairing.objects.filter(pk=pairing.pk).update(contact_count=F("contact_count") + 1)
    record(
        actor=actor,
        action="pairingcontact.create",
        obj=contact,
        object_repr=f"{pairing}：{contact}",
        changes={"date": [None, date], "way": [None, way]},
    )
    return contact


# Model-deputy stories -----------------------------------------------------------------------------------

STORY_FIELDS = ("deputy", "title", "text", "figures")


def _story_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data.get(k) for k in STORY_FIELDS if k in data}
    fields["title"], fields["text"] = clean_text(fields.get("title")), clean_text(fields.get("text"))
    require(fields.get("deputy") is not None, "请选择代表。")
    require(bool(fields["title"]), "请填写标题。")
    require(bool(fields["text"]), "请填写事迹。")
    figures = fields.get("figures") or []
    require(
        all(isinstance(f, (list, tuple)) and len(f) == 2 and all(clean_text(x) for x in f) for f in figures),
        "数据每项应有名称和数值。",
    )
    fields["figures"] = [[clean_text(a), clean_text(b)] for a, b in figures]
    return fields


def _check_story(actor: Any, deputy: Deputy | None) -> None:
    require(selectors.may_edit_stories(actor), "只有市、乡两级人大工作人员可以编写和发布代表典型。")
    require(
        deputy is not None and Deputy.objects.filter(scopes.deputies_q(actor), pk=deputy.pk).exists(),
        "该代表不在您的管辖范围内。",
    )


@transaction.atomic
def story_create(*, data: dict[str, Any], actor: Any) -> ModelStory:
    _check_story(actor, data.get("deputy"))
    fields = _story_fields(data)
    story = ModelStory.objects.create(created_by=actor, **fields)
    record(actor=actor, action="modelstory.create", obj=story, changes={k: [None, v] for k, v in fields.items()})
    return story


@transaction.atomic
def story_update(*, story: ModelStory, data: dict[str, Any], actor: Any) -> ModelStory:
    return _update(
        story,
        data,
        names=STORY_FIELDS,
        clean=_story_fields,
        check=_check_story,
        action="modelstory.update",
        actor=actor,
    )


@transaction.atomic
def story_publish(*, story: ModelStory, publish: bool, actor: Any) -> ModelStory:
    """Publish a story on the public page, or take it down."""
    _check_story(actor, story.deputy)
    locked = ModelStory.objects.select_for_update().get(pk=story.pk)
    before = locked.is_published
    locked.is_published = publish
    locked.published_at = (locked.published_at or timezone.now()) if publish else None
    locked.save()
    record(
        actor=actor,
        action="modelstory.publish" if publish else "modelstory.unpublish",
        obj=locked,
        changes={"is_published": [before, publish]},
    )
    return locked


def story_delete(*, story: ModelStory, actor: Any) -> None:
    _check_story(actor, story.deputy)
    model_delete(instance=story, actor=actor)
