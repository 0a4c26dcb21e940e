"""A group that moves to a station in another township takes its current members with it.

organisation sends `group_moved` from `group_update`; the deputies app, above it, does the resync.
"""

import pytest

from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.models import Deputy
from deputyhome.organisation import services

pytestmark = pytest.mark.django_db


def _regions(deputies) -> set[int]:
    return set(Deputy.objects.filter(pk__in=[d.pk for d in deputies]).values_list("region_id", flat=True))


def test_members_follow_their_group_to_the_new_township(city, personas):
    members = [d for d in city.deputies_a if d.memberships.filter(group=city.group_a).exists()]
    assert members and _regions(members) == {city.township_a.pk}
    services.group_update(group=city.group_a, data={"station": city.station_b}, actor=personas["city"])
    assert _regions(members) == {city.township_b.pk}
    assert AuditEvent.objects.filter(action="deputygroup.update", object_id=str(city.group_a.pk)).exists()


def test_a_group_that_stays_put_moves_nobody(city, personas):
    members = [d for d in city.deputies_a if d.memberships.filter(group=city.group_a).exists()]
    services.group_update(group=city.group_a, data={"name": "新名称"}, actor=personas["city"])
    assert _regions(members) == {city.township_a.pk}
