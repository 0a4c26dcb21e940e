"""Scoped reads of voter contact. Views and other apps get their querysets here and nowhere else.

Who sees which opinions:
- city scope (city officers, supervisors, leaders): all;
- a township officer: those of their township (stored on the opinion as `region`);
- a group leader or liaison officer: those left at their group's station or addressed to a
  deputy of their group;
- a deputy: those addressed to them and those left at the stations of their current groups;
- handling-unit clerks and administrators: none (a unit sees its referrals in activities).

The filters themselves are `accounts.scopes.opinions_q`, `at_stations_q` and `about_deputies_q`.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum, prefetch_related_objects

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.activities.choices import ProblemStatus
from deputyhome.core.counting import count_by
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate, active_on
from deputyhome.deputies.selectors import current_posts
from deputyhome.organisation.models import Region, Station

from .choices import OpinionStatus
from .models import ModelStory, Opinion, Pairing, PairingContact, Reception, ReceptionSlot

if TYPE_CHECKING:
    from deputyhome.accounts.models import User

# Who may do what ------------------------------------------------------------------------------------------

TRIAGE_ROLES = frozenset(
    {Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER, Role.GROUP_LEADER, Role.LIAISON_OFFICER, Role.DEPUTY}
)
STATION_EDITOR_ROLES = frozenset({Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER, Role.GROUP_LEADER, Role.LIAISON_OFFICER})


def may_see_opinions(user: Any) -> bool:
    return user.is_authenticated and user.scope_kind in (
        ScopeKind.CITY,
        ScopeKind.REGION,
        ScopeKind.GROUP,
        ScopeKind.SELF,
    )


def may_triage(user: Any) -> bool:
    """Reply, forward, merge, turn into a problem or suggestion; supervisors and leaders only read."""
    return user.is_authenticated and user.role in TRIAGE_ROLES


def may_edit_station_records(user: Any) -> bool:
    """Keep reception schedules and records: officers, and group leaders and liaison officers for their station."""
    return user.is_authenticated and user.role in STATION_EDITOR_ROLES


def may_edit_pairings(user: Any) -> bool:
    """Officers, group leaders and liaison officers for their deputies; a deputy for themself."""
    return user.is_authenticated and user.role in TRIAGE_ROLES


def may_edit_stories(user: Any) -> bool:
    """Stories are publicity: officers write and publish them."""
    return user.is_authenticated and user.can_edit


def sees_contact(user: Any, opinion: Opinion) -> bool:
    """The citizen's phone in full: officers who keep the records, and the deputy it was addressed to."""
    return user.sees_personal_data or (bool(user.deputy_id) and user.deputy_id == opinion.deputy_id)


# Scope filters (the rules themselves are in accounts.scopes) ---------------------------------------------


def _station_scoped(user: Any) -> Q:
    """Reception schedules and records: those of the stations the user may see."""
    if not may_see_opinions(user):
        return scopes.NOTHING
    return scopes.at_stations_q(user)


def _deputy_scoped(user: Any) -> Q:
    """Pairings and stories: those of the deputies the user may see."""
    if not may_see_opinions(user):
        return scopes.NOTHING
    return scopes.about_deputies_q(user)


# Opinions -------------------------------------------------------------------------------------------------


def new_opinion_handlers(*, opinion: Opinion) -> list[User]:
    """Who is told of a new opinion from a public page: those who handle it where it was left.

    - the township officers of its township;
    - the group leaders and liaison officers of the groups based at its station, and of the
      current groups of the deputy it was addressed to;
    - the deputy it was addressed to, if they have an account.
    Each only if their account is active, their role may triage opinions and the opinion is in
    their scope (`accounts.scopes.opinions_q`), so nobody is sent a link they cannot open.
    City officers see every opinion in the city and are not told of each; they are told when
    nobody above is, so that no opinion waits unseen. Supervisors and leaders only read.
    """
    from deputyhome.accounts.models import User

    cond = scopes.NOTHING
    if opinion.region_id:
        code = opinion.region.code
        # The township officers whose anchor is the opinion's township or a region above it.
        anchors = [code[:n] for n in (6, 9, 12) if n <= len(code)]
        cond |= Q(role=Role.TOWNSHIP_OFFICER, region__code__in=anchors)
    groups = scopes.NOTHING
    if opinion.station_id:
        groups |= Q(group__station_id=opinion.station_id)
    if opinion.deputy_id:
        current = GroupMembership.objects.filter(active_on(scopes.today()), deputy_id=opinion.deputy_id)
        groups |= Q(group_id__in=current.values("group_id"))
        cond |= Q(deputy_id=opinion.deputy_id)
    cond |= Q(groups, role__in=(Role.GROUP_LEADER, Role.LIAISON_OFFICER))
    candidates = User.objects.filter(cond, is_active=True).select_related("region").order_by("pk")
    handlers = [
        u for u in candidates if may_triage(u) and Opinion.objects.filter(scopes.opinions_q(u), pk=opinion.pk).exists()
    ]
    if handlers:
        return handlers
    return list(User.objects.filter(role=Role.CITY_OFFICER, is_active=True).order_by("pk"))


