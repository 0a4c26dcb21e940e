"""The register of suggestions (登记册) as an .xlsx workbook."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import Any

from django.db import connections
from django.db.models import QuerySet

from deputyhome.core.exports import CHUNK, ExportFile, ListExport

from .choices import AssignmentStatus, Satisfaction, State
from .models import Assignment, CoSigner, Evaluation, Suggestion

HEADER = [
    "年度",
    "会议",
    "编号",
    "标题",
    "领衔代表",
    "联名代表",
    "分类",
    "主办单位",
    "协办单位",
    "交办日期",
    "办理期限",
    "状态",
    "答复日期",
    "办理结果",
    "满意度",
    "重点督办",
]


COLUMNS = (
    "pk",
    "year",
    "session__name",
    "number",
    "title",
    "author__name",
    "category__name",
    "assigned_on",
    "due_on",
    "state",
    "replied_on",
    "result_class__code",
    "is_key",
    "round",
)


# The columns the register may be sorted by: integers (and the session's id), so that the merge below can compare
# two positions in Python exactly as the database sorts them.
SORT_KEYS = {"year": "year", "session_id": "session_id", "number": "number", "pk": "id", "id": "id"}


def _ordering(qs: QuerySet[Suggestion]) -> list[tuple[str, bool]]:
    """The export's ordering as (column, descending), ended by the primary key so that it is total (two
    suggestions of one year and session may share a number: different congresses)."""
    order: list[tuple[str, bool]] = []
    for item in qs.query.order_by or Suggestion._meta.ordering:
        name = item.lstrip("-") if isinstance(item, str) else ""
        if name not in SORT_KEYS:
            raise ValueError(f"the register cannot be sorted by {item!r}")
        order.append((SORT_KEYS[name], item.startswith("-")))
    if ("id", False) not in order and ("id", True) not in order:
        order.append(("id", False))
    return order


def _position(order: list[tuple[str, bool]], nulls_largest: bool):
    """A function giving a row's sort values a position that Python compares as the database sorts (NULLs
    last in ascending order where the database takes them as the largest, first otherwise)."""
    high, low = (1, 0), (-1, 0)
    null = [
        (low if descending else high) if nulls_largest else (high if descending else low) for _, descending in order
    ]
    signs = [-1 if descending else 1 for _, descending in order]

    def position(values: tuple) -> tuple:
        return tuple(n if v is None else (0, s * v) for v, n, s in zip(values, null, signs, strict=True))

    return position


class _Merged:
    """A related table's rows in the export's order of suggestions, taken suggestion by suggestion: `of(key)`
    gives the rows of the suggestion at sort values `key` (its primary key last). One query with its own
    server-side cursor, so memory holds a chunk of it whatever the number of rows.

    Each query reads its own snapshot: a suggestion registered or renumbered between the queries shows in one
    stream and not in another, or elsewhere; its related rows are passed over (found behind the suggestion
    being written), never taken for another one."""

    __slots__ = ("_head", "_last", "_position", "_rows", "_stream")

    def __init__(self, related: QuerySet, qs: QuerySet[Suggestion], order: list[tuple[str, bool]], columns, position):
        keys = [f"suggestion__{name}" for name, _ in order]
        then = related.query.order_by  # the related rows' own order, within a suggestion
        related = related.filter(suggestion__in=qs.order_by().values("pk"))
        related = related.order_by(*(f"-{k}" if desc else k for k, (_, desc) in zip(keys, order, strict=True)), *then)
        width = len(keys)
        rows = related.values_list(*keys, *columns).iterator(chunk_size=CHUNK)
        self._stream = ((k, [r[width:] for r in g]) for k, g in groupby(rows, key=lambda r: r[:width]))
        self._position, self._last = position, (None, [])
        self._head, self._rows = next(self._stream, (None, []))

    def of(self, key: tuple) -> list[tuple]:
        if key == self._last[0]:  # the same suggestion twice in a row (a filter that joins): the same rows
            return self._last[1]
        while self._head is not None:
            if self._head == key:
                self._last = (key, self._rows)
                self._head, self._rows = next(self._stream, (None, []))
                return self._last[1]
            if self._position(self._head) > self._position(key):
                return []  # its rows come later: none for this suggestion
            self._head, self._rows = next(self._stream, (None, []))  # a suggestion the main query did not see
        return []


def register_rows(qs: QuerySet[Suggestion]) -> Iterator[list[Any]]:
    """The register's rows, streamed: the suggestions in the export's order, and their units, co-signers and
    evaluations each in one query sorted the same way, merged as they come (four queries whatever the number of
    rows, no look-up per chunk or per row, no model objects)."""
    # The labels in the request's language, looked up once, not once per row.
    result_labels = {k: str(v) for k, v in Satisfaction.choices}
    state_labels = {k: str(v) for k, v in State.choices}
    qs = qs.prefetch_related(None)
    order = _ordering(qs)
    position = _position(order, connections[qs.db].features.nulls_order_largest)
    units = _Merged(
        Assignment.objects.filter(status=AssignmentStatus.ACTIVE).order_by("-role", "id"),
        qs,
        order,
        ("unit__name", "role"),
        position,
    )
    cosigners = _Merged(
        CoSigner.objects.filter(confirmed_at__isnull=False).order_by("id"), qs, order, ("deputy__name",), position
    )
    evaluations = _Merged(
        Evaluation.objects.order_by("round", "id"),
        qs,
        order,
        ("round", "deputy__name", "no_response", "result"),
        position,
    )
    n = len(COLUMNS)
    main = qs.order_by(*(f"-{name}" if desc else name for name, desc in order))
    for row in main.values_list(*COLUMNS, *(name for name, _ in order)).iterator(chunk_size=CHUNK):
        _, year, session, number, title, author, category, assigned, due, state, replied, result, key, rnd = row[:n]
        at = row[n:]  # the sort values, the id last
        active = units.of(at)
        last = [e for e in evaluations.of(at) if e[0] == rnd]
        yield [
            year,
            session or "闭会期间",
            number,
            title,
            author,
            "、".join([c[0] for c in cosigners.of(at)]),
            category or "",
            "、".join([name for name, role in active if role == "lead"]),
            "、".join([name for name, role in active if role == "co"]),
            assigned,
            due,
            state_labels.get(state, state),
            replied,
            f"{result}类" if result else "",
            # The latest round's results, per deputy: 张三：满意；李四：基本满意 (逾期未评价 where none came).
            "；".join(
                [f"{name}：{'逾期未评价' if none else result_labels.get(res, '')}" for _, name, none, res in last]
            ),
            "是" if key else "",
        ]


def register_file(*, qs: QuerySet[Suggestion], filters: dict[str, Any] | None = None) -> ExportFile:
    """The register as .xlsx, streamed (write-only); the download view (`core.exports.export_view`) writes
    the audit row."""
    widths = (6, 30, 6, 40, 10, 16, 14, 20, 20, 12, 12, 10, 12, 8, 24, 8)
    # 交办日期, 办理期限, 答复日期 as dates
    export = ListExport(
        "代表建议登记册", "建议登记册", HEADER, widths, dates=(9, 10, 12), print_titles=True, name="建议登记册"
    )
    for row in register_rows(qs):
        export.append(row)
    return export.file(filters)
