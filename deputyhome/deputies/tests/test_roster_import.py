"""The roster import as a service: all-or-nothing, tolerant reading, strict checking, update semantics."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from deputyhome.audit.models import AuditEvent
from deputyhome.deputies.choices import Gender, GroupRole
from deputyhome.deputies.models import Deputy, GroupMembership, Mandate
from deputyhome.deputies.roster import IMPORT_HEADERS, roster_import, roster_preview
from deputyhome.organisation.choices import CongressLevel
from deputyhome.organisation.models import Congress, DeputyGroup
from deputyhome.testing import make_id_number

from .test_roster_files import messy, messy_xlsx, people, plain_xlsx, roster_csv

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (
        Deputy.objects.count(),
        Mandate.objects.count(),
        GroupMembership.objects.count(),
        AuditEvent.objects.count(),
    )


def bad_roster(city):
    """205 messy rows; 5 of them (rows 10, 50, 99, 150, 200 as numbered in the sheet) are wrong."""
    persons = people(city, 205)
    rows = [messy(p, k) for k, p in enumerate(persons)]
    # The sheet has 3 rows above the data (title, subtitle, header): data row k is sheet row k + 4.
    bad = {
        6: ("身份证号", "校验码不正确"),
        46: ("所在小组", "没有名为「第九十九代表小组」的代表小组"),
        95: ("出生年月", "与身份证号中的出生年月"),
        146: ("性别", "「男性」无效"),
        196: ("代表层级", "不设乡级人民代表大会"),
    }
    good = {k: dict(rows[k]) for k in bad}
    id_number = str(rows[6]["身份证号"]).strip()
    last = id_number[-1].upper()
    rows[6]["身份证号"] = id_number[:-1] + ("0" if last != "0" else "1")
    rows[46]["所在小组"] = "第九十九代表小组"
    b = persons[95].birth
    rows[95]["出生年月"] = f"{b.year + 1}.{b.month:02d}"
    rows[146]["性别"] = "男性"
    rows[196]["代表层级"] = "市、乡"
    rows[196]["所在小组"] = city.group_a.name  # a street: no township congress
    return rows, bad, good


def test_five_bad_rows_among_200_good_write_nothing_then_the_corrected_file_imports_all(city, personas):
    rows, bad, good = bad_roster(city)
    before = counts()

    result = roster_import(content=messy_xlsx(rows), filename="名册.xlsx", actor=personas["city"])

    assert counts() == before
    assert not result.applied
    found = {(i.row, i.column) for i in result.issues}
    assert found == {(k + 4, column) for k, (column, _) in bad.items()}
    for issue in result.issues:
        column, text = bad[issue.row - 4]
        assert text in issue.message
        assert str(issue).startswith(f"第{issue.row}行「{column}」：")

    for k, cells in good.items():
        rows[k] = cells
    rows[196]["代表层级"] = "市"
    result = roster_import(content=messy_xlsx(rows), filename="名册.xlsx", actor=personas["city"])

    assert result.issues == []
    assert result.applied
    assert (result.created, result.updated, result.unchanged) == (205, 0, 0)
    d, m, g, a = counts()
    township_mandates = sum(1 for r in rows if "乡" in str(r["代表层级"]))
    assert d == before[0] + 205
    assert m == before[1] + 205 + township_mandates - sum(1 for r in rows if r["代表层级"] == "乡级")
    assert g == before[2] + 205
    event = AuditEvent.objects.get(action="roster.import")
    assert a == before[3] + 1  # one audit row for the whole import, one item per deputy under it
    assert event.items.count() == 205 == event.changes["items"]


def test_messy_values_are_stored_clean(city, personas):
    persons = people(city, 40)
    rows = [messy(p, k) for k, p in enumerate(persons)]
    result = roster_import(content=messy_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert result.applied, [str(i) for i in result.issues]
    for p in persons:
        d = Deputy.objects.get(id_number=p.id_number)
        assert d.name == p.name
        assert d.phone == f"139{p.index:08d}"
        assert d.ethnicity in ("土家族", "汉族")
        assert (d.birth_date.year, d.birth_date.month) == (p.birth.year, p.birth.month)
        assert d.gender == (Gender.MALE if p.gender == "男" else Gender.FEMALE)
        assert d.region == (city.township_b if p.group == city.group_b.name else city.township_a)
        membership = d.memberships.get()
        assert membership.group.name == p.group
        assert membership.role == GroupRole.MEMBER
        assert membership.start_date == timezone.localdate()
    assert any(p.id_number.endswith("X") for p in persons)  # the lowercase x case was exercised
    # Day given in the file → kept; only year and month → day 1.
    assert Deputy.objects.get(id_number=persons[5].id_number).birth_date == persons[5].birth
    assert Deputy.objects.get(id_number=persons[0].id_number).birth_date.day == 1


def test_mandates_start_with_the_congress_and_levels_map_to_congresses(city, personas):
    persons = people(city, 8)
    rows = [p.cells() for p in persons]
    result = roster_import(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert result.applied
    for p in persons:
        d = Deputy.objects.get(id_number=p.id_number)
        congresses = {m.congress for m in d.mandates.all()}
        expected = set()
        if "市" in p.levels:
            expected.add(city.city_congress)
        if "乡" in p.levels:
            expected.add(city.township_congress_b)
        assert congresses == expected
        assert all(m.start_date == datetime.date(2021, 10, 1) for m in d.mandates.all())
        assert all(m.constituency == f"第{p.index % 40 + 1}选区" for m in d.mandates.all())


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_imports_in_both_encodings(city, personas, encoding):
    persons = people(city, 30)
    rows = [messy(p, k) for k, p in enumerate(persons)]
    result = roster_import(content=roster_csv(rows, encoding), filename="名册.csv", actor=personas["city"])
    assert result.applied, [str(i) for i in result.issues]
    assert result.created == 30
    assert Deputy.objects.filter(id_number__in=[p.id_number for p in persons]).count() == 30
    assert Deputy.objects.get(id_number=persons[4].id_number).name == persons[4].name


def test_csv_errors_name_the_line(city, personas):
    persons = people(city, 10)
    rows = [p.cells() for p in persons]
    rows[3]["联系电话"] = "12345"
    result = roster_preview(content=roster_csv(rows), filename="a.csv", actor=personas["city"])
    # Title line, empty line, header line: data row 3 is line 7.
    assert [(i.row, i.column) for i in result.issues] == [(7, "联系电话")]
    assert "联系电话格式不正确" in result.issues[0].message


def test_preview_writes_nothing(city, personas):
    rows = [p.cells() for p in people(city, 20)]
    before = counts()
    result = roster_preview(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert result.ok
    assert result.created == 20
    assert counts() == before


def test_duplicate_inside_the_file(city, personas):
    persons = people(city, 6)
    rows = [p.cells() for p in persons]
    rows.append(dict(rows[2]))
    rows[-1]["身份证号"] = rows[-1]["身份证号"].lower()
    result = roster_preview(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert [(i.row, i.column, i.message) for i in result.issues] == [(8, "身份证号", "与第4行的身份证号重复")]


def test_id_of_another_deputy_in_the_database(city, personas):
    existing = city.deputies_a[1]
    rows = [p.cells() for p in people(city, 3)]
    rows[1]["身份证号"] = existing.id_number
    rows[1]["出生年月"] = "1975.03"
    result = roster_import(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert not result.applied
    assert [str(i) for i in result.issues] == [f"第3行「身份证号」：身份证号已属于代表 {existing.name}"]


def test_required_values_and_formats(city, personas):
    persons = people(city, 4)
    rows = [p.cells() for p in persons]
    for header in ("姓名", "性别", "民族", "出生年月", "政治面貌", "代表层级", "所在小组", "身份证号"):
        rows[0][header] = "  "
    rows[1]["身份证号"] = "4228**********1234"
    rows[2]["代表层级"] = "县"
    rows[3]["联系电话"] = "0718-12"
    result = roster_preview(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    by_row: dict[int, set[str]] = {}
    for issue in result.issues:
        by_row.setdefault(issue.row, set()).add(issue.column)
    assert by_row[2] == {"姓名", "性别", "民族", "出生年月", "政治面貌", "代表层级", "所在小组", "身份证号"}
    assert by_row[3] == {"身份证号"}
    assert by_row[4] == {"代表层级"}
    assert by_row[5] == {"联系电话"}
    assert "脱敏" in next(i.message for i in result.issues if i.row == 3)


def test_township_column_must_match_the_group(city, personas):
    rows = [p.cells() for p in people(city, 4)]
    rows[0]["所属乡镇"] = city.township_a.name
    rows[1]["所属乡镇"] = city.township_b.name  # row 1 is in group A (六角亭街道)
    headers = [*IMPORT_HEADERS, "所属乡镇"]
    result = roster_preview(content=plain_xlsx(rows, headers), filename="a.xlsx", actor=personas["city"])
    assert [(i.row, i.column) for i in result.issues] == [(3, "所属乡镇")]
    assert "六角亭街道" in result.issues[0].message


def test_levels_need_a_current_congress(city, personas):
    rows = [p.cells() for p in people(city, 4)]
    rows[0]["代表层级"] = "州、市"
    result = roster_preview(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert [(i.row, i.column) for i in result.issues] == [(2, "代表层级")]
    assert "没有登记本届州级人民代表大会" in result.issues[0].message

    prefecture = Congress.objects.create(
        level=CongressLevel.PREFECTURE, term=8, name="恩施州第八届人民代表大会", start_date=None
    )
    result = roster_import(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert result.applied
    mandate = Mandate.objects.get(congress=prefecture)
    assert mandate.start_date == timezone.localdate()  # the congress has no start date


def test_township_officer_only_imports_their_own_groups(city, personas):
    rows = [p.cells() for p in people(city, 6)]  # rows 0-2 group A (六角亭街道), 3-5 group B
    result = roster_preview(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["township"])
    assert {(i.row, i.column, i.message) for i in result.issues} == {
        (r, "所在小组", "小组不在您的管辖范围内") for r in (5, 6, 7)
    }
    result = roster_import(content=plain_xlsx(rows[:3]), filename="a.xlsx", actor=personas["township"])
    assert result.applied
    assert result.created == 3


def test_township_officer_cannot_take_over_a_deputy_of_another_township(city, personas):
    other = city.deputies_b[1]
    rows = [
        {
            "姓名": other.name,
            "性别": other.get_gender_display(),
            "民族": other.ethnicity,
            "出生年月": "1975.03",
            "政治面貌": other.party,
            "代表层级": "市",
            "所在小组": city.group_a.name,
            "身份证号": other.id_number,
        }
    ]
    result = roster_preview(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["township"])
    assert [(i.column, i.message) for i in result.issues] == [("身份证号", "该身份证号的代表不在您的管辖范围内")]


def test_existing_deputy_is_updated_in_place(city, personas):
    deputy = city.deputies_b[2]  # city mandate only, group B
    row = {
        "姓名": deputy.name,
        "性别": deputy.get_gender_display(),
        "民族": "苗族",
        "出生年月": "1975.03",
        "政治面貌": deputy.party,
        "文化程度": deputy.education,
        "工作单位及职务": deputy.employer_title,
        "代表层级": "市、乡",
        "选区": "市：新选区；乡：第2选区",
        "所在小组": city.group_b.name,
        "联系电话": "13912345678",
        "身份证号": deputy.id_number,
    }
    preview = roster_preview(content=plain_xlsx([row]), filename="a.xlsx", actor=personas["city"])
    assert preview.ok
    assert (preview.created, preview.updated, preview.unchanged) == (0, 1, 0)
    labels = {c.label for c in preview.rows[0].changes}
    assert labels == {"民族", "联系电话", "代表资格", "选区（市级）"}

    result = roster_import(content=plain_xlsx([row]), filename="a.xlsx", actor=personas["city"])
    assert result.applied
    deputy.refresh_from_db()
    assert deputy.ethnicity == "苗族"
    assert deputy.phone == "13912345678"
    assert deputy.birth_date == datetime.date(1975, 3, 1)
    assert {m.congress: m.constituency for m in deputy.mandates.all()} == {
        city.city_congress: "新选区",
        city.township_congress_b: "第2选区",
    }
    # The same membership continues: no new one, role unchanged.
    assert deputy.memberships.count() == 1

    again = roster_import(content=plain_xlsx([row]), filename="a.xlsx", actor=personas["city"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def _required_columns(deputy, group, *, born: str = "1975.03", levels: str = "市") -> dict[str, str]:
    """A roster row of the required columns only, for a deputy already on the roster."""
    return {
        "姓名": deputy.name,
        "性别": deputy.get_gender_display(),
        "民族": deputy.ethnicity,
        "出生年月": born,
        "政治面貌": deputy.party,
        "代表层级": levels,
        "所在小组": group.name,
        "身份证号": deputy.id_number,
    }


def test_moving_a_deputy_to_another_group(city, personas):
    deputy = city.deputies_a[2]
    new_group = DeputyGroup.objects.create(name="六角亭街道第二代表小组", station=city.station_a)
    row = _required_columns(deputy, new_group)
    result = roster_import(content=plain_xlsx([row]), filename="a.xlsx", actor=personas["city"])
    assert result.applied, [str(i) for i in result.issues]
    assert result.updated == 1
    today = timezone.localdate()
    old, new = deputy.memberships.order_by("start_date")
    assert old.group == city.group_a and old.end_date == today - datetime.timedelta(days=1)
    assert new.group == new_group and new.start_date == today and new.end_date is None


def test_import_never_ends_a_mandate(city, personas):
    deputy = city.deputies_b[0]  # city and township mandates
    row = _required_columns(deputy, city.group_b)
    result = roster_preview(content=plain_xlsx([row]), filename="a.xlsx", actor=personas["city"])
    assert [i.column for i in result.issues] == ["代表层级"]
    assert "白杨坪镇第十九届人民代表大会" in result.issues[0].message


def test_absent_optional_columns_are_not_compared(city, personas):
    deputy = city.deputies_a[1]
    headers = ["姓名", "性别", "民族", "出生年月", "政治面貌", "代表层级", "所在小组", "身份证号"]
    row = _required_columns(deputy, city.group_a, born="1975年3月", levels="市级")
    result = roster_import(content=plain_xlsx([row], headers), filename="a.xlsx", actor=personas["city"])
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_large_roster_checks_with_a_constant_number_of_queries(city, personas, django_assert_max_num_queries):
    small = plain_xlsx([p.cells() for p in people(city, 20)])
    large = plain_xlsx([p.cells() for p in people(city, 1338)])
    with django_assert_max_num_queries(12):
        assert roster_preview(content=small, filename="a.xlsx", actor=personas["city"]).ok
    with django_assert_max_num_queries(20):  # existing deputies are looked up in chunks of 500
        assert roster_preview(content=large, filename="a.xlsx", actor=personas["city"]).ok


def test_1338_deputies_import(city, personas):
    rows = [p.cells() for p in people(city, 1338)]
    result = roster_import(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert result.applied
    assert result.created == 1338
    assert Deputy.objects.count() == 1338 + 8
    again = roster_preview(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1338)


def test_id_number_read_as_a_number_gets_a_hint(city, personas):
    rows = [p.cells() for p in people(city, 2)]
    id_number = make_id_number(7, datetime.date(1980, 5, 6), area="422822")
    rows[0]["身份证号"] = float(id_number[:17] + "0")  # what Excel keeps of a number typed into a General cell
    rows[0]["出生年月"] = "1980.05"
    result = roster_preview(content=plain_xlsx(rows), filename="a.xlsx", actor=personas["city"])
    assert [i.column for i in result.issues] == ["身份证号"]
    assert "设为文本" in result.issues[0].message
