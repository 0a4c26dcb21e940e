"""The home page's tiles of the station norms. The group activities norm (代表小组每季度至少集中开展一次活动): the
groups of a township's officer, or a group's leader or liaison officer, that have not met yet in the running
quarter, red in its last fortnight; the city's officers read the list itself (a province's 6,000 groups are not
counted on each home page). The visits norm (每年至少进站一次): a deputy in a group who has not come to a home or a
station yet this year is told so (本年尚未进站, red in December), until they have; and one paired with fewer households
than the norm (每名代表经常联系10户以上群众) is told how many they lack (结对联系户距10户还差), until they have enough.
Those who keep the groups (a township's officer, a group's leader and liaison officer) also see how many of their
deputies have not come yet this year and how many are short of households, linked to the two lists narrowed to
them (red in December). A keeper's three counts are computed ahead for their scope and day (`keeper_norms`)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.urls import reverse

from deputyhome.accounts import scopes
from deputyhome.accounts.choices import Role
from deputyhome.core.todo import Tile
from deputyhome.deputies.models import Deputy
from deputyhome.figures import cache

from .deputy_norms import DeputyQuery, expected, in_group
from .group_quarters import GroupQuarterQuery, group_quarters
from .households import least, paired_count
from .visits import came_exists

GROUP_KEEPERS = (Role.TOWNSHIP_OFFICER, Role.GROUP_LEADER, Role.LIAISON_OFFICER)
LAST_DAYS = 15  # the quarter's last days, when a group that has not met is shown in red


def tiles(user, today: datetime.date) -> list[Tile]:
    if user.role == Role.DEPUTY and user.deputy_id:
        return _deputy_tiles(user.deputy_id, today)
    if user.role not in GROUP_KEEPERS:
        return []
    counts = cache.get(KEEPER_NORMS, f"{scopes.scope_key(user)}:{today.isoformat()}:{least()}").value
    ours = "本组" if user.role != Role.TOWNSHIP_OFFICER else ""
    quarter = GroupQuarterQuery(year=today.year, today=today)
    ends = quarter.periods[quarter.current].end if quarter.current is not None else today
    groups = f"{reverse('records:group_quarters')}?{urlencode({'year': today.year, 'running': 'on'})}"
    listed = {"year": today.year, "missing": "on"}
    visits = f"{reverse('records:visits')}?{urlencode(listed)}"
    households = f"{reverse('records:households')}?{urlencode(listed)}"
    december, quiet = today.month == 12, "本组本季度尚未开展活动" if ours else "本季度尚未开展活动的代表小组"
    return [
        Tile(quiet, counts["quiet"], groups, urgent=(ends - today).days < LAST_DAYS),
        Tile(f"{ours}本年尚未进站的代表", counts["away"], visits, urgent=december),
        Tile(f"{ours}结对联系不足{least()}户的代表", counts["short"], households, urgent=december),
    ]


KEEPER_NORMS = "records.keeper_norms"


@cache.precomputed(
    KEEPER_NORMS, depends=("deputies", "organisation", "activities", "opinions"), daily=True, refresh_stored=False
)
def keeper_norms(key: str) -> dict[str, int]:
    """A keeper's three counts (`key`: their scope, the day, the households' threshold): their groups not met yet in
    the running quarter (`group_quarters`, counted for the scope), and their deputies in a group who have not come
    yet this year or are paired with too few households (one query, a line a deputy: a township's few hundred, each
    read along the indexes). Computed ahead per scope and day: building these queries took longer than reading their
    answers (about 6 ms of the ORM for 3 of SQL at a province); served for `FIGURES_GRACE_SECONDS` after a change, as
    the city's figures, so a count may lag a minute behind the lists, which count live."""
    scope, day, threshold = key.rsplit(":", 2)
    user, today = scopes.scope_user(scope), datetime.date.fromisoformat(day)
    quiet = group_quarters(GroupQuarterQuery(year=today.year, today=today, running=True), user=user).quiet
    query = DeputyQuery(year=today.year, today=today)
    standing = _standing(expected(query, user=user), query)
    away = sum(1 for came, _ in standing if not came)
    return {"quiet": quiet, "away": away, "short": sum(1 for _, n in standing if n < int(threshold))}


def _deputy_tiles(deputy_id: int, today: datetime.date) -> list[Tile]:
    """A deputy's own norms, in one query: whether they came this year and how many households they are paired
    with; nothing for a deputy in no group (not held to them)."""
    query = DeputyQuery(year=today.year, today=today)
    standing = _standing(Deputy.objects.filter(in_group(query.on), pk=deputy_id), query)
    if not standing:
        return []
    came, paired = standing[0]
    out = []
    if not came:
        out.append(Tile("本年尚未进站", 1, reverse("records:my_record"), urgent=today.month == 12))
    if paired < least():
        out.append(Tile(f"结对联系户距{least()}户还差", least() - paired, reverse("opinions:pairing_list")))
    return out


def _standing(deputies: QuerySet[Deputy], query: DeputyQuery) -> list[tuple[bool, int]]:
    """(whether they came this year, the households paired with them) of each of `deputies`, in one query: two
    correlated `EXISTS` and a count, read along the indexes."""
    came = ExpressionWrapper(came_exists(query.period), output_field=BooleanField())
    rows = deputies.annotate(came=came, paired=paired_count(query.on)).values_list("came", "paired")
    return list(rows.order_by())
