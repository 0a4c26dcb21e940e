"""The cells of a register's row (core/_register_table.html) written in one tag: a template loop and an `if` for each
of a page's 200-odd cells took longer than the rest of the table."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def register_cells(context: template.Context, cells: list[tuple[Any, Any, Any]]) -> SafeString:
    """`<td data-label="label">value</td>` for each (label, value, link) of a row, the value in a link when it has
    one; each part shown as `{{ part }}` shows it (localized, escaped)."""
    out = []
    for label, value, link in cells:
        shown = render_value_in_context(value, context)
        if link:
            shown = f'<a href="{render_value_in_context(link, context)}">{shown}</a>'
        out.append(f'<td data-label="{render_value_in_context(label, context)}">{shown}</td>')
    return mark_safe("".join(out))  # noqa: S308 - every part escaped by render_value_in_context


@register.simple_tag(takes_context=True)
def sort_link(context: template.Context, column: Any) -> SafeString:
    """A column's label as the link that sorts the register by it: ascending, or descending when it is already the
    ascending sort; ▲ or ▼ beside the sort in force; the label alone for a column that does not sort. The table's
    header and, on a phone (no header), the sort bar above the cards both use it."""
    label = render_value_in_context(column.label, context)
    if not column.sort:
        return label
    sort, query = context.get("sort", ""), context.get("sort_query", "")
    arrow = " ▲" if sort == column.sort else " ▼" if sort == f"-{column.sort}" else ""
    href = f"?{query}&sort=" if query else "?sort="
    href += f"-{column.sort}" if sort == column.sort else column.sort
    current = ' aria-current="true"' if arrow else ""
    return mark_safe(f'<a href="{render_value_in_context(href, context)}"{current}>{label}{arrow}</a>')  # noqa: S308


@register.filter
def sortable(columns: list[Any]) -> bool:
    """Whether any of a register's columns sorts it (the phone's sort bar is shown only then)."""
    return any(c.sort for c in columns)
