"""Duty points (履职积分): a deputy's duty record scored by the year's scheme. Plain Python, no database.

Each item earns count × points, limited to the item's cap; deductions subtract. The result
keeps every line, so a deputy's total always comes with the reason for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from deputyhome.core import scheme_items
from deputyhome.core.scheme_items import CENT

from .choices import PointsRule
from .figures import RULE_FIGURES, RULE_UNITS, DutyFigures


@dataclass(frozen=True)
class ItemSpec(scheme_items.ItemSpec):
    is_deduction: bool = False

    @property
    def unit(self) -> str:
        return RULE_UNITS[PointsRule(self.rule)]


# The built-in scheme a year starts with; city officers change it on the scheme page.
DEFAULT_ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(PointsRule.SESSION_ATTENDED, "出席人民代表大会会议", Decimal(10)),
    ItemSpec(PointsRule.TRAINING_HOUR, "参加履职培训", Decimal(1), Decimal(20)),
    ItemSpec(PointsRule.ACTIVITY_ATTENDED, "参加代表小组和视察调研等活动", Decimal(3), Decimal(30)),
    ItemSpec(PointsRule.RECEPTION, "进家入站接待选民", Decimal(3), Decimal(24)),
    ItemSpec(PointsRule.OPINION_HANDLED, "收集反映社情民意", Decimal(1), Decimal(10)),
    ItemSpec(PointsRule.SUGGESTION_LED, "领衔提出建议（立案）", Decimal(5), Decimal(20)),
    ItemSpec(PointsRule.SUGGESTION_COSIGNED, "联名提出建议（立案）", Decimal(2), Decimal(10)),
    ItemSpec(PointsRule.REPORT_TO_VOTERS, "向选民述职", Decimal(10), Decimal(10)),
    ItemSpec(PointsRule.UNEXCUSED_ABSENCE, "无故缺席会议、培训或活动", Decimal(5), None, True),
)


def _fmt(value: Decimal) -> str:
    """2, 2.5, 0.25: no trailing zeros."""
    text = f"{value.quantize(CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Line:
    """One item of a deputy's points: how many, at how much each, what it came to."""

    spec: ItemSpec
    count: Decimal
    raw: Decimal  # count × points, before the cap
    earned: Decimal  # after the cap, negative for a deduction

    @property
    def capped(self) -> bool:
        return self.spec.cap is not None and self.raw > self.spec.cap

    @property
    def earned_display(self) -> str:
        return _fmt(self.earned)

    @property
    def explanation(self) -> str:
        """e.g. "3次 × 2分 = 6分", "25学时 × 1分 = 25分，上限20分", "1次 × 5分 = 扣5分"."""
        spec = self.spec
        text = f"{_fmt(self.count)}{spec.unit} × {_fmt(spec.points)}分 = "
        text += f"扣{_fmt(self.raw)}分" if spec.is_deduction else f"{_fmt(self.raw)}分"
        if self.capped:
            assert spec.cap is not None
            text += f"，上限{_fmt(spec.cap)}分，计{'扣' if spec.is_deduction else ''}{_fmt(spec.cap)}分"
        return text


@dataclass(frozen=True)
class Card:
    lines: tuple[Line, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.earned for line in self.lines), Decimal(0)).quantize(CENT)

    @property
    def earned(self) -> Decimal:
        return sum((line.earned for line in self.lines if not line.spec.is_deduction), Decimal(0)).quantize(CENT)

    @property
    def deducted(self) -> Decimal:
        return -sum((line.earned for line in self.lines if line.spec.is_deduction), Decimal(0)).quantize(CENT)

    @property
    def total_display(self) -> str:
        return _fmt(self.total)

    @property
    def earned_display(self) -> str:
        return _fmt(self.earned)

    @property
    def deducted_display(self) -> str:
        return _fmt(self.deducted)

    def line(self, rule: str) -> Line | None:
        return next((line for line in self.lines if line.spec.rule == rule), None)


def score(figures: DutyFigures, items: tuple[ItemSpec, ...] | list[ItemSpec]) -> Card:
    lines = []
    for spec in items:
        count = figures.count_for(spec.rule)
        raw = (count * spec.points).quantize(CENT, rounding=ROUND_HALF_UP)
        kept = min(raw, spec.cap) if spec.cap is not None else raw
        lines.append(Line(spec=spec, count=count, raw=raw, earned=-kept if spec.is_deduction else kept))
    return Card(lines=tuple(lines))


class Scorer:
    """`score` for many deputies under one scheme: deputies with the same counts share one card (a card cannot
    change), so a province's list scores each distinct set of counts once, not each of 100,000 deputies."""

    def __init__(self, items: tuple[ItemSpec, ...] | list[ItemSpec]):
        self.items = items
        self.fields = [RULE_FIGURES[spec.rule] for spec in items]
        self.cards: dict[tuple, Card] = {}

    def __call__(self, figures: DutyFigures) -> Card:
        key = tuple([getattr(figures, name) for name in self.fields])
        card = self.cards.get(key)
        if card is None:
            card = self.cards[key] = score(figures, self.items)
        return card


def describe(spec: ItemSpec) -> str:
    """e.g. "参加履职培训每学时1分，上限20分", "无故缺席会议、培训或活动每次扣5分"."""
    text = f"{spec.label}每{spec.unit}{'扣' if spec.is_deduction else ''}{_fmt(spec.points)}分"
    return text + (f"，上限{_fmt(spec.cap)}分" if spec.cap is not None else "")


def fmt_points(value: Decimal) -> str:
    return _fmt(value)


def competition_ranks(totals: list[Decimal]) -> list[int]:
    """The ranks of totals in descending order: equal totals share a rank, the next rank skips (1, 2, 2, 4)."""
    ranks, previous, rank = [], None, 0
    for index, total in enumerate(totals, start=1):
        if total != previous:
            rank, previous = index, total
        ranks.append(rank)
    return ranks


def ranked(scope: list[tuple[int, str, str]], totals: dict[int, Decimal]) -> list[tuple[int, Decimal, int]]:
    """(deputy id, total, rank) of the deputies in `scope` (id, township code, name), ordered as the points list is:
    total descending, then township code, name and id (code point order, as the database's "C" collation)."""
    order = [pk for pk, _code, _name in sorted(scope, key=lambda d: (-totals[d[0]], d[1], d[2], d[0]))]
    ranks = competition_ranks([totals[pk] for pk in order])
    return [(pk, totals[pk], rank) for pk, rank in zip(order, ranks, strict=True)]
