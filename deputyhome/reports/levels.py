"""The home page's figures by level: the suggestion figures per congress level, and the homes, stations,
groups and deputies as a drill-down through the region tree (province → prefecture → county → township).

Both stay small whatever the size of the installation: the township congresses' table is one page of
`CONGRESS_PAGE` rows ordered and cut in SQL, and the area table shows the children of one region
(`AREA_PAGE` at most), built from the overview's per-township rows without another grouped query.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q
from django.urls import reverse

from deputyhome.accounts.choices import ScopeKind
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Region
from deputyhome.suggestions.choices import State
from deputyhome.supervision.selectors import sees_all_units
from deputyhome.supervision.stats import congress_scope, replied_here

CONGRESS_PAGE = 20
AREA_PAGE = 50
# Region codes nest: 2 digits a province, 4 a prefecture, 6 a county-level unit, 9 a township.
CODE_LENGTHS = (2, 4, 6, 9)
LEAF = 9
LEVEL_NAMES = {2: "省", 4: "州（市）", 6: "县（市、区）", 9: "乡镇（街道）"}
SORTS = ("region", "received")  # the township congresses' table: by region code (and name), or most received first
COUNTS = ("received", "assigned", "replied", "closed")


def _counts() -> dict[str, Count]:
    return {
        "received": Count("pk"),
        "assigned": Count("pk", filter=Q(assigned_on__isnull=False)),
        # One probe of the replies' index per counted suggestion: the semi-join on every accepted reply of the
        # province (`accepted_q`) hashed 40,000 replies to count a township's dozen.
        "replied": Count("pk", filter=replied_here()),
        "closed": Count("pk", filter=Q(state=State.CLOSED)),
    }


def _link(params: Mapping[str, Any], **changes: Any) -> str:
    """The home page's query string with `changes` (None removes a key), for the tables' links."""
    query = {k: v for k, v in params.items() if k in ("area", "apage", "csort", "cpage")}
    query.update(changes)
    return "?" + urlencode({k: v for k, v in query.items() if v not in (None, "")})


def _page_links(page: Page, params: Mapping[str, Any], key: str) -> dict[str, str]:
    links = {}
    if page.has_previous():
        links["previous"] = _link(params, **{key: page.previous_page_number()})
    if page.has_next():
        links["next"] = _link(params, **{key: page.next_page_number()})
    return links


def level_rows(*, user, year: int) -> dict[str, Any]:
    """The year's suggestion figures per level in the user's scope, and every township congress's row ordered by
    region: one query grouped by congress (a province has a thousand township congresses, a township one), summed
    by level here. The city-wide rows are stored ahead (`reports.precomputed.city_congress_levels`)."""
    sums = {level: dict.fromkeys(COUNTS, 0) for level in ("city", "township")}
    townships = []
    rows = (
        congress_scope(user=user, year=year)
        .values("congress_id", "congress__level", name=F("congress__name"), code=F("congress__region__code"))
        .annotate(**_counts())
        .order_by()
    )
    for row in rows:
        level = row.pop("congress__level")
        bucket = sums["township" if level == CongressLevel.TOWNSHIP else "city"]
        for key in COUNTS:
            bucket[key] += row[key]
        if level == CongressLevel.TOWNSHIP:
            townships.append(row)
    townships.sort(key=lambda r: (r["code"] or "", r["name"] or ""))
    return {"sums": sums, "townships": townships}


def congress_levels(
    *, user, year: int, params: Mapping[str, Any], computed: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The year's suggestion figures per congress level in the user's scope: the city congress's (and any
    above it), the township congresses' summed, and one page of the township congresses (sortable by
    received). One query (`level_rows`); none when `computed` (the city-wide snapshot) is given."""
    sort = params.get("csort") if params.get("csort") in SORTS else "region"
    computed = computed if computed is not None else level_rows(user=user, year=year)
    sums, townships = computed["sums"], list(computed["townships"])
    if sort == "received":  # stored by region; the same order as SORTS["received"]
        townships.sort(key=lambda r: (-r["received"], r["code"] or ""))
    page = Paginator(townships, CONGRESS_PAGE).get_page(params.get("cpage"))
    city_wide = user.scope_kind == ScopeKind.CITY
    # The city's roles read each township congress's unit scores from its row.
    scores = reverse("supervision:scores") if city_wide and sees_all_units(user) else ""
    return {
        "scores_url": f"{scores}?year={year}&congress=" if scores else "",
        "year": year,
        # A township officer's figures stop at their congress: no city row; a street's officer has no township.
        "show_city": city_wide or sums["city"]["received"] > 0,
        "show_townships": city_wide or page.paginator.count > 0,
        "city": sums["city"],
        "township": sums["township"],
        "page": page,
        "rows": list(page.object_list),
        "sort": sort,
        "sort_links": {key: _link(params, csort=key, cpage=None) for key in SORTS},
        "page_links": _page_links(page, params, "cpage"),
    }