def opinion_list(*, user: Any) -> QuerySet[Opinion]:
    if not may_see_opinions(user):
        return Opinion.objects.none()
    return Opinion.objects.filter(scopes.opinions_q(user)).select_related("station", "deputy", "region", "duplicate_of")


def opinion_detail_qs(*, user: Any) -> QuerySet[Opinion]:
    """Opinions in scope with what their page shows alongside them (station, deputy, region)."""
    return opinion_list(user=user).select_related(None).select_related("station", "deputy", "region")


def opinion_detail(*, user: Any, pk: Any) -> Opinion:
    """One opinion in scope (else `Opinion.DoesNotExist`) with the links its page shows. Only the links this opinion
    has are read (most lack a reception, a reply, a merge, a referral...): joined, the thirteen tables cost the
    database more to plan than to read, and even an empty prefetch builds its query (decision 84)."""
    opinion = opinion_detail_qs(user=user).get(pk=pk)
    present = [lookup for field, lookup in _DETAIL_LINKS if getattr(opinion, f"{field}_id", None)]
    if present:
        prefetch_related_objects([opinion], *present)
    return opinion


# (foreign key, what to read through it) for `opinion_detail`.
_DETAIL_LINKS = (
    ("reception", "reception"),
    ("replied_by", "replied_by"),
    ("recorded_by", "recorded_by"),
    ("suggestion", "suggestion"),
    ("duplicate_of", "duplicate_of"),
    ("referral", "referral__unit"),
    ("problem", "problem__referral__unit"),
)


def _activities_related() -> list[str]:
    fields = {f.name for f in Opinion._meta.get_fields()}
    out = []
    if "referral" in fields:
        out += ["referral__unit"]
    if "problem" in fields:
        out += ["problem__referral__unit"]
    return out


def merge_candidates(*, user: Any, opinion: Opinion) -> QuerySet[Opinion]:
    """Opinions this one may be merged into: in scope, not itself merged, not this one."""
    return (
        opinion_list(user=user)
        .exclude(pk=opinion.pk)
        .exclude(status=OpinionStatus.MERGED)
        .filter(Q(station_id=opinion.station_id) | Q(region_id=opinion.region_id))
        .order_by("-received_on", "-id")
    )


def merge_candidates_search(*, user: Any, opinion: Opinion, q: str = "", limit: int = 10) -> list[Opinion]:
    """The first `limit` merge candidates matching what was typed: part of the content or of the tracking code."""
    qs = merge_candidates(user=user, opinion=opinion)
    q = (q or "").strip()
    if q:
        code = re.sub(r"[\s\-－—_]", "", q).upper()
        match = Q(content__icontains=q)
        if code.isalnum() and code.isascii():
            match |= Q(tracking_code__startswith=code)
        qs = qs.filter(match)
    # What a candidate shows: its code, date and the start of its content.
    return list(qs.select_related(None).only("id", "tracking_code", "received_on", "content")[:limit])


def public_submitted(*, pk: Any) -> Opinion | None:
    """The opinion just filed from this browser (its pk is held in the session), for the result page."""
    if not isinstance(pk, int):
        return None
    return Opinion.objects.select_related("station", "deputy").filter(pk=pk).first()


def root_of(opinion: Opinion) -> Opinion:
    """The opinion this one was (transitively) merged into; itself when not merged."""
    seen = {opinion.pk}
    current = opinion
    while current.duplicate_of_id and current.duplicate_of_id not in seen:
        seen.add(current.duplicate_of_id)
        current = Opinion.objects.select_related(*_activities_related(), "suggestion").get(pk=current.duplicate_of_id)
    return current


