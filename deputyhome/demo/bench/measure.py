"""Timing pages as each persona, interleaved: every round opens every persona's pages and the floor once, so
that a slow minute of the machine falls on all pages alike; the median of the rounds is the figure.

Query counts come from one pass under CaptureQueriesContext (they do not vary between rounds); the timed
rounds run without it, so that the capture's own cost is not in the times.

Python's cyclic garbage collector is paused while a round runs (as `timeit` does) and run between personas, timed
on its own (`collections_ms`). Left on, a full collection (~100 ms over this process's heap) fell on whichever
request crossed its threshold, and since every round repeats the same requests, on the same page round after
round: the median then measured the collector, not the page (a unit's scorecard 15 → 23×, another page 90×).
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from deputyhome.accounts.models import User

from .pages import FLOOR, discover


@dataclass
class Page:
    persona: str
    url: str
    status: int = 0
    queries: int = 0
    bytes: int = 0
    first_s: float = 0.0  # the time of the first opening (with the query capture), which decides "slow"
    times: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000 if self.times else 0.0


def _host() -> str:
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"]
    return "localhost" if "localhost" in hosts or not hosts else hosts[0]


def _client(user: User) -> Client:
    # A page that fails (a 500, or a query stopped by the statement timeout) is recorded with its status.
    client = Client(HTTP_HOST=_host(), raise_request_exception=False)
    client.force_login(user)
    return client


def _body_size(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure_pages(
    *,
    personas: dict[str, User],
    year: int,
    rounds: int,
    slow: float = 5.0,
    timeout: float = 0,
    log=lambda _m: None,
    collections: list[float] | None = None,
) -> tuple[list[Page], list[float]]:
    """Every persona's pages timed `rounds` times, interleaved with the floor; (pages, floor times). The garbage
    collections run between personas are appended to `collections` (seconds each).

    `timeout` (seconds, PostgreSQL only) stops any one query that runs longer, so that a page that would take
    minutes at this scale answers 500 after it and the run goes on; 0 for none."""
    if timeout and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(int(timeout * 1000))])
    # The bench logs in without the second factor (force_login), as the local demo does.
    with override_settings(OTP_REQUIRED=False):
        clients = {name: _client(user) for name, user in personas.items()}
        pages: list[Page] = []
        for name, client in clients.items():

            def visit(url: str, name: str = name, client: Client = client) -> HttpResponse:
                page = Page(persona=name, url=url)
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, secure=True)
                    page.bytes = _body_size(response)
                page.first_s = time.perf_counter() - started
                page.status, page.queries = response.status_code, len(queries)
                pages.append(page)
                return response

            found = discover(visit, year, name)
            log(f"{name}: {len(found)} pages")
        floor: list[float] = []
        timed = [p for p in pages if p.status == 200]
        collected = collections if collections is not None else []
        gc.disable()
        try:
            _rounds(clients, timed, floor, rounds, slow, collected, log)
        finally:
            gc.enable()
    return pages, floor


def _rounds(
    clients: dict[str, Client],
    timed: list[Page],
    floor: list[float],
    rounds: int,
    slow: float,
    collected: list[float],
    log,
) -> None:
    for r in range(rounds):
        for name, client in clients.items():
            started = time.perf_counter()
            gc.collect()
            collected.append(time.perf_counter() - started)
            # A collection walks the whole heap and leaves the processor's caches cold: the first request after it
            # is slower. One untimed request first, so that the floor is not measured cold (nor any page).
            _time(client, FLOOR)
            floor.append(_time(client, FLOOR))
            for page in (p for p in timed if p.persona == name):
                # A page slower than `slow` seconds at its first opening is not opened again: that opening
                # is its one sample (the capture's cost is small beside seconds; a province's run stays short).
                if page.first_s >= slow:
                    if r == 0:
                        page.times.append(page.first_s)
                else:
                    page.times.append(_time(client, page.url))
        log(f"round {r + 1}/{rounds} done")


def _time(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url, secure=True)
    _body_size(response)
    return time.perf_counter() - started
