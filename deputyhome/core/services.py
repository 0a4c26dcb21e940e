"""Generic create/update/delete with an audit row in the same transaction.

The named services of each app (`station_create`, `deputy_update`, ...) are thin
wrappers around these, so the audit row cannot be forgotten.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from deputyhome.audit.services import apply_changes, record
from deputyhome.core.crypto import EncryptedCharField
from deputyhome.core.masking import mask_id_number, mask_phone

M = TypeVar("M", bound=models.Model)


def _label(model: type[models.Model]) -> str:
    return model._meta.model_name or "object"


def masked_changes(model: type[models.Model], changes: dict[str, Any]) -> dict[str, Any]:
    """Personal data (the encrypted fields) enters the audit trail masked.

    The audit administrator reads the trail and has no right to ID numbers or phones; the trail
    only needs to show that they changed.
    """
    secret = {f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)}

    def mask(value: Any) -> Any:
        if not value:
            return value
        text = str(value)
        return mask_id_number(text) if len(text) >= 15 else mask_phone(text)

    return {k: [mask(v) for v in pair] if k in secret else pair for k, pair in changes.items()}


@transaction.atomic
def model_create(*, model: type[M], data: dict[str, Any], actor: Any) -> M:
    instance = model(**data)
    instance.full_clean()
    instance.save()
    changes = masked_changes(model, {k: [None, v] for k, v in data.items()})
    record(actor=actor, action=f"{_label(model)}.create", obj=instance, changes=changes)
    return instance


@transaction.atomic
def model_update(*, instance: M, data: dict[str, Any], actor: Any) -> M:
    locked = type(instance).objects.select_for_update().get(pk=instance.pk)
    changes = masked_changes(type(instance), apply_changes(locked, data))
    locked.full_clean()
    locked.save()
    record(actor=actor, action=f"{_label(type(instance))}.update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def model_delete(*, instance: models.Model, actor: Any) -> None:
    label = _label(type(instance))
    repr_, pk = str(instance), instance.pk
    try:
        with transaction.atomic():
            instance.delete()
    except models.ProtectedError as exc:
        raise ValidationError(f"“{repr_}”仍被其他记录引用（{len(exc.protected_objects)} 条），不能删除。") from exc
    record(
        actor=actor,
        action=f"{label}.delete",
        object_type=type(instance)._meta.label_lower,
        object_id=str(pk),
        object_repr=repr_,
    )
