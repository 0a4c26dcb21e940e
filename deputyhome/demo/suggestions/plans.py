"""Who writes which demo suggestion and how far it has come: the stories, the planner, the plans."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from deputyhome.deputies.models import Deputy
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import HandlingUnit, Region, Session
from deputyhome.suggestions.choices import Satisfaction
from deputyhome.suggestions.models import Suggestion

from ..accounts import PERSONA_TOWNSHIP
from .texts import INADMISSIBLE, TOPICS
from .topic import ALL, Topic

# `env` is an actions.Env; it is typed Any here because actions imports this module.
SESSION_COUNT = 118  # 市十一届人大一次会议期间收到代表建议 118 件
RECESS_COUNT = 2  # 闭会期间 2 件

# Targets: the stage a plan should have reached by yesterday.
RETURNED = "returned"
SUBMITTED = "submitted"  # returned at screening for more content, revised and resubmitted lately
REGISTERED = "registered"  # registered lately and waiting for assignment
ASSIGNED = "assigned"  # assigned lately, not yet received
ASSIGNED_AGAIN = "assigned_again"  # assigned to a wrong unit, sent back, assigned again lately
HANDLING = "handling"  # assigned some weeks ago, reply not due yet
HANDLING_SOON = "handling_soon"  # due within the coming weeks, an extension pending
OVERDUE = "overdue"  # assigned at the 交办会, no reply past the due date
REPLIED = "replied"  # reply waiting for the committee's review
REPLIED_AGAIN = "replied_again"  # re-handled, the second reply waiting for review
AWAITING = "awaiting"  # reply accepted lately, the deputy has not evaluated yet
REHANDLING = "rehandling"  # the deputy was dissatisfied lately
CLOSED = "closed"

LATE_TARGETS = (SUBMITTED, REGISTERED, ASSIGNED, ASSIGNED_AGAIN, HANDLING, HANDLING_SOON)


@dataclass
class Plan:
    n: int
    rng: random.Random
    title: str
    content: dict[str, str]
    topic: Topic | None
    township: Region
    village: Region
    author: Deputy
    session: Session | None
    target: str
    entry: str = "self"  # self, city or township
    cosigners: list[Deputy] = field(default_factory=list)
    unconfirmed: set[int] = field(default_factory=set)
    lead: HandlingUnit | None = None
    co: list[HandlingUnit] = field(default_factory=list)
    wrong: HandlingUnit | None = None
    result: str = ""  # A, B or C; chosen by weight when a story does not say
    sat: str = ""  # the author's rating of the result, when not re-handled
    rehandle: bool = False
    final_dissatisfied: bool = False
    no_evaluation: bool = False
    send_back: bool = False
    waive: bool = False
    slow: bool = False  # a complex matter answered after the three months
    extension: str = ""  # approved, rejected or pending, for plans that do not plan it themselves
    key: bool = False
    supervisions: int = 0
    return_reason: str = ""
    return_note: str = ""
    draft: bool = False
    result2: str = "B"
    motion: bool = False  # filed as a motion at the session, handled as a suggestion by the presidium
    s: Suggestion | None = None
    number: int | None = None
    ext: Any = None

    @property
    def measure(self) -> str:
        assert self.topic is not None
        return self.topic.measure.format(t=self.township.name, v=self.village.name)


# The stories every page needs: (topic key or None for any, target, options). "persona" is the `deputy` login.
STORIES: list[tuple[str | None, str, dict[str, Any]]] = [
    # The `deputy` persona (六角亭街道): one to evaluate, one closed, one joint in handling, and a draft (below).
    ("old_town", AWAITING, {"persona": True, "result": "B", "key": True, "supervisions": 3}),
    ("backstreet", CLOSED, {"persona": True, "result": "A", "sat": Satisfaction.SATISFIED}),
    ("old_community", HANDLING, {"persona": True, "joint": 3}),
    # The housing bureau, the `unit` persona: new, new after another unit sent it back, due soon,
    # re-handling, overdue (one with a reply sent back), awaiting review and evaluation.
    ("gas_bottle", ASSIGNED, {}),
    ("property", ASSIGNED_AGAIN, {"wrong": "市市场监督管理局"}),
    ("secondary_water", HANDLING_SOON, {"extension": "pending"}),
    ("rain_sewage", REHANDLING, {"result": "C", "result2": "B"}),
    ("gas_pipeline", OVERDUE, {"key": True, "supervisions": 4, "extension": "approved"}),
    ("rural_houses", OVERDUE, {"send_back": True}),
    ("dust", REPLIED, {"result": "A"}),
    ("old_gas_renewal", AWAITING, {"result": "B"}),
    # The court and the procuratorate.
    ("circuit_court", CLOSED, {"result": "A"}),
    ("mediation", CLOSED, {"result": "B"}),
    ("enforcement", AWAITING, {"result": "B"}),
    ("public_interest", CLOSED, {"result": "A", "key": True, "supervisions": 2}),
    ("minors_judicial", REPLIED, {"result": "A"}),
    ("minors_online", CLOSED, {"result": "A"}),
    # Key supervision (重点督办) of the article's themes.
    ("yaojiaping", CLOSED, {"result": "B", "key": True, "supervisions": 4, "joint": 2, "slow": True}),
    ("water_source", CLOSED, {"result": "B", "key": True, "supervisions": 3}),
    ("tea_factory", CLOSED, {"result": "A", "key": True, "supervisions": 2}),
    ("business_env", CLOSED, {"result": "A", "key": True, "supervisions": 2}),
    ("boarding", CLOSED, {"result": "B", "key": True, "supervisions": 2}),
    # Assigned to a wrong unit at the 交办会, sent back within the window and assigned again.
    ("cold_chain", CLOSED, {"wrong": "市农业农村局"}),
    # Returned at screening for more content, revised and resubmitted later in the year.
    (None, SUBMITTED, {}),
    (None, SUBMITTED, {}),
    (None, REGISTERED, {}),
    ("village_road", ASSIGNED, {}),
    (None, HANDLING, {}),
    # In recess (闭会期间).
    ("flood_roads", CLOSED, {"recess": True, "result": "A"}),
    ("mobile_signal", REGISTERED, {"recess": True}),
]
# Drafts, counted nowhere: (topic, who enters it).
DRAFTS = [("e_bike", "persona"), ("vendors", "township"), ("veterans", "city")]
# What happens to the other session suggestions that are not closed by now.
GENERIC_OPEN = [OVERDUE, OVERDUE, OVERDUE, REPLIED_AGAIN, AWAITING, AWAITING, AWAITING, REHANDLING, REHANDLING]


class Planner:
    """Decides who writes what: topics over townships, townships' city deputies as authors."""

    def __init__(self, ctx: Any, env: Any, session: Session) -> None:
        self.rng = ctx.rng
        self.env = env
        self.session = session
        org = ctx.org
        self.townships = {t.name: t for t in org.townships}
        self.villages_of = org.villages_of
        self.units = {u.name: u for u in org.units}
        persona = env.persona.deputy
        self.persona = persona
        self.city_deputies: dict[str, list[Deputy]] = {}
        self.persona_group: list[Deputy] = []
        persona_person = next(p for p in ctx.deputies.persons if p.deputy.pk == persona.pk)
        for person in ctx.deputies.persons:
            if CongressLevel.CITY not in person.levels or person.deputy.pk == persona.pk:
                continue
            self.city_deputies.setdefault(person.township.name, []).append(person.deputy)
            if person.group is persona_person.group:
                self.persona_group.append(person.deputy)
        self.per_township: Counter = Counter()
        self.per_author: Counter = Counter()
        self.used_places: dict[str, set[str]] = {}
        self.uses = {t.key: t.uses for t in TOPICS}
        self.topics = {t.key: t for t in TOPICS}
        self.n = 0

    def _township(self, places: tuple[str, ...], topic: Topic | None) -> Region:
        candidates = [name for name in places if self.city_deputies.get(name)]
        if not candidates:  # another seed may leave a place without a city deputy
            candidates = [name for name in ALL if self.city_deputies.get(name)]
        if topic is not None and "{v}" not in topic.title and "{t}" in topic.title:
            fresh = [name for name in candidates if name not in self.used_places.get(topic.key, set())]
            candidates = fresh or candidates
        fewest = min(self.per_township[name] for name in candidates)
        name = self.rng.choice(sorted(name for name in candidates if self.per_township[name] == fewest))
        return self.townships[name]

    def _author(self, township: Region) -> Deputy:
        pool = self.city_deputies[township.name]
        fewest = min(self.per_author[d.pk] for d in pool)
        return self.rng.choice([d for d in pool if self.per_author[d.pk] == fewest])

    def take(self, key: str) -> Topic:
        assert self.uses[key] > 0, f"topic {key} used up"
        self.uses[key] -= 1
        return self.topics[key]

    def any_topic(self) -> Topic:
        keys = sorted(k for k, n in self.uses.items() if n > 0)
        weights = [self.uses[k] for k in keys]
        return self.take(self.rng.choices(keys, weights=weights)[0])

    def plan(self, topic: Topic | None, target: str, *, persona: bool = False, **options: Any) -> Plan:
        self.n += 1
        rng = random.Random(self.rng.random())
        if persona:
            author = self.persona
            township = next(t for t in self.townships.values() if t.pk == author.region_id)
        else:
            township = self._township(topic.places if topic else ALL, topic)
            author = self._author(township)
        village = rng.choice(self.villages_of[township.pk])
        self.per_township[township.name] += 1
        self.per_author[author.pk] += 1
        if topic is not None:
            self.used_places.setdefault(topic.key, set()).add(township.name)
            fill = {"t": township.name, "v": village.name}
            title = topic.title.format(**fill)
            content = {
                "situation": topic.situation.format(**fill),
                "reasons": topic.reasons.format(**fill),
                "proposals": topic.proposals.format(**fill),
            }
        else:
            title, content = "", {}
        joint = options.pop("joint", 0)
        recess = options.pop("recess", False)
        wrong = options.pop("wrong", None)
        p = Plan(
            n=self.n,
            rng=rng,
            title=title,
            content=content,
            topic=topic,
            township=township,
            village=village,
            author=author,
            session=None if recess else self.session,
            target=target,
            lead=self.units[topic.lead] if topic else None,
            co=[self.units[name] for name in topic.co] if topic else [],
            wrong=self.units[wrong] if wrong else None,
            **options,
        )
        if p.topic is not None and p.co and not persona and rng.random() < 0.25:
            p.co = p.co[:1] if len(p.co) > 1 else []  # staff do not always name every co-unit
        if persona:
            p.entry = "self"
        elif township.name == PERSONA_TOWNSHIP and rng.random() < 0.5:
            p.entry = "township"
        elif rng.random() < 0.35:
            p.entry = "city"
        if joint or (not persona and rng.random() < 0.22):
            pool = self.persona_group if persona else [d for d in self.city_deputies[township.name] if d != author]
            wanted = joint or rng.randint(1, 3)
            p.cosigners = rng.sample(pool, min(wanted, len(pool)))
            p.unconfirmed = {d.pk for d in p.cosigners if rng.random() < 0.1 and not persona}
        return p

    def returned(self, reason: str, title: str, situation: str, proposals: str, note: str) -> Plan:
        p = self.plan(None, RETURNED)
        fill = {"t": p.township.name, "v": p.village.name}
        p.title = title.format(**fill)
        p.content = {"situation": situation.format(**fill), "reasons": "", "proposals": proposals.format(**fill)}
        p.return_reason, p.return_note = reason, note
        return p


