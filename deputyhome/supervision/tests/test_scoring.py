"""The pure scoring: each rule, caps, empty denominators, rounding, and the breakdown adding up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from deputyhome.supervision import scoring
from deputyhome.supervision.scoring import DEFAULT_ITEMS, ItemSpec, SuggestionFacts, score

D = Decimal


def perfect(key: int, **changes) -> SuggestionFacts:
    base = {
        "key": key,
        "label": f"第{key}号",
        "on_time": True,
        "consulted_before_reply": True,
        "first_reply_accepted": True,
        "result_weight": D("1"),
        "final_satisfaction": "satisfied",
    }
    return SuggestionFacts(**{**base, **changes})


def assert_adds_up(card: scoring.Scorecard) -> None:
    for item in card.items:
        if not item.not_applicable:
            assert sum(item.contributions.values(), D(0)) == item.earned, item.rule
    rows = card.rows()
    assert sum((r.total for r in rows), D(0)) + card.not_applicable_points == card.raw_total
    assert card.raw_total == sum((i.earned for i in card.items), D(0))


def test_rules_match_the_model_choices():
    from deputyhome.supervision.choices import ScoringRule

    assert set(scoring.RULES) == set(ScoringRule.values)
    assert {spec.rule: spec.label for spec in DEFAULT_ITEMS} == {r.value: r.label for r in ScoringRule}


def test_default_scheme_base_items_make_100():
    assert sum(i.points for i in DEFAULT_ITEMS if i.kind == scoring.RATE) == 100
    card = score([perfect(1)], DEFAULT_ITEMS)
    assert card.full_marks == D("100.00")
    assert card.max_total == D("100.00")


def test_all_perfect_scores_full_marks():
    card = score([perfect(1), perfect(2)], DEFAULT_ITEMS)
    assert card.total == D("100.00")
    assert card.deductions == card.bonus == 0
    assert all(i.ratio == 1 for i in card.items if i.kind == scoring.RATE)
    assert_adds_up(card)


def test_timeliness_is_the_share_on_time():
    facts = [perfect(1), perfect(2), perfect(3), perfect(4, on_time=False, overdue=True)]
    card = score(facts, DEFAULT_ITEMS)
    item = card.item(scoring.TIMELINESS)
    assert item.ratio == D("0.75") and item.earned == D("18.75") and item.applicable == 4
    assert item.contributions[4] == 0 and item.contributions[1] == D("6.25")
    assert card.item(scoring.OVERDUE_DEDUCTION).earned == D("-2.00")
    assert card.total == D("100") - D("6.25") - D("2")
    assert_adds_up(card)


def test_not_yet_replied_does_not_count_in_timeliness():
    card = score([perfect(1), perfect(2, on_time=None)], DEFAULT_ITEMS)
    item = card.item(scoring.TIMELINESS)
    assert item.applicable == 1 and item.earned == D("25.00")
    assert 2 not in item.contributions


def test_consultation_and_first_reply_accepted():
    facts = [perfect(1, consulted_before_reply=False), perfect(2, first_reply_accepted=False), perfect(3)]
    card = score(facts, DEFAULT_ITEMS)
    assert card.item(scoring.CONSULTATION).earned == D("13.33")  # 20 × 2/3
    assert card.item(scoring.REPLY_QUALITY).earned == D("10.00")  # 15 × 2/3
    assert_adds_up(card)


def test_result_uses_the_class_weight():
    facts = [perfect(1, result_weight=D("1")), perfect(2, result_weight=D("0.8")), perfect(3, result_weight=D("0.5"))]
    card = score(facts, DEFAULT_ITEMS)
    item = card.item(scoring.RESULT)
    assert item.earned == D("15.33")  # 20 × 2.3/3
    assert item.contributions == {1: D("6.67"), 2: D("5.33"), 3: D("3.33")}
    assert_adds_up(card)


@pytest.mark.parametrize(
    ("rating", "factor"),
    [("satisfied", "1"), ("basic", "0.8"), ("dissatisfied", "0"), ("no_response", "0.6")],
)
def test_satisfaction_factors(rating, factor):
    card = score([perfect(1, final_satisfaction=rating)], DEFAULT_ITEMS)
    assert card.item(scoring.SATISFACTION).earned == (D(20) * D(factor)).quantize(D("0.01"))
    assert scoring.SATISFACTION_FACTORS[rating] == D(factor)


def test_deductions_and_bonus_are_capped():
    facts = [
        perfect(k, on_time=False, overdue=True, finally_dissatisfied=True, final_satisfaction="dissatisfied")
        for k in range(1, 7)
    ]
    facts += [perfect(k, key_closed=True) for k in range(7, 14)]
    card = score(facts, DEFAULT_ITEMS)
    overdue = card.item(scoring.OVERDUE_DEDUCTION)
    assert overdue.applicable == 6 and overdue.earned == D("-10.00") and overdue.capped
    assert sum(overdue.contributions.values()) == D("-10.00")
    assert set(overdue.contributions.values()) <= {D("-1.66"), D("-1.67")}
    assert card.item(scoring.DISSATISFIED_DEDUCTION).earned == D("-10.00")
    bonus = card.item(scoring.KEY_CLOSED_BONUS)
    assert bonus.applicable == 7 and bonus.earned == D("5.00") and bonus.capped
    assert card.deductions == D("-20.00") and card.bonus == D("5.00")
    assert_adds_up(card)


def test_under_the_cap_each_suggestion_costs_its_points():
    card = score([perfect(1, overdue=True, on_time=False), perfect(2, key_closed=True)], DEFAULT_ITEMS)
    assert card.item(scoring.OVERDUE_DEDUCTION).contributions == {1: D("-2.00")}
    assert card.item(scoring.KEY_CLOSED_BONUS).contributions == {2: D("1.00")}
    assert not card.item(scoring.OVERDUE_DEDUCTION).capped


def test_empty_denominators_score_full_points_and_are_marked():
    card = score([], DEFAULT_ITEMS)
    assert card.total == D("100.00")
    assert all(i.not_applicable for i in card.items if i.kind == scoring.RATE)
    assert card.not_applicable_points == D("100.00")
    # Only assigned, nothing replied: only timeliness (not overdue yet: also n/a) …
    pending = SuggestionFacts(key=1)
    card = score([pending], DEFAULT_ITEMS)
    assert card.total == D("100.00") and card.rows()[0].total == 0
    assert_adds_up(card)


def test_total_is_clamped_at_zero():
    items = [*DEFAULT_ITEMS[:5], ItemSpec(scoring.OVERDUE_DEDUCTION, "逾期", D("30"), None)]
    facts = [
        SuggestionFacts(
            key=k,
            on_time=False,
            overdue=True,
            consulted_before_reply=False,
            first_reply_accepted=False,
            result_weight=D("0"),
            final_satisfaction="dissatisfied",
        )
        for k in range(1, 4)
    ]
    card = score(facts, items)
    assert card.raw_total == D("-90.00")
    assert card.total == D("0.00")
    assert_adds_up(card)


def test_upper_clamp_and_uncapped_bonus():
    items = [ItemSpec(scoring.TIMELINESS, "按期答复", D("10")), ItemSpec(scoring.KEY_CLOSED_BONUS, "加分", D("3"))]
    card = score([perfect(k, key_closed=True) for k in range(1, 4)], items)
    assert card.max_total == D("10.00") and card.raw_total == D("19.00") and card.total == D("10.00")
    capped = [items[0], ItemSpec(scoring.KEY_CLOSED_BONUS, "加分", D("3"), D("4"))]
    card = score([perfect(k, key_closed=True) for k in range(1, 4)], capped)
    assert card.max_total == D("10.00") and card.raw_total == D("14.00") and card.total == D("10.00")


def test_rounding_keeps_the_breakdown_exact():
    facts = [perfect(1), perfect(2), perfect(3, on_time=False, overdue=True)] + [perfect(k) for k in range(4, 8)]
    items = [ItemSpec(scoring.TIMELINESS, "按期答复", D("25"))]
    card = score(facts, items)
    item = card.item(scoring.TIMELINESS)
    assert item.earned == D("21.43")  # 25 × 6/7
    assert sum(item.contributions.values()) == item.earned
    assert sorted(set(item.contributions.values())) == [D("0"), D("3.57"), D("3.58")]
    assert_adds_up(card)


def test_scheme_points_change_the_score():
    facts = [perfect(1), perfect(2, on_time=False, overdue=True)]
    before = score(facts, DEFAULT_ITEMS).total
    heavier = [
        ItemSpec(i.rule, i.label, D("40") if i.rule == scoring.TIMELINESS else i.points, i.cap) for i in DEFAULT_ITEMS
    ]
    after = score(facts, heavier)
    assert before == D("85.50")
    assert after.full_marks == D("115.00") and after.total == D("93.00")  # 40 × ½ + 75 − 2


def test_unknown_rules_are_ignored_and_kind_of_refuses_them():
    card = score([perfect(1)], [*DEFAULT_ITEMS, ItemSpec("mystery", "？", D("5"))])
    assert card.item("mystery") is None
    with pytest.raises(ValueError):
        scoring.kind_of("mystery")


def test_rank_shares_places_on_ties():
    ranked = scoring.rank([("甲", D("90")), ("乙", D("95")), ("丙", D("90")), ("丁", D("80"))])
    assert [(place, who) for place, who, _ in ranked] == [(1, "乙"), (2, "甲"), (2, "丙"), (4, "丁")]


def test_a_bonus_never_lifts_the_total_above_full_marks():
    """市信访局 showed 101.00 against 满分 100: bonuses make up for lost points, never beyond full marks."""
    card = score([perfect(1, key_closed=True)], DEFAULT_ITEMS)
    assert card.raw_total == D("101.00") and card.bonus == D("1.00")
    assert card.total == D("100.00") == card.full_marks
    lost = score([perfect(1, key_closed=True, on_time=False), perfect(2)], DEFAULT_ITEMS)
    assert lost.total == lost.raw_total < D("100.00")


def test_a_result_weight_outside_zero_to_one_is_clamped():
    """A result class's 计分系数 is not validated on entry: 1.5 counts as 1 and −0.5 as 0."""
    items = [ItemSpec(scoring.RESULT, "办理结果", D("20"))]
    assert score([perfect(1, result_weight=D("1.5"))], items).item(scoring.RESULT).earned == D("20.00")
    assert score([perfect(1, result_weight=D("-0.5"))], items).item(scoring.RESULT).earned == D("0.00")
    mixed = score([perfect(1, result_weight=D("1.5")), perfect(2, result_weight=D("0.5"))], items)
    assert mixed.item(scoring.RESULT).earned == D("15.00")  # 20 × (1 + 0.5) / 2


