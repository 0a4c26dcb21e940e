"""What the station norms' lists share: a share of those held to a norm who keep it, the townships where it is
lowest (the table by township of a list spanning several), and a list ordered by township as runs of its codes (how
the city's lists computed ahead are kept and narrowed to a township)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from deputyhome.organisation.models import Region

LOWEST = 20  # townships named in a table by township, the lowest rates first


@dataclass(frozen=True)
class Share:
    """Of `of` deputies or groups held to a norm, `met` keep it."""

    of: int
    met: int

    @property
    def missing(self) -> int:
        return self.of - self.met

    @property
    def rate(self) -> str:
        return f"{self.met / self.of:.1%}" if self.of else "—"


@dataclass(frozen=True)
class TownshipShare(Share):
    """One township's line of a table by township."""

    region: Region | None = None


def lowest(rows: Iterable[tuple[str, int, int]], limit: int = LOWEST) -> list[TownshipShare]:
    """The `limit` townships of `rows` (township code, held to the norm, keeping it) with the lowest rates, lowest
    first (then by code), with their regions."""
    ranked = sorted((met / of, code, of, met) for code, of, met in rows if of)[:limit]
    regions = {r.code: r for r in Region.objects.filter(code__in=[code for _, code, _, _ in ranked])}
    return [TownshipShare(of, met, regions[code]) for _, code, of, met in ranked if code in regions]


def runs(codes_of_rows: Sequence[str]) -> tuple[list[str], list[int]]:
    """The runs of equal codes in a list ordered by code: each code and the index where it begins."""
    codes: list[str] = []
    starts: list[int] = []
    for i, code in enumerate(codes_of_rows):
        if not codes or codes[-1] != code:
            codes.append(code)
            starts.append(i)
    return codes, starts


def runs_within(codes: list[str], prefix: str) -> tuple[int, int]:
    """[first, last): the runs of the ordered `codes` that begin with `prefix` (a township's, in a list by code)."""
    first = last = bisect.bisect_left(codes, prefix)
    while last < len(codes) and codes[last].startswith(prefix):
        last += 1
    return first, last
