"""A register row's cells written by one tag (core.templatetags.registers) read as the template loop wrote them:
escaped, localized (numbers, dates), linked when the column links."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils.safestring import mark_safe

LOOP = Template(
    '{% for label, value, link in cells %}<td data-label="{{ label }}">{% if link %}<a href="{{ link }}">{{ value }}'
    "</a>{% else %}{{ value }}{% endif %}</td>{% endfor %}"
)
TAG = Template("{% load registers %}{% register_cells cells %}")


def test_the_tag_writes_what_the_loop_wrote():
    cells = [
        ("编号", "第12号", None),
        ("标题", '关于"老旧<小区>"&加装电梯的建议', "/suggestions/12/?a=1&b=2"),
        ("日期", datetime.date(2026, 3, 5), None),
        ("时间", datetime.datetime(2026, 3, 5, 9, 30), None),
        ("人数", 12345, ""),
        ("学时", Decimal("2.50"), None),
        ("比例", 0.985, None),
        ("重点", mark_safe("<b>★</b>"), None),
        ("无", "—", None),
        ('a"b', None, "/x/"),
    ]
    context = {"cells": cells}
    written = TAG.render(Context(context))
    assert written == LOOP.render(Context(context))
    assert "&lt;小区&gt;" in written and 'href="/suggestions/12/?a=1&amp;b=2"' in written and "<b>★</b>" in written


SORT = Template("{% load registers %}{% for c in columns %}{% sort_link c %}|{% endfor %}{{ columns|sortable }}")


def test_a_sort_link_turns_the_sort_round_and_keeps_the_filters():
    from deputyhome.core.crud import Column

    columns = [Column("姓名", str, "name"), Column("学时<小时>", str, "training_hours")]
    context = {"columns": columns, "sort": "name", "sort_query": "q=%E5%BC%A0&year=2026"}
    name, hours, sortable = SORT.render(Context(context)).split("|")
    assert name == '<a href="?q=%E5%BC%A0&amp;year=2026&amp;sort=-name" aria-current="true">姓名 ▲</a>'
    assert hours == '<a href="?q=%E5%BC%A0&amp;year=2026&amp;sort=training_hours">学时&lt;小时&gt;</a>'
    assert sortable == "True"
    name, hours, _ = SORT.render(Context({"columns": columns, "sort": "-training_hours"})).split("|")
    assert name == '<a href="?sort=name">姓名</a>'
    assert hours == '<a href="?sort=training_hours" aria-current="true">学时&lt;小时&gt; ▼</a>'
    assert SORT.render(Context({"columns": [Column("<姓名>", str)], "sort": "name"})) == "&lt;姓名&gt;|False"
