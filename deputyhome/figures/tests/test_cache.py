"""Figures computed ahead: served from the snapshot until an audited write on a source app, then recomputed."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from deputyhome.audit.models import AuditEvent
from deputyhome.audit.services import record
from deputyhome.figures import cache
from deputyhome.figures.models import FigureSnapshot
from deputyhome.figures.services import snapshots_prune
from deputyhome.organisation import services as org_services
from deputyhome.organisation.models import Region

CALLS: list[str] = []


@cache.precomputed("test.regions", depends=("organisation",), warm=lambda: ["warm"])
def region_count(key: str) -> dict:
    CALLS.append(key)
    return {"regions": Region.objects.count(), "key": key, "when": timezone.now()}


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()


def _add_region(code: str) -> Region:
    return org_services.region_create(data={"code": code, "name": f"测试{code}", "kind": "province"}, actor=None)


@pytest.mark.django_db
def test_served_from_the_snapshot_until_a_source_changes(django_assert_max_num_queries):
    first = cache.get("test.regions", "all")
    assert first.computed_now and CALLS == ["all"]
    with django_assert_max_num_queries(2):  # the snapshot and the "changed since?" check
        again = cache.get("test.regions", "all")
    assert not again.computed_now and again.value == first.value and CALLS == ["all"]
    # The same value whether computed or read back (through JSON both ways).
    assert isinstance(first.value["when"], str)

    _add_region("91")  # an audited write on organisation
    changed = cache.get("test.regions", "all")
    assert changed.computed_now and changed.value["regions"] == first.value["regions"] + 1


@pytest.mark.django_db
def test_other_apps_failures_and_other_keys_leave_it_alone():
    cache.get("test.regions", "all")
    record(actor=None, action="suggestion.test", object_type="suggestions.suggestion", object_id="1")
    record(actor=None, action="region.refused", object_type="organisation.region", object_id="1", success=False)
    # A read recorded on a source app's object (personal data shown, an edit form opened) changes nothing.
    record(actor=None, action="personal_data.reveal", object_type="organisation.region", object_id="1")
    assert not cache.get("test.regions", "all").computed_now
    assert cache.get("test.regions", "other").computed_now
    assert CALLS == ["all", "other"]


@pytest.mark.django_db
def test_a_changed_snapshot_is_served_within_the_grace(settings):
    settings.FIGURES_GRACE_SECONDS = 120
    cache.get("test.regions", "all")
    _add_region("92")
    assert not cache.get("test.regions", "all").computed_now
    FigureSnapshot.objects.update(computed_at=timezone.now() - timedelta(seconds=121))
    assert cache.get("test.regions", "all").computed_now


@pytest.mark.django_db
def test_refresh_recomputes_what_changed_and_warms_named_keys(capsys):
    cache.get("test.regions", "all")
    cache.get("test.regions", "other")
    _add_region("93")
    CALLS.clear()
    call_command("refresh_figures")
    assert sorted(CALLS) == ["all", "other", "warm"]
    out = capsys.readouterr().out
    assert "test.regions [all]" in out and "test.regions [warm]" in out and "重新计算" in out
    CALLS.clear()
    call_command("refresh_figures")  # nothing changed since
    assert CALLS == []
    assert FigureSnapshot.objects.get(name="test.regions", key="all").value["regions"] == Region.objects.count()


SCOPED_CALLS: list[str] = []


@cache.precomputed("test.scoped", depends=("organisation",), warm=lambda: ["warm"], refresh_stored=False)
def scoped_count(key: str) -> dict:
    SCOPED_CALLS.append(key)
    return {"regions": Region.objects.count()}


@pytest.mark.django_db
def test_a_figure_stored_per_scope_is_refreshed_only_for_the_keys_it_keeps_warm():
    cache.get("test.scoped", "a township")
    cache.get("test.scoped", "warm")
    _add_region("94")
    SCOPED_CALLS.clear()
    call_command("refresh_figures")
    assert SCOPED_CALLS == ["warm"]
    # The stale one is computed again when next read.
    again = cache.get("test.scoped", "a township")
    assert again.computed_now and again.value["regions"] == Region.objects.count()


@pytest.mark.django_db
def test_a_reader_may_ask_for_no_grace(settings):
    settings.FIGURES_GRACE_SECONDS = 120
    cache.get("test.regions", "all")
    _add_region("95")
    assert not cache.get("test.regions", "all").computed_now  # within the grace
    assert cache.get("test.regions", "all", grace=0).computed_now


@pytest.mark.django_db
def test_a_snapshot_of_another_shape_is_never_served(settings):
    """A figure whose value changed shape is registered with a new version: the snapshots stored before are computed
    again on their next read, even within the grace, and by the scheduled refresh."""
    settings.FIGURES_GRACE_SECONDS = 120
    cache.get("test.regions", "all")
    cache.get("test.regions", "other")
    old = cache.REGISTRY["test.regions"]

    @cache.precomputed("test.regions", depends=("organisation",), warm=lambda: ["warm"], version=2)
    def region_count_v2(key: str) -> dict:
        CALLS.append(f"v2 {key}")
        return {"count": Region.objects.count()}

    try:
        CALLS.clear()
        again = cache.get("test.regions", "all")
        assert again.computed_now and again.value == {"count": Region.objects.count()}
        assert FigureSnapshot.objects.get(name="test.regions", key="all").version == 2
        assert not cache.get("test.regions", "all").computed_now  # the new shape is stored and served
        call_command("refresh_figures")
        assert "v2 other" in CALLS and CALLS.count("v2 all") == 1
    finally:
        cache.REGISTRY["test.regions"] = old


@pytest.mark.django_db
def test_prune_removes_long_unused_snapshots_but_not_the_warm_ones_or_recent_ones():
    """A province has thousands of scopes and roles change: a snapshot of a key nobody kept warm, computed more than
    90 days ago, goes (one audit event says how many); the warm key, a recent one and a reader's next visit stay."""
    for key in ("warm", "old", "recent"):
        cache.get("test.regions", key)
    FigureSnapshot.objects.create(name="test.gone", key="x", value={}, computed_at=timezone.now())
    long_ago = timezone.now() - timedelta(days=91)
    FigureSnapshot.objects.filter(key__in=["warm", "old"]).update(computed_at=long_ago)
    assert snapshots_prune() == 2  # "old", and the snapshot of a figure no longer registered
    assert set(FigureSnapshot.objects.values_list("key", flat=True)) == {"warm", "recent"}
    event = AuditEvent.objects.get(action="figures.prune")
    assert event.changes["deleted"] == 2 and event.changes["figures"] == ["test.gone", "test.regions"]
    assert snapshots_prune() == 0 and AuditEvent.objects.filter(action="figures.prune").count() == 1
    CALLS.clear()
    assert cache.get("test.regions", "old").computed_now and CALLS == ["old"]  # computed again when asked


@pytest.mark.django_db
def test_the_scheduled_command_prunes_unless_told_not_to():
    cache.get("test.regions", "old")
    FigureSnapshot.objects.filter(key="old").update(computed_at=timezone.now() - timedelta(days=91))
    out = StringIO()
    call_command("refresh_figures", "--no-warm", "--prune-days", "0", stdout=out)
    assert FigureSnapshot.objects.filter(key="old").exists()
    call_command("refresh_figures", "--no-warm", stdout=out)
    assert not FigureSnapshot.objects.filter(key="old").exists()
    assert "删除 1 项久未使用的统计" in out.getvalue()
