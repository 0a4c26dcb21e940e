"""The home page's tiles of the station norms. The group activities norm (代表小组每季度至少集中开展一次活动): the
groups of a township's officer, or a group's leader or liaison officer, that have not met yet in the running
quarter, red in its last fortnight; the city's officers read the list itself (a province's 6,000 groups are not
counted on each home page). The visits norm (每年至少进站一次): a deputy in a group who has not come to a home or a
station yet this year is told so (本年尚未进站, red in December), until they have."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from deputyhome.accounts.choices import Role
from deputyhome.core.todo import Tile

from .group_quarters import GroupQuarterQuery, group_quarters
from .visits import VisitQuery, yet_to_come

GROUP_KEEPERS = (Role.TOWNSHIP_OFFICER, Role.GROUP_LEADER, Role.LIAISON_OFFICER)
LAST_DAYS = 15  # the quarter's last days, when a group that has not met is shown in red


def tiles(user, today: datetime.date) -> list[Tile]:
    if user.role == Role.DEPUTY and user.deputy_id:
        absent = yet_to_come(user.deputy_id, VisitQuery(year=today.year, today=today))
        return [Tile("本年尚未进站", 1, reverse("records:my_record"), urgent=today.month == 12)] if absent else []
    if user.role not in GROUP_KEEPERS:
        return []
    query = GroupQuarterQuery(year=today.year, today=today, running=True)
    quiet = group_quarters(query, user=user).quiet
    label = "本组本季度尚未开展活动" if user.role != Role.TOWNSHIP_OFFICER else "本季度尚未开展活动的代表小组"
    url = f"{reverse('records:group_quarters')}?{urlencode({'year': today.year, 'running': 'on'})}"
    ends = query.periods[query.current].end if query.current is not None else today
    return [Tile(label, quiet, url, urgent=(ends - today).days < LAST_DAYS)]