def test_half_a_cent_rounds_up():
    facts = [perfect(1)] + [perfect(k, on_time=False, overdue=True) for k in range(2, 9)]
    card = score(facts, [ItemSpec(scoring.TIMELINESS, "按期答复", D("25"))])
    assert card.item(scoring.TIMELINESS).earned == D("3.13")  # 25 × 1/8 = 3.125


def test_a_deduction_that_just_reaches_its_cap_is_not_marked_capped():
    card = score([perfect(k, on_time=False, overdue=True) for k in range(1, 6)], DEFAULT_ITEMS)
    overdue = card.item(scoring.OVERDUE_DEDUCTION)
    assert overdue.earned == D("-10.00") and not overdue.capped
    card = score([perfect(k, on_time=False, overdue=True) for k in range(1, 7)], DEFAULT_ITEMS)
    assert card.item(scoring.OVERDUE_DEDUCTION).earned == D("-10.00") and card.item(scoring.OVERDUE_DEDUCTION).capped


def test_a_cent_left_over_goes_to_the_lowest_key():
    card = score([perfect(3), perfect(1), perfect(2)], [ItemSpec(scoring.TIMELINESS, "按期答复", D("10"))])
    assert card.item(scoring.TIMELINESS).contributions == {1: D("3.34"), 2: D("3.33"), 3: D("3.33")}


