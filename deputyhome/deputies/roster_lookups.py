"""What checking a roster looks up in the database, fetched in a handful of queries before the row loop.

Deputies are found by their full ID number (an equality look-up on the encrypted column) or, for a
row of our own ledger, by its 系统编号 (the row id): a masked ledger carries no usable ID number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.utils import timezone

from deputyhome.organisation.choices import CONGRESS_KINDS, CongressLevel
from deputyhome.organisation.models import Congress, DeputyGroup, Region
from deputyhome.organisation.selectors import group_list

from .models import Deputy, GroupMembership, Mandate
from .roster_columns import LEVEL_LABEL, clean_key
from .selectors import deputy_list

T = TypeVar("T")


class Lookups:
    """Everything the row loop needs: regions, groups, current congresses, and the deputies the file names."""

    def __init__(self, actor, id_numbers: Sequence[str], row_ids: Sequence[int] = ()):
        self.today = timezone.localdate()
        regions = {r.pk: r for r in Region.objects.only("id", "code", "name", "kind")}
        by_code = {r.code: r for r in regions.values()}
        self.township_of_region = {
            pk: by_code.get(r.code[:9]) if len(r.code) >= 9 else None for pk, r in regions.items()
        }
        self.groups: dict[str, DeputyGroup] = {}
        for group in DeputyGroup.objects.select_related("station"):
            self.groups[clean_key(group.name)] = group
        self.groups_in_scope = set(group_list(user=actor).values_list("pk", flat=True))
        self.congresses: dict[str, list[Congress]] = {}
        for congress in Congress.objects.filter(is_current=True).select_related("region"):
            self.congresses.setdefault(congress.level, []).append(congress)
        self.deputies: dict[str, Deputy] = {}  # by full ID number
        self.by_pk: dict[int, Deputy] = {}  # by 系统编号
        for chunk in chunks(sorted(set(id_numbers)), 500):
            for deputy in Deputy.objects.filter(id_number__in=chunk):
                self.deputies[deputy.id_number] = deputy
                self.by_pk[deputy.pk] = deputy
        for chunk in chunks(sorted(set(row_ids) - set(self.by_pk)), 500):
            self.by_pk.update({d.pk: d for d in Deputy.objects.filter(pk__in=chunk)})
        self.deputies_in_scope: set[int] = set()
        self.mandates: dict[int, list[Mandate]] = {}
        self.memberships: dict[int, list[GroupMembership]] = {}
        in_scope = deputy_list(user=actor).prefetch_related(None)
        for pks in chunks(sorted(self.by_pk), 500):
            self.deputies_in_scope.update(in_scope.filter(pk__in=pks).values_list("pk", flat=True))
            for mandate in Mandate.objects.filter(deputy_id__in=pks).select_related("congress"):
                self.mandates.setdefault(mandate.deputy_id, []).append(mandate)
            upcoming = GroupMembership.objects.filter(deputy_id__in=pks).exclude(end_date__lt=self.today)
            for membership in upcoming.select_related("group").order_by("start_date", "id"):
                self.memberships.setdefault(membership.deputy_id, []).append(membership)

    def township_of(self, group: DeputyGroup) -> Region | None:
        return self.township_of_region.get(group.station.region_id)

    def congress_for(self, level: str, township: Region | None) -> tuple[Congress | None, str]:
        label = LEVEL_LABEL[level]
        if level == CongressLevel.TOWNSHIP:
            if township is None:
                return None, "所在小组的站点不在任何乡镇，无法确定乡级人大"
            if township.kind not in CONGRESS_KINDS:
                return None, f"{township.name}不设乡级人民代表大会，不能有乡级代表"
            found = [c for c in self.congresses.get(level, []) if c.region_id == township.pk]
            if not found:
                return None, f"{township.name}没有登记本届乡级人民代表大会，请先在“人代会”中登记"
        else:
            code = township.code if township else ""
            found = [c for c in self.congresses.get(level, []) if c.region is None or code.startswith(c.region.code)]
            if not found:
                return None, f"没有登记本届{label}级人民代表大会，请先在“人代会”中登记"
        if len(found) > 1:
            return None, f"登记了多个本届{label}级人民代表大会（{'、'.join(c.name for c in found)}），请先更正"
        return found[0], ""


def chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
