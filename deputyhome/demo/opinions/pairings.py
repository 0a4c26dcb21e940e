"""Demo voter contact: the three model deputies of the article, deputies' paired households, the stories."""

from __future__ import annotations

import datetime
import random

from deputyhome.accounts.models import User
from deputyhome.deputies.choices import Gender
from deputyhome.deputies.models import Deputy
from deputyhome.opinions.choices import ContactWay
from deputyhome.opinions.models import ModelStory, Pairing, PairingContact
from deputyhome.organisation.choices import CONGRESS_KINDS, CongressLevel, RegionKind

from ..clock import DAY
from .base import OpinionsDemo, aware, person_name
from .texts import CONTACT_NOTES, MODEL_DEPUTIES, PAIRING_NOTES


def choose_model_deputies(b: OpinionsDemo) -> dict[str, Deputy]:
    taken = set(User.objects.filter(deputy__isnull=False).values_list("deputy_id", flat=True))
    city_people = [p for p in b.persons if CongressLevel.CITY in p.levels and p.deputy.pk not in taken and p.deputy]

    def rural(p) -> bool:
        return p.township.kind in CONGRESS_KINDS

    def urban(p) -> bool:
        return p.township.kind == RegionKind.STREET

    wanted = [
        ("蒋子祥", lambda p: rural(p) and p.deputy.gender == Gender.MALE),
        ("谢海艳", lambda p: rural(p) and p.deputy.gender == Gender.FEMALE),
        ("何启华", lambda p: urban(p) and p.deputy.gender == Gender.MALE),
    ]
    chosen: dict[str, Deputy] = {}
    used: set[int] = set()
    for name, fits in wanted:
        pool = [p for p in city_people if fits(p) and p.deputy.pk not in used]
        # 何启华 is preferably in the demo township officer's street, so that login sees him.
        preferred = [p for p in pool if p.township.name == "六角亭街道"] if name == "何启华" else []
        person = b.rng.choice(preferred or pool)
        used.add(person.deputy.pk)
        info = MODEL_DEPUTIES[name]
        employer = info["employer"]
        if name == "何启华":
            employer = f"{person.group.station.region.name}{employer}"
        Deputy.objects.filter(pk=person.deputy.pk).update(name=name, employer_title=employer)
        person.deputy.name, person.deputy.employer_title = name, employer
        chosen[name] = person.deputy
    return chosen


def _households(
    b: OpinionsDemo, rng: random.Random, rows: list[Pairing], person, n: int, members_total: int | None
) -> None:
    """`n` households paired with the person's deputy, in villages of their township (`members_total`: the
    article's head count to reach)."""
    villages = b.villages_of.get(person.township.pk) or [None]
    sizes = [rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6]) for _ in range(n)]
    if members_total is not None:  # adjust to the article's head count
        diff = members_total - sum(sizes)
        i = 0
        while diff:
            step = 1 if diff > 0 else -1
            if 1 <= sizes[i % n] + step <= 8:
                sizes[i % n] += step
                diff -= step
            i += 1
    for size in sizes:
        rows.append(
            Pairing(
                deputy=person.deputy,
                household=person_name(rng),
                village=rng.choice(villages),
                members=size,
                since=datetime.date(rng.choice([2022, 2022, 2023, 2024]), rng.randint(1, 12), rng.randint(1, 28)),
                notes=rng.choice(PAIRING_NOTES),
            )
        )


def _contacts(b: OpinionsDemo, rng: random.Random, pairings: list[Pairing]) -> list[PairingContact]:
    contacts: list[PairingContact] = []
    for pairing in pairings:
        start = max(pairing.since, b.first)
        span = (b.today - DAY - start).days
        for _ in range(rng.choice([0, 1, 1, 2, 3]) if span > 0 else 0):
            contacts.append(
                PairingContact(
                    pairing=pairing,
                    date=start + datetime.timedelta(days=rng.randrange(span + 1)),
                    way=rng.choice(
                        [ContactWay.VISIT, ContactWay.VISIT, ContactWay.PHONE, ContactWay.WECHAT, ContactWay.HELP]
                    ),
                    notes=rng.choice(CONTACT_NOTES),
                    recorded_by=b.staff,
                )
            )
    return contacts


SHORT = 120  # deputies paired with a few households only (2 to 6), short of the norm of ten
OTHERS_SEED = 20261206  # the rest's households drawn apart, so that the draws above stay as they were


def build_pairings(b: OpinionsDemo, models: dict[str, Deputy]) -> tuple[int, int]:
    """The model deputies' households (the article's figures), a few for `SHORT` deputies, and ten to thirteen for
    everyone else in a group (结对联系群众: each deputy keeps in touch with ten or more)."""
    rng = b.rng
    rows: list[Pairing] = []
    people = {p.deputy.pk: p for p in b.persons}
    for name, deputy in models.items():
        info = MODEL_DEPUTIES[name]
        _households(b, rng, rows, people[deputy.pk], info["households"], info["members"])
    others = [p for p in b.persons if p.deputy.pk not in {d.pk for d in models.values()}]
    short = rng.sample(others, k=min(len(others), SHORT))
    for person in short:
        _households(b, rng, rows, person, rng.randint(2, 6), None)
    apart = random.Random(OTHERS_SEED)
    more: list[Pairing] = []
    short_ids = {p.deputy.pk for p in short}
    for person in (p for p in others if p.deputy.pk not in short_ids and p.group is not None):
        _households(b, apart, more, person, apart.randint(10, 13), None)
    Pairing.objects.bulk_create(rows + more)
    contacts = _contacts(b, rng, rows) + _contacts(b, apart, more)
    PairingContact.objects.bulk_create(contacts, batch_size=5000)
    return len(rows) + len(more), len(contacts)


def build_stories(b: OpinionsDemo, models: dict[str, Deputy]) -> int:
    rows = []
    for n, (name, deputy) in enumerate(models.items()):
        info = MODEL_DEPUTIES[name]
        rows.append(
            ModelStory(
                deputy=deputy,
                title=info["title"],
                text=info["text"],
                figures=info["figures"],
                is_published=True,
                published_at=aware(max(b.first, b.today - datetime.timedelta(days=60 - 10 * n)), b.rng),
                created_by=b.staff,
            )
        )
    ModelStory.objects.bulk_create(rows)
    return len(rows)
