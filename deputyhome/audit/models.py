"""The audit trail: one append-only row per write, login or refusal."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnly(models.Model):
    """A row that is written once: saving it again or deleting it raises (the database triggers refuse it too)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("审计记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录不可删除")


class AuditEvent(AppendOnly):
    """An append-only record of who did what to which object, when, from where, and whether it worked.

    Rows are written only by `deputyhome.audit.services.record`, inside the caller's
    transaction; the model refuses updates and deletes.
    """

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    changes = models.JSONField("变更字段", default=dict, blank=True)
    success = models.BooleanField("成功", default=True)
    client_address = models.GenericIPAddressField("客户端地址", null=True, blank=True)
    detail = models.TextField("说明", blank=True)
    seq = models.PositiveBigIntegerField("序号", unique=True, null=True, editable=False)
    prev_hash = models.CharField("前一条摘要", max_length=64, blank=True, editable=False)
    hash = models.CharField("摘要", max_length=64, blank=True, editable=False)
    # Which of AUDIT_KEYS signed the digest; "" for rows from before the keyed chain (see audit/chain.py).
    key_id = models.CharField("签名密钥", max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "审计事件"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"


class AuditChainHead(models.Model):
    """The end of the hash chain: the last sequence number and digest.

    Writers lock this single row while appending, so the chain has no forks; the lock lasts
    until the writing transaction commits.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash[:12]}"


class AuditItem(AppendOnly):
    """One object's change within a batch event (a roster import writes one event and an item per deputy).

    Written only by `deputyhome.audit.services.record_batch`, in the event's transaction. The event's
    `changes` carry the number of items and their SHA-256 (`items_sha256`), so the event's keyed digest
    covers every item: an item edited, added or removed shows in `verify_chain`. Like the events, the rows
    are append-only (database triggers).
    """

    # No database constraint: the purge deletes events with a raw delete, their items first.
    event = models.ForeignKey(
        AuditEvent, verbose_name="审计事件", on_delete=models.DO_NOTHING, related_name="items", db_constraint=False
    )
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    changes = models.JSONField("变更字段", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计事件明细"
        ordering = ["event", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_item_object")]

    def __str__(self) -> str:
        return f"{self.object_type} #{self.object_id} {self.object_repr}"
