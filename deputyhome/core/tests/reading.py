"""Reading a page in a test: its answer (a 200 expected) and the SQL it ran, for the tests that count queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Reading:
    response: HttpResponse
    sql: list[str]

    @property
    def queries(self) -> int:
        return len(self.sql)

    @property
    def html(self) -> str:
        return self.response.content.decode()


def read(client: Any, url: str, params: dict | None = None, **headers: str) -> Reading:
    """GET `url` with `params` (and request `headers`): the answer, which must be a 200, and the SQL it ran."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {}, headers=headers)
    assert response.status_code == 200, url
    return Reading(response, [q["sql"] for q in ctx.captured_queries])


def queries(client: Any, url: str, params: dict | None = None, **headers: str) -> int:
    """How many queries the page at `url` runs (a 200 expected)."""
    return read(client, url, params, **headers).queries
