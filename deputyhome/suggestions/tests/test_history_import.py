"""Importing past years' ledgers: all or nothing, row-and-column messages, a unit-name mapping step."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from deputyhome.audit.models import AuditEvent
from deputyhome.suggestions.models import HistoricalSuggestion
from deputyhome.suggestions.services.history_import import HistoryFileError, history_check, history_import

HEADER = ["序号", "年份", "编号", "标题", "内容", "领衔代表", "主办单位", "协办单位", "类别", "答复类别"]


def xlsx(rows, header=HEADER, title_row=True) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title_row:
        ws.append(["2025年市人大代表建议交办清单"])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    [
        1,
        2025,
        1,
        "关于西门社区老旧小区改造的建议",
        "管网老化",
        "张三",
        "市住房和城乡建设局",
        "市人民法院",
        "城乡建设与管理",
        "A",
    ],
    [2, "2025年", "第2号", "关于破解执行难的建议", "", "李四", "市人民法院", "", "政法与社会治理", "B类"],
]


@pytest.mark.django_db
def test_a_good_ledger_is_imported_with_co_units_and_audit(city, people, categories):
    created = history_import(content=xlsx(GOOD), filename="2025交办清单.xlsx", actor=people["city"])
    assert len(created) == 2
    first = HistoricalSuggestion.objects.get(number=1)
    assert first.lead_unit == city.unit_a and list(first.co_units.all()) == [city.unit_b]
    assert first.result_class.code == "A" and first.category.name == "城乡建设与管理"
    assert HistoricalSuggestion.objects.get(number=2).result_class.code == "B"
    assert AuditEvent.objects.filter(action="suggestions.history_import").count() == 1
    with pytest.raises(HistoryFileError, match="已导入过"):
        history_import(content=xlsx(GOOD), filename="again.xlsx", actor=people["city"])
    assert HistoricalSuggestion.objects.count() == 2


@pytest.mark.django_db
def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(city, people, categories):
    rows = [
        GOOD[0],
        [2, "明年", 2, "", "", "", "市人民法院", "", "不存在的类", "Z"],
        [3, 2025, 1, "重复编号", "", "", "市人民法院", "", "", ""],
    ]
    plan = history_check(content=xlsx(rows), filename="x.xlsx")
    text = "；".join(plan.errors)
    assert "第4行「标题」：不能为空" in text
    assert "第4行「年份」" in text
    assert "第4行「类别」：没有名为“不存在的类”的分类" in text
    assert "第4行「答复类别」" in text
    assert "第5行「编号」：2025年第1号与第3行重复" in text
    with pytest.raises(HistoryFileError):
        history_import(content=xlsx(rows), filename="x.xlsx", actor=people["city"])
    assert HistoricalSuggestion.objects.count() == 0


@pytest.mark.django_db
def test_renamed_units_go_through_a_mapping_step(city, people, categories):
    rows = [[1, 2024, 1, "关于执行难的建议", "", "", "市法院", "市建设局", "", ""]]
    plan = history_check(content=xlsx(rows), filename="x.xlsx")
    assert plan.unknown_units == ["市法院", "市建设局"] and not plan.ok
    with pytest.raises(HistoryFileError, match="市法院"):
        history_import(content=xlsx(rows), filename="x.xlsx", actor=people["city"])
    mapping = {"市法院": city.unit_b.pk, "市建设局": city.unit_a.pk}
    assert history_check(content=xlsx(rows), filename="x.xlsx", mapping=mapping).ok
    (h,) = history_import(content=xlsx(rows), filename="x.xlsx", actor=people["city"], mapping=mapping)
    assert h.lead_unit == city.unit_b and list(h.co_units.all()) == [city.unit_a]


@pytest.mark.django_db
def test_files_that_are_not_ledgers_are_refused_whole(city, people):
    with pytest.raises(HistoryFileError, match=".xlsx"):
        history_check(content=b"a,b", filename="x.csv")
    with pytest.raises(HistoryFileError, match="没有找到表头"):
        history_check(content=xlsx([["x"]], header=["甲", "乙"]), filename="x.xlsx")
    with pytest.raises(HistoryFileError, match="缺少必需的列"):
        history_check(content=xlsx([], header=["标题", "内容", "类别"]), filename="x.xlsx")
    with pytest.raises(HistoryFileError):
        history_check(content=b"not a zip", filename="x.xlsx")
    with pytest.raises(PermissionDenied):
        history_import(content=xlsx(GOOD), filename="x.xlsx", actor=people["township"])
