"""The yearly assessment of a handling unit's suggestion work (考核评分), as plain Python.

No database and no Django here: `selectors.unit_scorecards` turns the event history of each
suggestion a unit leads into one `SuggestionFacts`, and `score` turns a list of facts and the
year's items into a `Scorecard`. Scores are always computed, never stored, so a change to the
scheme shows at once.

Three kinds of item:

* **Rate items** (timeliness, consultation, reply quality, result, satisfaction) earn
  `points × the mean value over the suggestions the item applies to`. Each suggestion's value
  is in [0, 1]; its contribution is `points × value / n`. Where the item applies to no
  suggestion at all (nothing replied yet, say) the item earns its full points and is marked
  不适用: a unit is not marked down for what could not happen yet.
* **Deductions** (overdue, finally dissatisfied) take `points` off per suggestion, at most `cap`.
* **Bonuses** (key-supervision suggestion closed) add `points` per suggestion, at most `cap`.

The total is the sum of the items, clamped to [0, full marks]: a bonus makes up for points lost
elsewhere but never lifts a unit above 满分 (the page shows the raw sum and the bonus beside it). Every item's
points are split over the suggestions that earned them (largest-remainder rounding to 0.01), so
the breakdown per suggestion adds up exactly to each item and, with the 不适用 items, to the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from deputyhome.core import scheme_items
from deputyhome.core.scheme_items import CENT

# Rules (the values of `supervision.choices.ScoringRule`; kept as strings so this module stays pure).
TIMELINESS = "timeliness"
CONSULTATION = "consultation"
REPLY_QUALITY = "reply_quality"
RESULT = "result"
SATISFACTION = "satisfaction"
OVERDUE_DEDUCTION = "overdue_deduction"
DISSATISFIED_DEDUCTION = "dissatisfied_deduction"
KEY_CLOSED_BONUS = "key_closed_bonus"

RATE_RULES = (TIMELINESS, CONSULTATION, REPLY_QUALITY, RESULT, SATISFACTION)
DEDUCTION_RULES = (OVERDUE_DEDUCTION, DISSATISFIED_DEDUCTION)
BONUS_RULES = (KEY_CLOSED_BONUS,)
RULES = (*RATE_RULES, *DEDUCTION_RULES, *BONUS_RULES)

RATE, DEDUCTION, BONUS = "rate", "deduction", "bonus"

NO_RESPONSE = "no_response"
SATISFACTION_FACTORS: dict[str, Decimal] = {
    "satisfied": Decimal("1"),
    "basic": Decimal("0.8"),
    "dissatisfied": Decimal("0"),
    NO_RESPONSE: Decimal("0.6"),
}
"""What the lead deputy's rating of the result is worth in the satisfaction item.

