"""The pure parts of the roster import: birth months, levels, constituencies, names, headers."""

from __future__ import annotations

import datetime

import pytest

from deputyhome.deputies.roster import (
    BirthDateError,
    clean_name,
    clean_text,
    format_birth,
    format_constituency,
    format_levels,
    match_header,
    parse_birth,
    parse_constituency,
    parse_levels,
)
from deputyhome.organisation.choices import CongressLevel as L

D = datetime.date


@pytest.mark.parametrize(
    ("value", "date", "has_day"),
    [
        ("1975.03", D(1975, 3, 1), False),
        ("1975.3", D(1975, 3, 1), False),
        ("1975年3月", D(1975, 3, 1), False),
        ("1975年03月", D(1975, 3, 1), False),
        ("1975 年 3 月", D(1975, 3, 1), False),
        ("1975-03", D(1975, 3, 1), False),
        ("1975/3", D(1975, 3, 1), False),
        ("197503", D(1975, 3, 1), False),
        ("1975-03-15", D(1975, 3, 15), True),
        ("1975/3/15", D(1975, 3, 15), True),
        ("1975.03.15", D(1975, 3, 15), True),
        ("1975年3月15日", D(1975, 3, 15), True),
        ("19750315", D(1975, 3, 15), True),
        ("1975-03-15 00:00:00", D(1975, 3, 15), True),
        ("１９７５．０３", D(1975, 3, 1), False),
        (" 1975.10 ", D(1975, 10, 1), False),
        ("1975.03.", D(1975, 3, 1), False),
        (datetime.datetime(1975, 3, 15), D(1975, 3, 15), True),
        (datetime.datetime(1975, 3, 1), D(1975, 3, 1), False),
        (D(1975, 3, 15), D(1975, 3, 15), True),
        (27468, D(1975, 3, 15), True),  # Excel serial number
        (27468.0, D(1975, 3, 15), True),
        (27454, D(1975, 3, 1), False),
        ("27468", D(1975, 3, 15), True),
        (197503, D(1975, 3, 1), False),
        (19750315, D(1975, 3, 15), True),
        (1975.03, D(1975, 3, 1), False),
        (1975.12, D(1975, 12, 1), False),
        (1975.5, D(1975, 5, 1), False),
    ],
)
def test_birth_forms(value, date, has_day):
    birth = parse_birth(value)
    assert birth.date == date
    assert birth.has_day is has_day


def test_excel_number_1975_1_is_resolved_by_the_id_month():
    # Excel shows 1975.10 typed as a number as 1975.1: January or October?
    assert parse_birth(1975.1, D(1975, 10, 15)).date == D(1975, 10, 1)
    assert parse_birth(1975.1, D(1975, 1, 15)).date == D(1975, 1, 1)
    with pytest.raises(BirthDateError, match="分不清是1月还是10月"):
        parse_birth(1975.1)
    # As text it is unambiguous: January.
    assert parse_birth("1975.1").date == D(1975, 1, 1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "必填"),
        ("", "必填"),
        ("  ", "必填"),
        ("1975", "缺少月份"),
        ("1975年", "缺少月份"),
        (1975, "缺少月份"),
        ("1975.13", "月份不存在"),
        ("1975-02-30", "不是存在的日期"),
        ("1875.03", "不合理"),
        ("2999.03", "不合理"),
        ("三月", "无法识别"),
        ("75.03", "无法识别"),
        (True, "无法识别"),
        (1975.123, "无法识别"),
    ],
)
def test_birth_errors(value, message):
    with pytest.raises(BirthDateError, match=message):
        parse_birth(value)


def test_birth_matches_month_only_against_any_day():
    assert parse_birth("1975.03").matches(D(1975, 3, 15))
    assert not parse_birth("1975.03").matches(D(1975, 4, 1))
    assert parse_birth("1975-03-15").matches(D(1975, 3, 15))
    assert not parse_birth("1975-03-15").matches(D(1975, 3, 1))
    assert not parse_birth("1975.03").matches(None)


