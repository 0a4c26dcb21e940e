"""Building roster files the way committees really keep them, and reading them back.

The builders here are shared by the other roster and ledger tests.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

import pytest
from openpyxl import Workbook, load_workbook

from deputyhome.deputies.roster import IMPORT_HEADERS, RosterFileError, read_table
from deputyhome.testing import make_id_number

SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜敏静丽强磊军洋"
AREA = "422822"  # not the area of build_small_city's deputies, so IDs never collide with them


@dataclass
class Person:
    """One deputy as a row of a roster, with the values the import should store."""

    index: int
    name: str
    gender: str
    birth: datetime.date
    id_number: str
    group: str
    levels: str
    phone: str

    def cells(self) -> dict[str, object]:
        return {
            "姓名": self.name,
            "性别": self.gender,
            "民族": "土家族" if self.index % 3 else "汉族",
            "出生年月": f"{self.birth:%Y.%m}",
            "政治面貌": "中共党员" if self.index % 2 else "群众",
            "文化程度": "大学",
            "工作单位及职务": f"恩施市某单位{self.index}号 职员",
            "代表层级": self.levels,
            "选区": f"第{self.index % 40 + 1}选区",
            "所在小组": self.group,
            "联系电话": f"139{self.index:08d}",
            "身份证号": self.id_number,
        }


def people(city, count: int, start: int = 0) -> list[Person]:
    """`count` valid deputies: group A rows first, then group B rows (so group cells can be merged)."""
    out = []
    for i in range(start, start + count):
        birth = datetime.date(1960 + i % 30, 1 + (i // 30) % 12, 1 + (i // 360) % 28)
        in_b = i >= start + count // 2
        group = city.group_b if in_b else city.group_a
        levels = ("市", "市、乡", "乡级", "市级人大代表")[i % 4] if in_b else ("市", "市级")[i % 2]
        name = SURNAMES[i % 10] + GIVEN[(i // 10) % 10] + GIVEN[(i // 100) % 10]
        out.append(
            Person(
                index=i,
                name=name,
                gender="男" if i % 2 else "女",
                birth=birth,
                id_number=make_id_number(i, birth, area=AREA),
                group=group.name,
                levels=levels,
                phone=f"139{i:08d}",
            )
        )
    assert len({p.id_number for p in out}) == len(out)
    return out


def messy(person: Person, k: int) -> dict[str, object]:
    """The same row written the way real spreadsheets are: mixed date forms, full-width, spaces, lowercase x."""
    cells = person.cells()
    b = person.birth
    forms = [
        f"{b:%Y.%m}",
        f"{b.year}年{b.month}月",
        f"{b:%Y-%m}",
        f"{b.year}/{b.month}",
        f"{b:%Y%m}",
        f"{b:%Y-%m-%d}",
        f"{b.year}年{b.month}月{b.day}日",
        datetime.datetime(b.year, b.month, b.day),
        int(f"{b:%Y%m}"),
        (b - datetime.date(1899, 12, 30)).days,  # an Excel serial number
        f"{b:%Y.%m}".replace("0", "０").replace("1", "１"),  # full-width digits
    ]
    cells["出生年月"] = forms[k % len(forms)]
    if len(person.name) == 3 and k % 4 == 0:
        cells["姓名"] = f" {person.name[0]} {person.name[1:]} "
    if k % 5 == 0:
        cells["联系电话"] = cells["联系电话"].replace("9", "９") + " "
    if k % 7 == 0:
        cells["所在小组"] = f" {person.group} "
        cells["民族"] = "土家族\u3000"
    cells["身份证号"] = person.id_number.lower() if person.id_number.endswith("X") else person.id_number
    if k % 6 == 0:
        cells["身份证号"] = " " + cells["身份证号"].replace("1", "１") + " "
    return cells


# Column order as a committee might have it, with tolerant header spellings.
MESSY_HEADERS = {
    "身份证号": "身份证号码",
    "联系电话": "联系电话 ",
    "出生年月": "出生年月日",
    "代表层级": "代表层级（省/州/市/乡）",
    "姓名": "姓 名",
}
MESSY_ORDER = [
    "姓名",
    "性别",
    "出生年月",
    "民族",
    "政治面貌",
    "文化程度",
    "身份证号",
    "工作单位及职务",
    "代表层级",
    "所在小组",
    "选区",
    "联系电话",
]


def messy_xlsx(rows: list[dict[str, object]], *, merge_groups: bool = True) -> bytes:
    """An .xlsx with two title rows (one merged), shuffled tolerant headers and merged group cells."""
    wb = Workbook()
    ws = wb.active
    ws.append(["恩施市第十一届人民代表大会代表名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(MESSY_ORDER))
    ws.append(["填报单位：恩施市人大常委会代工委", None, None, None, None, None, None, None, "填报日期：2026年11月"])
    ws.append([MESSY_HEADERS.get(h, h) for h in MESSY_ORDER])
    first = 4
    for cells in rows:
        ws.append([cells.get(h) for h in MESSY_ORDER])
    if merge_groups:
        # Merge the 所在小组 cells of runs of equal groups, the way rosters are printed.
        col = MESSY_ORDER.index("所在小组") + 1
        run_start = first
        for r in range(first, first + len(rows) + 1):
            this = ws.cell(row=r, column=col).value if r < first + len(rows) else object()
            start_value = ws.cell(row=run_start, column=col).value
            if this != start_value or r - run_start == 6:
                if r - 1 > run_start:
                    ws.merge_cells(start_row=run_start, start_column=col, end_row=r - 1, end_column=col)
                run_start = r
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def plain_xlsx(rows: list[dict[str, object]], headers: list[str] | None = None) -> bytes:
    headers = headers or IMPORT_HEADERS
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for cells in rows:
        ws.append([cells.get(h) for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def roster_csv(rows: list[dict[str, object]], encoding: str = "utf-8-sig", title: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if title:
        writer.writerow(["恩施市人大代表名册"])
        writer.writerow([])
    writer.writerow([MESSY_HEADERS.get(h, h) for h in MESSY_ORDER])
    for cells in rows:
        values = []
        for h in MESSY_ORDER:
            v = cells.get(h)
            if isinstance(v, datetime.datetime):
                v = f"{v:%Y-%m-%d %H:%M:%S}"
            values.append("" if v is None else str(v))
        writer.writerow(values)
    return out.getvalue().encode(encoding)


def xlsx_rows(content: bytes) -> list[list[object]]:
    wb = load_workbook(io.BytesIO(content))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


# ---------------------------------------------------------------------------
# Reading files (no database needed)


def test_header_found_below_title_rows_and_merged_cells_filled():
    wb = Workbook()
    ws = wb.active
    ws.append(["恩施市人大代表名册"])
    ws.merge_cells("A1:L1")
    ws.append([])
    ws.append(["序号", "姓 名", "性别", "民族", "出生日期", "政治面貌", "代表层级", "所在小组", "身份证号码"])
    ws.append([1, "张三", "男", "土家族", "1975.03", "群众", "市", "甲组", "x"])
    ws.append([2, "李四", "女", "汉族", "1975.03", "群众", "市", None, "y"])
    ws.merge_cells("H4:H5")
    buffer = io.BytesIO()
    wb.save(buffer)
    table = read_table(buffer.getvalue(), "名册.XLSX")
    assert table.columns["name"] == 1
    assert table.columns["birth"] == 4
    assert table.columns["id_number"] == 8
    assert [n for n, _ in table.rows] == [4, 5]
    assert table.rows[1][1][table.columns["group"]] == "甲组"
    assert table.letters["id_number"] == "I"


def test_empty_rows_are_skipped_and_numbers_kept():
    content = "姓名,性别,民族,出生年月,政治面貌,代表层级,所在小组,身份证号\n张三,男,汉族,1975.3,群众,市,甲组,1\n,,,,,,,\n\n李四,女,汉族,1975.3,群众,市,甲组,2\n"
    table = read_table(content.encode("utf-8"), "a.csv")
    assert [n for n, _ in table.rows] == [2, 5]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030", "utf-8"])
def test_csv_encodings(encoding):
    content = "姓名,性别,民族,出生年月,政治面貌,代表层级,所在小组,身份证号\n张三,男,土家族,1975.3,群众,市,甲组,1\n"
    table = read_table(content.encode(encoding), "a.csv")
    assert table.rows[0][1][0] == "张三"
    assert table.rows[0][1][2] == "土家族"


def test_full_width_headers_match():
    content = "姓名,性别,民族,出生年月（年.月）,政治面貌,代表层级,所在小组,身份证号码,联系电话　\n"
    content += "张三,男,汉族,1975.3,群众,市,甲组,1,1\n"
    table = read_table(content.encode("utf-8"), "a.csv")
    assert {"birth", "id_number", "phone"} <= table.columns.keys()


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"this is not a zip file at all", "roster.xlsx", "不是有效的 .xlsx 文件"),
        (b"PK\x03\x04 broken zip", "roster.xlsx", "不是有效的 .xlsx 文件"),
        (b"", "roster.xlsx", "文件是空的"),
        (b"   \n", "roster.csv", "文件是空的"),
        (b"anything", "roster.txt", "只能导入 .xlsx 或 .csv 文件"),
        (b"\xd0\xcf\x11\xe0", "roster.xls", "不支持旧版 Excel"),
        (b"\x00\x01\x02binary", "roster.csv", "不是文本格式的 CSV"),
        ("姓名,性别\n张三,男\n".encode(), "roster.csv", "没有找到表头"),
        ("姓名,性别,民族\n张三,男,汉族\n".encode(), "roster.csv", "缺少必需的列"),
        (
            "姓名,性别,民族,出生年月,政治面貌,身份证号\n张三,男,汉族,1975.3,群众,1\n".encode(),
            "roster.csv",
            "缺少必需的列",
        ),
        ("姓名,性别,民族,出生年月,政治面貌,代表层级,所在小组,身份证号\n".encode(), "roster.csv", "没有数据行"),
        (
            "姓名,姓名,民族,出生年月,政治面貌,代表层级,所在小组,身份证号\n1,2,3,4,5,6,7,8\n".encode(),
            "a.csv",
            "出现了两次",
        ),
    ],
)
def test_bad_files_give_chinese_messages(content, filename, expected):
    with pytest.raises(RosterFileError) as exc:
        read_table(content, filename)
    assert expected in str(exc.value)


def test_missing_columns_are_named():
    content = "姓名,性别,民族,出生年月,政治面貌,身份证号\n张三,男,汉族,1975.3,群众,1\n".encode()
    with pytest.raises(RosterFileError) as exc:
        read_table(content, "a.csv")
    assert "「代表层级」" in str(exc.value)
    assert "「所在小组」" in str(exc.value)
    assert "「姓名」" not in str(exc.value)


def test_size_and_row_limits(settings):
    content = (
        "姓名,性别,民族,出生年月,政治面貌,代表层级,所在小组,身份证号\n" + "张三,男,汉族,1975.3,群众,市,甲组,1\n" * 5
    )
    settings.ROSTER_MAX_ROWS = 4
    with pytest.raises(RosterFileError, match="数据行过多"):
        read_table(content.encode(), "a.csv")
    settings.ROSTER_MAX_ROWS = 5
    assert len(read_table(content.encode(), "a.csv").rows) == 5
    settings.ROSTER_MAX_BYTES = 100
    with pytest.raises(RosterFileError, match="文件过大"):
        read_table(content.encode(), "a.csv")


def test_only_a_title_row_is_not_a_roster():
    wb = Workbook()
    wb.active.append(["恩施市人大代表名册"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(RosterFileError, match="没有找到表头"):
        read_table(buffer.getvalue(), "a.xlsx")