满意 counts in full, 基本满意 0.8, 不满意 nothing. A deputy who let the evaluation window pass
(逾期未评价, recorded by the system) counts 0.6: silence is not praise, but neither is it a
complaint, and the unit cannot make a deputy answer. The rating used is the lead deputy's latest
one (the final round's once re-handling has been evaluated).
"""


@dataclass(frozen=True)
class ItemSpec(scheme_items.ItemSpec):
    """One scheme line as plain data: the rule, its label, its points and an optional cap."""

    @property
    def kind(self) -> str:
        return kind_of(self.rule)


DEFAULT_ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(TIMELINESS, "按期答复", Decimal("25")),
    ItemSpec(CONSULTATION, "答复前沟通联系", Decimal("20")),
    ItemSpec(REPLY_QUALITY, "答复一次审核通过", Decimal("15")),
    ItemSpec(RESULT, "办理结果", Decimal("20")),
    ItemSpec(SATISFACTION, "代表满意度", Decimal("20")),
    ItemSpec(OVERDUE_DEDUCTION, "逾期答复扣分", Decimal("2"), Decimal("10")),
    ItemSpec(DISSATISFIED_DEDUCTION, "最终不满意扣分", Decimal("2"), Decimal("10")),
    ItemSpec(KEY_CLOSED_BONUS, "重点督办件办结加分", Decimal("1"), Decimal("5")),
)
"""The default scheme: rate items worth 100 in all, two deductions and one bonus."""

DEFAULT_MIN_SUGGESTIONS = 2


def kind_of(rule: str) -> str:
    if rule in RATE_RULES:
        return RATE
    if rule in DEDUCTION_RULES:
        return DEDUCTION
    if rule in BONUS_RULES:
        return BONUS
    raise ValueError(f"unknown scoring rule: {rule}")


@dataclass(frozen=True)
class SuggestionFacts:
    """What one suggestion tells about its lead unit. `None` means "does not apply (yet)".

    on_time: every reply it submitted was within the due date then in force, and it is not
        overdue now; False if any reply came late or it is overdue unreplied; None if it has
        not been replied yet and is not overdue.
    consulted_before_reply: in every round it replied, the unit had contacted the deputy on or
        before the reply date; None before any reply, or where staff waived the consultation.
    first_reply_accepted: no reply was ever sent back by staff; None before any review.
    result_weight: `ResultClass.score_weight` of the accepted reply; None before acceptance.
    final_satisfaction: the lead deputy's latest rating of the result (a key of
        SATISFACTION_FACTORS); None before any evaluation.
    overdue: replied late or overdue now (the same fact as `on_time is False`).
    finally_dissatisfied: closed with the lead deputy dissatisfied with the result.
    key_closed: under key supervision (重点督办) and closed.
    """

    key: int
    label: str = ""
    on_time: bool | None = None
    consulted_before_reply: bool | None = None
    first_reply_accepted: bool | None = None
    result_weight: Decimal | None = None
    final_satisfaction: str | None = None
    overdue: bool = False
    finally_dissatisfied: bool = False
    key_closed: bool = False


def _flag(value: bool | None) -> Fraction | None:
    return None if value is None else Fraction(int(value))


def rate_value(rule: str, facts: SuggestionFacts) -> Fraction | None:
    """The suggestion's value in [0, 1] for a rate item, or None where the item does not apply."""
    if rule == TIMELINESS:
        return _flag(facts.on_time)
    if rule == CONSULTATION:
        return _flag(facts.consulted_before_reply)
    if rule == REPLY_QUALITY:
        return _flag(facts.first_reply_accepted)
    if rule == RESULT:
        if facts.result_weight is None:
            return None
        return min(max(Fraction(facts.result_weight), Fraction(0)), Fraction(1))
    if rule == SATISFACTION:
        if facts.final_satisfaction is None:
            return None
        return Fraction(SATISFACTION_FACTORS[facts.final_satisfaction])
    raise ValueError(f"not a rate rule: {rule}")


def counts_for(rule: str, facts: SuggestionFacts) -> bool:
    """Whether the suggestion triggers a per-suggestion deduction or bonus."""
    if rule == OVERDUE_DEDUCTION:
        return facts.overdue
    if rule == DISSATISFIED_DEDUCTION:
        return facts.finally_dissatisfied
    if rule == KEY_CLOSED_BONUS:
        return facts.key_closed
    raise ValueError(f"not a per-suggestion rule: {rule}")