def public_status(*, code: str) -> dict[str, Any] | None:
    """What the public status page may show for a tracking code: status and reply, nothing personal.

    None when the code matches nothing. A merged opinion shows the status and reply of the
    opinion it was merged into (never that one's content or code).
    """
    opinion = (
        Opinion.objects.select_related("station", "deputy", *_activities_related()).filter(tracking_code=code).first()
    )
    if opinion is None:
        return None
    root = root_of(opinion)
    status = root.status
    steps: list[str] = []
    reply, reply_on, reply_from = root.reply, root.replied_at, "代表和工作人员"
    unit_reply, unit_reply_on, unit_name = "", None, ""
    referral = getattr(root, "referral", None) if root.status == OpinionStatus.FORWARDED else None
    problem = getattr(root, "problem", None) if root.status == OpinionStatus.PROBLEM else None
    problem_label = "已列入代表履职发现问题，跟踪办理"
    if problem is not None:
        if problem.status == ProblemStatus.CLOSED:
            problem_label = "代表已协调解决"
        elif problem.status == ProblemStatus.SUGGESTION:
            problem_label = "已由代表形成建议，进入代表建议办理程序"
        elif problem.status == ProblemStatus.FORWARDED and problem.referral_id:
            referral = problem.referral
            problem_label = ""
    if referral is not None:
        unit_name = referral.unit.name
        if referral.reply:
            unit_reply, unit_reply_on = referral.reply, referral.replied_on
    if opinion.pk != root.pk:
        steps.append("您反映的问题与其他群众反映的同类问题已合并处理，以下为合并后的办理情况。")
    label = {
        OpinionStatus.NEW: "已收到，正在处理",
        OpinionStatus.REPLIED: "已答复",
        OpinionStatus.FORWARDED: f"已转交{unit_name or '承办单位'}办理" + ("，单位已答复" if unit_reply else ""),
        OpinionStatus.PROBLEM: problem_label
        or f"已转交{unit_name or '承办单位'}办理" + ("，单位已答复" if unit_reply else ""),
        OpinionStatus.SUGGESTION: "已由代表形成建议，进入代表建议办理程序",
        OpinionStatus.MERGED: "已合并处理",
    }.get(status, "")
    return {
        "code": opinion.code_display,
        "received_on": opinion.received_on,
        "addressee": opinion.addressee,
        "status": status,
        "status_label": label,
        "merged": opinion.pk != root.pk,
        "notes": steps,
        "reply": reply,
        "reply_on": reply_on,
        "reply_from": reply_from,
        "unit_name": unit_name,
        "unit_reply": unit_reply,
        "unit_reply_on": unit_reply_on,
    }


# Receptions ------------------------------------------------------------------------------------------------


def slot_list(*, user: Any) -> QuerySet[ReceptionSlot]:
    return (
        ReceptionSlot.objects.filter(_station_scoped(user))
        .select_related("station")
        .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.only("id", "name")))
    )


def reception_list(*, user: Any) -> QuerySet[Reception]:
    """Receptions in scope (each with its stored `opinion_count`)."""
    return (
        Reception.objects.filter(_station_scoped(user))
        .select_related("station", "recorded_by")
        .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.only("id", "name")))
    )


def qr_stations(*, user: Any) -> QuerySet[Station]:
    """The stations whose QR codes the user may print, by township, with the regions their township is read from."""
    return (
        Station.objects.filter(scopes.stations_q(user))
        .select_related("region__parent")
        .order_by("region__code", "kind", "name", "pk")
    )


def slot_choices(*, user: Any) -> QuerySet[ReceptionSlot]:
    """The schedules a reception may follow (kind "slot", searched by the station past 100)."""
    return (
        ReceptionSlot.objects.filter(_station_scoped(user))
        .select_related("station")
        .order_by("station__name", "date", "weekday", "start_time", "pk")
    )


def reception_choices(*, user: Any) -> QuerySet[Reception]:
    """The receptions an opinion may be recorded at (kind "reception", searched by station or date past 100)."""
    return Reception.objects.filter(_station_scoped(user)).select_related("station").order_by("-date", "-pk")


def reception_label(reception: Reception) -> str:
    return f"{reception.date:%Y-%m-%d} {reception.station.name}"


def public_slots(*, station: Station, today: datetime.date) -> list[ReceptionSlot]:
    """A station's schedule for its public page: weekly slots and one-off receptions from today on."""
    slots = (
        ReceptionSlot.objects.filter(station=station, is_active=True)
        .filter(Q(date__isnull=True) | Q(date__gte=today))
        .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.only("id", "name")))
    )
    # Weekly slots first, then one-off receptions by date (NULLs sort differently per database).
    return sorted(slots, key=lambda s: (s.date is not None, s.date or today, s.weekday or 0, s.start_time))


def station_deputies(*, station: Station, today: datetime.date) -> QuerySet[Deputy]:
    """Deputies of the groups based at a station, today: names only, for its public page."""
    ids = GroupMembership.objects.filter(active_on(today), group__station=station).values("deputy_id")
    return Deputy.objects.filter(pk__in=ids).only("id", "name").order_by("name")