def make_plans(ctx: Any, env: Any, session: Session) -> list[Plan]:
    planner = Planner(ctx, env, session)
    plans = []
    for key, target, options in STORIES:
        plans.append(planner.plan(planner.take(key) if key else None, target, **options))
    drafts = []
    for key, who in DRAFTS:
        p = planner.plan(planner.take(key), "", persona=who == "persona")
        p.draft, p.session = True, None
        if who == "township":
            p.entry = "township"
            p.author = planner._author(planner.townships[PERSONA_TOWNSHIP])
            p.township = planner.townships[PERSONA_TOWNSHIP]
        elif who == "city":
            p.entry = "city"
        drafts.append(p)
    plans += [planner.returned(*row) for row in INADMISSIBLE]
    # Late-cohort stories without a fixed topic get one now.
    for p in plans:
        if p.topic is None and p.target != RETURNED:
            topic = planner.any_topic()
            fill = {"t": p.township.name, "v": p.village.name}
            p.topic, p.title = topic, topic.title.format(**fill)
            p.content = {
                "situation": topic.situation.format(**fill),
                "reasons": topic.reasons.format(**fill),
                "proposals": topic.proposals.format(**fill),
            }
            p.lead, p.co = planner.units[topic.lead], [planner.units[name] for name in topic.co]
    counted = len(plans)
    generic = SESSION_COUNT + RECESS_COUNT - counted
    targets = GENERIC_OPEN + [CLOSED] * (generic - len(GENERIC_OPEN))
    planner.rng.shuffle(targets)
    extensions = iter(["rejected", "approved"])
    for target in targets:
        options: dict[str, Any] = {}
        if target == OVERDUE:
            options["extension"] = next(extensions, "")
        elif target in (REHANDLING, REPLIED_AGAIN):
            options["result"], options["result2"] = planner.rng.choice([("C", "B"), ("B", "A"), ("C", "A")])
        plans.append(planner.plan(planner.any_topic(), target, **options))
    _flavour_closed([p for p in plans[counted:] if p.target == CLOSED], planner.rng)
    for p in plans:
        if not p.result:
            p.result = planner.rng.choices(["A", "B", "C"], weights=[55, 35, 10])[0]
        if not p.sat:
            if p.result == "C":
                p.sat = Satisfaction.BASIC if planner.rng.random() < 0.6 else Satisfaction.SATISFIED
            else:
                p.sat = Satisfaction.SATISFIED if planner.rng.random() < 0.78 else Satisfaction.BASIC
    return plans + drafts


def _flavour_closed(closed: list[Plan], rng: random.Random) -> None:
    """Some of the closed ones went the long way: re-handled, no answer, a reply sent back, slow, supervised."""
    rng.shuffle(closed)
    it = iter(closed)
    for i in range(5):
        p = next(it)
        p.rehandle = True
        p.result, p.result2 = rng.choice([("C", "B"), ("B", "A"), ("C", "A"), ("B", "B")])
        p.final_dissatisfied = i == 0
    for _ in range(2):
        next(it).no_evaluation = True
    for _ in range(2):
        next(it).send_back = True
    next(it).waive = True
    for _ in range(8):
        next(it).slow = True
    for _ in range(2):
        p = next(it)
        p.key, p.supervisions = True, 2
    for _ in range(12):
        next(it).supervisions = 1  # the supervision task force covers every unit (全覆盖督办)