@dataclass(frozen=True)
class ItemScore:
    """One item of a scorecard.

    `earned` is signed (deductions negative). For a rate item `ratio` is the mean value and
    `applicable` the number of suggestions it applies to; for a deduction or bonus `applicable`
    is the number of suggestions that triggered it and `capped` says whether the cap bit.
    `contributions` maps suggestion keys to their share of `earned`, adding up to it exactly.
    """

    rule: str
    label: str
    kind: str
    points: Decimal
    cap: Decimal | None
    earned: Decimal
    applicable: int
    ratio: Decimal | None = None
    not_applicable: bool = False
    capped: bool = False
    contributions: dict[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class BreakdownRow:
    facts: SuggestionFacts
    cells: dict[str, Decimal | None]  # rule → contribution (None: the item does not apply to it)
    total: Decimal


@dataclass(frozen=True)
class Scorecard:
    items: list[ItemScore]
    facts: list[SuggestionFacts]
    full_marks: Decimal  # the rate items' points
    max_total: Decimal | None  # the most a unit can score: full marks (bonuses included)
    raw_total: Decimal
    total: Decimal

    @property
    def base(self) -> Decimal:
        return sum((i.earned for i in self.items if i.kind == RATE), Decimal(0))

    @property
    def deductions(self) -> Decimal:
        return sum((i.earned for i in self.items if i.kind == DEDUCTION), Decimal(0))

    @property
    def bonus(self) -> Decimal:
        return sum((i.earned for i in self.items if i.kind == BONUS), Decimal(0))

    @property
    def not_applicable_points(self) -> Decimal:
        """Points given in full to items that applied to no suggestion (in no breakdown row)."""
        return sum((i.earned for i in self.items if i.not_applicable), Decimal(0))

    def item(self, rule: str) -> ItemScore | None:
        return next((i for i in self.items if i.rule == rule), None)

    def rows(self) -> list[BreakdownRow]:
        """The breakdown per suggestion: its share of each item and in all."""
        out = []
        for f in self.facts:
            cells: dict[str, Decimal | None] = {}
            for i in self.items:
                cells[i.rule] = i.contributions.get(f.key)
            total = sum((v for v in cells.values() if v is not None), Decimal(0))
            out.append(BreakdownRow(facts=f, cells=cells, total=total))
        return out


def _cents(value: Fraction) -> Decimal:
    """A fraction rounded half-up to 0.01."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def _apportion(total: Decimal, shares: dict[int, Fraction]) -> dict[int, Decimal]:
    """Split `total` (a multiple of 0.01) in proportion to `shares`, each rounded to 0.01, summing exactly.

    Largest remainder: everyone gets their share rounded down, the cents left over go to the
    largest remainders (ties by key, so the result is stable).
    """
    weight = sum(shares.values(), Fraction(0))
    if not shares:
        return {}
    if weight == 0:
        return dict.fromkeys(shares, Decimal(0).quantize(CENT))
    sign = -1 if total < 0 else 1
    cents_total = int((abs(total) / CENT).to_integral_value())
    exact = {k: Fraction(cents_total) * s / weight for k, s in shares.items()}
    floors = {k: v.numerator // v.denominator for k, v in exact.items()}
    left = cents_total - sum(floors.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - floors[k]), k))[:left]:
        floors[k] += 1
    return {k: (Decimal(sign * c) * CENT).quantize(CENT) for k, c in floors.items()}


def _rate_item(spec: ItemSpec, facts: Sequence[SuggestionFacts]) -> ItemScore:
    values = {f.key: v for f in facts if (v := rate_value(spec.rule, f)) is not None}
    points = Decimal(spec.points)
    if not values:
        return ItemScore(
            spec.rule, spec.label, RATE, points, spec.cap, points.quantize(CENT), 0, None, not_applicable=True
        )
    mean = sum(values.values(), Fraction(0)) / len(values)
    earned = _cents(Fraction(points) * mean)
    return ItemScore(
        spec.rule,
        spec.label,
        RATE,
        points,
        spec.cap,
        earned,
        len(values),
        ratio=_ratio(mean),
        contributions=_apportion(earned, values),
    )


def _ratio(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _count_item(spec: ItemSpec, facts: Sequence[SuggestionFacts]) -> ItemScore:
    kind = kind_of(spec.rule)
    hits = [f.key for f in facts if counts_for(spec.rule, f)]
    points = Decimal(spec.points)
    amount = points * len(hits)
    capped = spec.cap is not None and amount > spec.cap
    if capped:
        amount = Decimal(spec.cap)
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    earned = -amount if kind == DEDUCTION else amount
    return ItemScore(
        spec.rule,
        spec.label,
        kind,
        points,
        spec.cap,
        earned,
        len(hits),
        capped=capped,
        contributions=_apportion(earned, dict.fromkeys(hits, Fraction(1))),
    )


def score(facts: Iterable[SuggestionFacts], items: Iterable[ItemSpec]) -> Scorecard:
    """The scorecard of one unit: its lead suggestions' facts scored by the year's items."""
    facts = list(facts)
    items = [i for i in items if i.rule in RULES]
    scores = [_rate_item(i, facts) if i.kind == RATE else _count_item(i, facts) for i in items]
    full_marks = sum((Decimal(i.points) for i in items if i.kind == RATE), Decimal(0))
    max_total = full_marks
    raw = sum((s.earned for s in scores), Decimal(0))
    total = min(max(raw, Decimal(0)), max_total)
    return Scorecard(
        items=scores,
        facts=facts,
        full_marks=full_marks.quantize(CENT),
        max_total=max_total.quantize(CENT),
        raw_total=raw.quantize(CENT),
        total=total.quantize(CENT),
    )


def rank(totals: Sequence[tuple[object, Decimal]]) -> list[tuple[int, object, Decimal]]:
    """Competition ranking ("1, 1, 3"): equal totals share a rank; input order breaks display ties."""
    ordered = sorted(enumerate(totals), key=lambda p: (-p[1][1], p[0]))
    out: list[tuple[int, object, Decimal]] = []
    for position, (_index, (who, total)) in enumerate(ordered, start=1):
        place = out[-1][0] if out and out[-1][2] == total else position
        out.append((place, who, total))
    return out


@dataclass(frozen=True)
class UnitTotals:
    """A unit's facts summed over its lead suggestions, as SQL counts them (`ranking.unit_totals`): for each
    rate rule, (sum of the values, number of suggestions it applies to); for each deduction or bonus rule,
    the number of suggestions that trigger it. `score_totals` scores them exactly as `score` scores the facts."""

    lead_count: int
    rates: dict[str, tuple[Fraction, int]]
    hits: dict[str, int]


def score_totals(totals: UnitTotals, items: Iterable[ItemSpec]) -> Scorecard:
    """The scorecard of one unit from its totals: the same items and total as `score`, without the breakdown
    per suggestion (no facts, no contributions)."""
    items = [i for i in items if i.rule in RULES]
    scores = []
    for spec in items:
        points = Decimal(spec.points)
        if spec.kind == RATE:
            value, n = totals.rates.get(spec.rule, (Fraction(0), 0))
            if not n:
                scores.append(
                    ItemScore(spec.rule, spec.label, RATE, points, spec.cap, points.quantize(CENT), 0, None, True)
                )
                continue
            mean = value / n
            earned = _cents(Fraction(points) * mean)
            scores.append(ItemScore(spec.rule, spec.label, RATE, points, spec.cap, earned, n, ratio=_ratio(mean)))
            continue
        hits = totals.hits.get(spec.rule, 0)
        amount = points * hits
        capped = spec.cap is not None and amount > spec.cap
        amount = (Decimal(spec.cap) if capped else amount).quantize(CENT, rounding=ROUND_HALF_UP)
        earned = -amount if spec.kind == DEDUCTION else amount
        scores.append(ItemScore(spec.rule, spec.label, spec.kind, points, spec.cap, earned, hits, capped=capped))
    full_marks = sum((Decimal(i.points) for i in items if i.kind == RATE), Decimal(0))
    raw = sum((s.earned for s in scores), Decimal(0))
    total = min(max(raw, Decimal(0)), full_marks)
    return Scorecard(
        items=scores,
        facts=[],
        full_marks=full_marks.quantize(CENT),
        max_total=full_marks.quantize(CENT),
        raw_total=raw.quantize(CENT),
        total=total.quantize(CENT),
    )
