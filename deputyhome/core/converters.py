"""The `<id:...>` path converter: an object id the database can hold, or no match (404).

Django's `<int:...>` accepts any run of digits; a 20-digit id then overflows the database integer
(PostgreSQL: "bigint out of range"; SQLite: "Python int too large") and answers 500. Every route
with an id uses `<id:...>` instead (`core/tests/test_bad_input.py` checks that none uses `int`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import register_converter, reverse

# The largest value of a signed 64-bit integer (BigAutoField); ids are positive.
MAX_ID = 2**63 - 1


def valid_id(value: object) -> int | None:
    """`value` as an object id if it is a positive integer the database can hold, else None."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = valid_id(value)
        if number is None:
            raise ValueError(value)  # no match: the resolver answers 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))


def id_url(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for a page of links (a list's rows), at the cost of one `reverse`: the route's
    address with the id put in its place (the route takes the id as its one parameter)."""
    marker = str(MAX_ID)
    before, after = reverse(name, args=[marker]).split(marker)
    return lambda pk: f"{before}{int(pk)}{after}"


def register() -> None:
    register_converter(IdConverter, "id")