def deputy_public(*, pk: int, today: datetime.date) -> Deputy | None:
    """A deputy in office today, with what a public page may show: levels, group, station."""
    return (
        Deputy.objects.filter(pk=pk)
        .filter(pk__in=Mandate.objects.filter(active_on(today)).values("deputy_id"))
        .only("id", "name", "region__name")
        .select_related("region")
        .prefetch_related(*current_posts(today, station_related="group__station__region"))
        .first()
    )


def public_station(*, pk: int) -> Station | None:
    return Station.objects.select_related("region__parent").filter(pk=pk).first()


# Pairings and stories -------------------------------------------------------------------------------------


def pairing_list(*, user: Any) -> QuerySet[Pairing]:
    return Pairing.objects.filter(_deputy_scoped(user)).select_related("deputy", "village")


def contacts_of(*, pairing: Pairing) -> QuerySet[PairingContact]:
    return pairing.contacts.select_related("recorded_by")


def story_list(*, user: Any) -> QuerySet[ModelStory]:
    return ModelStory.objects.filter(_deputy_scoped(user)).select_related("deputy")


def published_stories() -> QuerySet[ModelStory]:
    return ModelStory.objects.filter(is_published=True).select_related("deputy").order_by("-published_at", "-id")


# Statistics -------------------------------------------------------------------------------------------------


def _year_opinions(user: Any, year: int) -> QuerySet[Opinion]:
    return opinion_list(user=user).filter(received_on__year=year)


def opinions_count(*, user: Any, year: int) -> int:
    """Voter opinions received in `year` in the user's scope (merged duplicates count: each was received)."""
    return _year_opinions(user, year).count()


def pairing_in_force_q(on: Any, prefix: str = "") -> Q:
    """The pairings in force on `on` (begun on or before it and not ended before it); `prefix` reaches them through
    a relation ("pairings__")."""
    ended = Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    return ended & Q(**{f"{prefix}since__lte": on})


def reception_stats(*, user: Any, year: int) -> dict[str, Any]:
    """Receptions held, voters received and opinions by status in `year`, in the user's scope; and the households
    paired with the scope's deputies at the year's end (结对联系群众: households and people) and their contacts logged
    in the year.

    Four queries, whatever the size of the scope.
    """
    receptions = Reception.objects.filter(_station_scoped(user), date__year=year).aggregate(
        receptions=Count("id"), voters=Sum("voters_received")
    )
    by_status = {s.value: 0 for s in OpinionStatus}
    by_status.update(count_by(_year_opinions(user, year), "status"))
    end = datetime.date(year, 12, 31)
    paired = Pairing.objects.filter(_deputy_scoped(user))
    households = paired.filter(pairing_in_force_q(end)).aggregate(n=Count("id"), people=Sum("members"))
    contacts = PairingContact.objects.filter(pairing__in=paired.values("pk"), date__year=year).count()
    return {
        "year": year,
        "receptions": receptions["receptions"] or 0,
        "voters_received": receptions["voters"] or 0,
        "opinions": sum(by_status.values()),
        "opinions_by_status": by_status,
        "households_paired": households["n"] or 0,
        "household_members": households["people"] or 0,
        "household_contacts": contacts,
    }


def reception_counts_by_station(*, user: Any, year: int) -> dict[int, dict[str, int]]:
    """Per station: receptions, voters received, opinions in `year` (for the activities statistics)."""
    out: dict[int, dict[str, int]] = {}
    rows = (
        Reception.objects.filter(_station_scoped(user), date__year=year)
        .order_by()
        .values("station_id")
        .annotate(n=Count("id"), voters=Sum("voters_received"))
    )
    for row in rows:
        out.setdefault(row["station_id"], {"receptions": 0, "voters_received": 0, "opinions": 0})
        out[row["station_id"]].update(receptions=row["n"], voters_received=row["voters"] or 0)
    for station_id, n in count_by(_year_opinions(user, year).exclude(station=None), "station_id").items():
        out.setdefault(station_id, {"receptions": 0, "voters_received": 0, "opinions": 0})
        out[station_id]["opinions"] = n
    return out


def village_choices(*, user: User) -> QuerySet[Region]:
    """Villages and communities the user works in (`accounts.scopes.villages_q`), for a pairing's village."""
    station_codes = Station.objects.filter(scopes.stations_q(user)).values_list("region__code", flat=True)
    return Region.objects.filter(scopes.villages_q(user, station_codes)).select_related("parent").order_by("code")