# The region drill-down --------------------------------------------------------------------------------------


@dataclass
class Area:
    code: str
    name: str = ""
    id: int | None = None
    homes: int = 0
    stations: int = 0
    groups: int = 0
    deputies: int = 0
    children: list[str] = field(default_factory=list)

    @property
    def is_township(self) -> bool:
        return len(self.code) == LEAF

    def add(self, row: Mapping[str, Any]) -> None:
        self.homes += row["homes"]
        self.stations += row["stations"]
        self.groups += row["groups"]
        self.deputies += row["deputies"]


def _tree(townships: list[dict[str, Any]]) -> dict[str, Area]:
    """Every region above the townships in `townships` (the overview's rows), with their sums; "" is the top."""
    nodes: dict[str, Area] = {"": Area("")}
    for row in townships:
        code, parent = row["code"], ""
        nodes[""].add(row)
        for length in (*[n for n in CODE_LENGTHS if n < len(code)], len(code)):
            key = code[:length]
            if key not in nodes:
                nodes[key] = Area(key)
                nodes[parent].children.append(key)
            nodes[key].add(row)
            parent = key
        nodes[code].name, nodes[code].id = row["name"], row["id"]
    return nodes


def area_drill(*, townships: list[dict[str, Any]], params: Mapping[str, Any]) -> dict[str, Any]:
    """The children of one region (`?area=` a code; by default the lowest region holding everything in
    scope: the city for the city's demo, a province's prefectures at a province), one page of them, and the
    path down to it. One query, for the names of the regions above the townships shown."""
    nodes = _tree(townships)
    top = ""
    while len(nodes[top].children) == 1 and not nodes[nodes[top].children[0]].is_township:
        top = nodes[top].children[0]
    asked = str(params.get("area") or "")
    node = asked if asked in nodes and not nodes[asked].is_township and asked.startswith(top) else top
    kids = sorted(nodes[node].children)
    page = Paginator(kids, AREA_PAGE).get_page(params.get("apage"))
    # The way down from the top to the region shown, for the links back up.
    path = [node[:n] for n in CODE_LENGTHS if len(top) <= n <= len(node) and node[:n]]
    wanted = {c for c in [*page.object_list, *path] if not nodes[c].is_township}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name")) if wanted else {}
    rows = []
    for code in page.object_list:
        area = nodes[code]
        if not area.is_township:
            area.name = names.get(code, code)
        rows.append({"area": area, "url": "" if area.is_township else _link(params, area=code, apage=None)})
    child_length = next((len(k) for k in kids), LEAF)
    total = nodes[node]
    return {
        "rows": rows,
        "page": page,
        "page_links": _page_links(page, params, "apage"),
        "level_name": LEVEL_NAMES.get(child_length, "区域"),
        "total": total,
        "name": names.get(node, "") if node else "",
        # Each region on the way down from the top, linked unless it is the one shown.
        "crumbs": [
            {"name": names.get(c, c), "url": "" if c == node else _link(params, area=c, apage=None)} for c in path
        ],
    }


def dashboard_levels(
    *,
    user,
    today: datetime.date,
    params: Mapping[str, Any],
    townships: list[dict],
    computed: Mapping[str, Any] | None = None,
) -> dict:
    return {
        "suggestion_levels": congress_levels(user=user, year=today.year, params=params, computed=computed),
        "areas": area_drill(townships=townships, params=params),
    }
