"""The demo's memory: the handling units' duties and three past years of suggestion ledgers.

Each unit has its duties (from a 三定 plan, shortened) and the matters deputies in a city like
Enshi raise with it: rural roads, drinking water, schools and kindergartens, clinics, the tea
industry, relocation sites, the old town, river embankments, mobile signal, elderly care.
A ledger row is composed from a matter (several ways of naming it), a place (village, township
or street), a problem and a request, in one of many sentence shapes, so that no two years read
alike; a few rows go to a neighbouring unit, as real assignments sometimes do. The rows are
HistoricalSuggestion rows: they never count in this year's figures or registers. The routing
model is trained at the end, so `route_suggestions` works right after `manage.py demo`.
"""

from __future__ import annotations

import random
from typing import Any

from deputyhome.demo.history_data import ASKS, PROBLEMS, SHAPES, UNITS, VERBS
from deputyhome.deputies.models import Deputy
from deputyhome.organisation.models import HandlingUnit, Region
from deputyhome.suggestions.models import Category, HistoricalSuggestion, ResultClass

YEARS_BACK = 3
PER_YEAR = (150, 160, 170)
NOISE = 0.04  # share of rows assigned to a neighbouring unit, as happens in real ledgers


def _place(rng: random.Random, villages: list[str], townships: list[str]) -> str:
    r = rng.random()
    if r < 0.45:
        return rng.choice(villages)
    if r < 0.75:
        return rng.choice(townships)
    return ""


def _row(rng: random.Random, unit: str, villages: list[str], townships: list[str]) -> dict[str, Any]:
    category, _, matters = UNITS[unit]
    variants, co, details = rng.choice(matters)
    m, m2 = rng.choice(variants), rng.choice(variants)
    place = _place(rng, villages, townships)
    v, p = rng.choice(VERBS), rng.choice(PROBLEMS)
    title = rng.choice(SHAPES).format(place=place, m=m, v=v, p=p)
    d1, d2 = rng.sample(details, 2) if len(details) > 1 else (details[0], details[0])
    where = place or rng.choice(townships)
    content = rng.choice(
        [
            f"{where}{d1}，{d2}。建议{v}{m2}，{rng.choice(ASKS)}。",
            f"近年来，{where}{m2}{p}：{d1}。群众多次反映{d2}。建议{rng.choice(ASKS)}，{v}{m}。",
            f"经走访调研，{d1}；{d2}。恳请{rng.choice(ASKS)}，切实{v}{where}{m2}。",
        ]
    )
    return {"title": title[:200], "content": content, "category": category, "co": co}


def _duties() -> None:
    for unit in HandlingUnit.objects.filter(name__in=UNITS):
        unit.duties = UNITS[unit.name][1] + "。"
        unit.save(update_fields=["duties", "updated_at"])


def build(*, rng: random.Random, today) -> dict[str, int]:
    """Duties for every demo unit, three past years of ledgers, then a trained routing model."""
    _duties()
    author_names = list(Deputy.objects.order_by("id").values_list("name", flat=True)[:400])
    units = {u.name: u for u in HandlingUnit.objects.filter(name__in=UNITS)}
    categories = {c.name: c for c in Category.objects.all()}
    classes = list(ResultClass.objects.order_by("order"))
    villages = list(Region.objects.filter(kind="village").order_by("code").values_list("name", flat=True))
    townships = list(
        Region.objects.exclude(kind__in=["village", "city", "county", "prefecture", "province"])
        .order_by("code")
        .values_list("name", flat=True)
    )
    # Roughly how often each unit gets suggestions: roads, water, schools and health lead the ledgers.
    weights = {name: 1 + 2 * len(matters) for name, (_, _, matters) in UNITS.items()}
    names = sorted(units)
    rows, co_links = [], []
    for offset, count in zip(range(YEARS_BACK, 0, -1), PER_YEAR, strict=True):
        year = today.year - offset
        for number in range(1, count + 1):
            unit = rng.choices(names, weights=[weights[n] for n in names])[0]
            r = _row(rng, unit, villages, townships)
            lead = unit
            if r["co"] and rng.random() < NOISE:
                lead, r["co"] = r["co"], unit
            rc = rng.choices(classes, weights=[55, 35, 10][: len(classes)])[0] if classes else None
            rows.append(
                HistoricalSuggestion(
                    year=year,
                    number=number,
                    title=r["title"],
                    content=r["content"],
                    author_name=rng.choice(author_names) if author_names else "",
                    lead_unit=units[lead],
                    category=categories.get(r["category"]),
                    result_class=rc,
                    is_public=True,
                    source=f"{year}年建议交办清单（演示）",
                )
            )
            co_links.append(units[r["co"]] if r["co"] and rng.random() < 0.5 else None)
    created = HistoricalSuggestion.objects.bulk_create(rows)
    through = HistoricalSuggestion.co_units.through
    through.objects.bulk_create(
        [
            through(historicalsuggestion_id=h.pk, handlingunit_id=u.pk)
            for h, u in zip(created, co_links, strict=True)
            if u
        ]
    )
    from deputyhome.suggestions.similarity.training import suggestions_learn

    model, _ = suggestions_learn(actor="manage.py demo")
    return {"history": len(created), "units_with_duties": len(units), "routing_model_terms": model.meta["terms"]}