def test_format_birth_round_trips():
    for date in (D(1975, 3, 1), D(1975, 3, 15), D(1960, 12, 31)):
        assert parse_birth(format_birth(date)).date == date
    assert format_birth(D(1975, 3, 1)) == "1975.03"
    assert format_birth(D(1975, 3, 15)) == "1975.03.15"


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("市", [L.CITY]),
        ("市级", [L.CITY]),
        ("省人大代表", [L.PROVINCE]),
        ("省级人大代表", [L.PROVINCE]),
        ("市、乡", [L.CITY, L.TOWNSHIP]),
        ("乡,市", [L.CITY, L.TOWNSHIP]),
        ("州，市", [L.PREFECTURE, L.CITY]),
        ("州 市 乡", [L.PREFECTURE, L.CITY, L.TOWNSHIP]),
        ("乡镇级", [L.TOWNSHIP]),
        ("市、市", [L.CITY]),
        (" 省、州、市、乡 ", [L.PROVINCE, L.PREFECTURE, L.CITY, L.TOWNSHIP]),
    ],
)
def test_levels(text, levels):
    assert parse_levels(text) == levels


@pytest.mark.parametrize("text", ["", "全国", "县", "市乡", "湖北省"])
def test_levels_errors(text):
    with pytest.raises(ValueError, match="必填|无法识别"):
        parse_levels(text)


def test_format_levels():
    assert format_levels([L.TOWNSHIP, L.CITY]) == "市、乡"
    assert parse_levels(format_levels([L.TOWNSHIP, L.CITY, L.PROVINCE])) == [L.PROVINCE, L.CITY, L.TOWNSHIP]


def test_constituency_plain_and_per_level():
    assert parse_constituency("第3选区", [L.CITY, L.TOWNSHIP]) == {L.CITY: "第3选区", L.TOWNSHIP: "第3选区"}
    assert parse_constituency("市：第3选区；乡：第5选区", [L.CITY, L.TOWNSHIP]) == {
        L.CITY: "第3选区",
        L.TOWNSHIP: "第5选区",
    }
    assert parse_constituency("市级:第3选区", [L.CITY, L.TOWNSHIP]) == {L.CITY: "第3选区", L.TOWNSHIP: ""}
    with pytest.raises(ValueError, match="不在代表层级中"):
        parse_constituency("州：第1选区", [L.CITY])


@pytest.mark.parametrize(
    "by_level",
    [
        {L.CITY: "第3选区", L.TOWNSHIP: "第3选区"},
        {L.CITY: "第3选区", L.TOWNSHIP: ""},
        {L.CITY: "第3选区", L.TOWNSHIP: "第5选区"},
        {L.CITY: ""},
        {},
    ],
)
def test_constituency_round_trip(by_level):
    text = format_constituency(by_level)
    assert parse_constituency(clean_text(text), list(by_level)) == by_level


def test_names_and_text():
    assert clean_name(" 张 三 ") == "张三"
    assert clean_name("张\u3000三") == "张三"
    assert clean_name("阿依古丽・买买提") == "阿依古丽·买买提"
    assert clean_text("恩施市  某局\u200b 局长 ") == "恩施市 某局 局长"
    assert clean_text("ＡＢＣ１２３") == "ABC123"
    assert clean_text(13800001234.0) == "13800001234"


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("姓名", "name"),
        ("姓 名", "name"),
        ("联系电话 ", "phone"),
        ("身份证号码", "id_number"),
        ("公民身份号码", "id_number"),
        ("出生年月日", "birth"),
        ("出生日期", "birth"),
        ("出生年月（例：1975.03）", "birth"),
        ("*代表层级", "levels"),
        ("所属乡镇（街道）", "township"),
        ("序号", None),
        (None, None),
    ],
)
def test_header_aliases(header, key):
    assert match_header(header) == key