def totals_of(facts: list[SuggestionFacts]) -> scoring.UnitTotals:
    """The sums `ranking.unit_totals` reads from SQL, here from the facts themselves."""
    rates = {}
    for rule in scoring.RATE_RULES:
        values = [v for f in facts if (v := scoring.rate_value(rule, f)) is not None]
        rates[rule] = (sum(values, Fraction(0)), len(values))
    hits = {
        rule: sum(scoring.counts_for(rule, f) for f in facts)
        for rule in (*scoring.DEDUCTION_RULES, *scoring.BONUS_RULES)
    }
    return scoring.UnitTotals(lead_count=len(facts), rates=rates, hits=hits)


HEAVY_DEDUCTION = [*DEFAULT_ITEMS[:5], ItemSpec(scoring.OVERDUE_DEDUCTION, "逾期", D("30"), None)]
NOTHING_RIGHT = {
    "on_time": False,
    "overdue": True,
    "consulted_before_reply": False,
    "first_reply_accepted": False,
    "result_weight": D("0"),
    "final_satisfaction": "dissatisfied",
}


@pytest.mark.parametrize(
    ("facts", "items"),
    [
        pytest.param([], DEFAULT_ITEMS, id="nothing-led"),
        pytest.param([perfect(1, key_closed=True)], DEFAULT_ITEMS, id="bonus-above-full-marks"),
        pytest.param([SuggestionFacts(key=k, **NOTHING_RIGHT) for k in range(1, 4)], HEAVY_DEDUCTION, id="below-zero"),
        pytest.param([perfect(k, on_time=False, overdue=True) for k in range(1, 6)], DEFAULT_ITEMS, id="cap-reached"),
        pytest.param(
            [perfect(k, on_time=False, overdue=True, key_closed=True) for k in range(1, 8)], DEFAULT_ITEMS, id="capped"
        ),
        pytest.param(
            [perfect(1)] + [perfect(k, on_time=False, overdue=True) for k in range(2, 9)],
            DEFAULT_ITEMS,
            id="half-a-cent",
        ),
        pytest.param(
            [
                perfect(1, result_weight=D("1.5")),
                perfect(2, final_satisfaction="no_response", consulted_before_reply=None),
            ],
            DEFAULT_ITEMS,
            id="mixed",
        ),
    ],
)
def test_the_ranking_scores_the_totals_as_the_breakdown_scores_the_facts(facts, items):
    """The ranking page scores each unit from sums (`score_totals`); its card is the breakdown's, item by item."""

    def key(card: scoring.Scorecard):
        lines = [(i.rule, i.earned, i.applicable, i.ratio, i.not_applicable, i.capped) for i in card.items]
        return lines, card.full_marks, card.max_total, card.raw_total, card.total

    assert key(scoring.score_totals(totals_of(facts), items)) == key(score(facts, items))
