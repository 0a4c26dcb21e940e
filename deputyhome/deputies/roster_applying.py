"""Applying a checked roster (plans → rows) in bulk: a fixed number of queries whatever the file's length.

The row-by-row services (`deputy_create`, `mandate_create`, `membership_create`, ...) cost some forty
queries and one audit row each, and every audit row updates the one chain head: a province's 20,000 rows
took hours. Here the plans, which `roster_checking` built from the same look-ups, are written with
`bulk_create` / `bulk_update` (in batches of `BATCH`), and the audit trail gets one `roster.import` row
with one item per deputy changed (`audit.services.record_batch`), in the same transaction, still chained.

What the services would have checked again per row is settled by the check: ID numbers are unique in the
file and new to the database, the group and the congresses exist and are in scope, no mandate exists in
the congress a new one is added to, and no membership lies ahead of today. The deputies named by the file
are locked (`select_for_update`) before anything is written.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from deputyhome.audit.services import BatchItem, diff, record_batch
from deputyhome.core.services import masked_changes

from .choices import GroupRole
from .models import Deputy, GroupMembership, Mandate
from .roster_checking import Issue, RosterResult, RowPlan
from .roster_columns import PARTICULARS
from .roster_lookups import chunks
from .services.phone_changes import phone_changes_record

BATCH = 1000
DEPUTY_FIELDS = [*PARTICULARS, "region", "updated_at"]


class ApplyFailed(Exception):
    def __init__(self, issue: Issue):
        super().__init__(str(issue))
        self.issue = issue


def _mandate_text(congress, constituency: str) -> str:
    return f"{congress.name}（{constituency}）" if constituency else congress.name


def apply_plans(result: RosterResult, *, actor: Any) -> None:
    """Write every plan of a checked roster and its audit rows; call inside the import's transaction."""
    now = timezone.now()
    today = timezone.localdate(now)
    plans = [p for p in result.rows if p.action != "unchanged"]
    creates = [p for p in plans if p.deputy is None]
    updates = [p for p in plans if p.deputy is not None]
    changes: dict[int, dict[str, Any]] = {}  # row → the deputy's audit item

    for pks in chunks(sorted(p.deputy.pk for p in updates), BATCH):
        list(Deputy.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk", flat=True))

    new_deputies = []
    for plan in creates:
        deputy = Deputy(**plan.deputy_data)
        _clean(deputy, plan)
        new_deputies.append(deputy)
        changes[plan.row] = masked_changes(Deputy, {k: [None, v] for k, v in plan.deputy_data.items()})
    Deputy.objects.bulk_create(new_deputies, batch_size=BATCH)
    for plan, deputy in zip(creates, new_deputies, strict=True):
        plan.deputy = deputy

    changed, phones = [], []
    for plan in updates:
        deputy = plan.deputy
        data = dict(plan.deputy_data)
        found = diff(deputy, data)
        if "phone" in found:
            phones.append((deputy, *found["phone"]))
        changes[plan.row] = masked_changes(Deputy, found)
        if plan.join_group and plan.township is not None and deputy.region_id != plan.township.pk:
            # The deputy's region follows their group's township (ids: the old region is not loaded).
            changes[plan.row]["region_id"] = [deputy.region_id, plan.township.pk]
            data["region"] = plan.township
        if data:
            for key, value in data.items():
                setattr(deputy, key, value)
            deputy.updated_at = now
            _clean(deputy, plan)
            changed.append(deputy)
    Deputy.objects.bulk_update(changed, DEPUTY_FIELDS, batch_size=BATCH)
    phone_changes_record(phones, actor=actor)

    mandates, fixed = [], []
    for plan in plans:
        for congress, constituency in plan.new_mandates:
            mandates.append(
                Mandate(
                    deputy=plan.deputy,
                    congress=congress,
                    constituency=constituency,
                    start_date=congress.start_date or today,
                )
            )
            changes[plan.row].setdefault("mandates", [None, []])[1].append(_mandate_text(congress, constituency))
        for mandate, constituency in plan.fixed_mandates:
            changes[plan.row][f"constituency:{mandate.congress.name}"] = [mandate.constituency, constituency]
            mandate.constituency, mandate.updated_at = constituency, now
            fixed.append(mandate)
    Mandate.objects.bulk_create(mandates, batch_size=BATCH)
    Mandate.objects.bulk_update(fixed, ["constituency", "updated_at"], batch_size=BATCH)

    _memberships([p for p in plans if p.join_group], changes, today, now)

    record_batch(
        actor=actor,
        action="roster.import",
        object_type="deputies.deputy",
        object_repr=result.filename[:255],
        items=[BatchItem(plan.deputy, changes[plan.row]) for plan in plans],
        changes={
            "rows": len(result.rows),
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
        detail=f"名册导入：新增{result.created}人，更新{result.updated}人，无变化{result.unchanged}人",
    )


def _clean(deputy: Deputy, plan: RowPlan) -> None:
    """The model's own field checks (lengths, choices, validators), without a query per row: uniqueness was
    checked against the whole file and the database, and the region comes from the look-ups."""
    try:
        deputy.full_clean(exclude=["region"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ApplyFailed(Issue(plan.row, "", f"{plan.name}：{'；'.join(exc.messages)}")) from exc


def _memberships(plans: list[RowPlan], changes: dict[int, dict[str, Any]], today: datetime.date, now) -> None:
    """A new group: the current membership ends yesterday (or, begun today, is corrected) and one starts today."""
    ended, corrected, joined = [], [], []
    for plan in plans:
        old = plan.move_from
        changes[plan.row]["group"] = [old.group.name if old else None, plan.group.name]
        if old is not None and old.start_date >= today:
            old.group, old.role, old.updated_at = plan.group, GroupRole.MEMBER, now
            corrected.append(old)
            continue
        if old is not None:
            old.end_date, old.updated_at = today - datetime.timedelta(days=1), now
            ended.append(old)
        joined.append(GroupMembership(deputy=plan.deputy, group=plan.group, role=GroupRole.MEMBER, start_date=today))
    GroupMembership.objects.bulk_update(ended, ["end_date", "updated_at"], batch_size=BATCH)
    GroupMembership.objects.bulk_update(corrected, ["group", "role", "updated_at"], batch_size=BATCH)
    GroupMembership.objects.bulk_create(joined, batch_size=BATCH)
