from django.db import migrations, models


def mark_disabled_as_former(apps, schema_editor):
    """The disabled accounts whose last change of `is_active` was 停用离任代表账号 (the audit trail says which): the
    ones 重新启用恢复代表资格的账号 read from the audit trail until now."""
    User = apps.get_model("accounts", "User")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditItem = apps.get_model("audit", "AuditItem")
    batch = {}  # user id → when the batch disabled it last
    for object_id, at in AuditItem.objects.filter(
        event__action="user.disable_former_deputies", object_type="accounts.user"
    ).values_list("object_id", "event__at"):
        batch[object_id] = max(at, batch.get(object_id, at))
    if not batch:
        return
    later = set()
    by_hand = AuditEvent.objects.filter(
        action="user.update", object_type="accounts.user", object_id__in=list(batch), success=True
    )
    for object_id, at, changes in by_hand.values_list("object_id", "at", "changes"):
        if at > batch[object_id] and "is_active" in (changes or {}):
            later.add(object_id)
    for object_id, at in AuditItem.objects.filter(
        event__action="user.enable_seated_deputies", object_type="accounts.user", object_id__in=list(batch)
    ).values_list("object_id", "event__at"):
        if at > batch[object_id]:
            later.add(object_id)
    ids = [int(pk) for pk in batch if pk not in later and pk.isdigit()]
    User.objects.filter(pk__in=ids, is_active=False).update(disabled_as_former=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_role_and_one_time_indexes"),
        ("audit", "0005_batch_items"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="disabled_as_former",
            field=models.BooleanField(default=False, verbose_name="因代表离任停用"),
        ),
        migrations.RunPython(mark_disabled_as_former, migrations.RunPython.noop),
    ]
