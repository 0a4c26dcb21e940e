"""The URL patterns of the site, walked from the resolver, and their addresses filled with values."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Values for the non-id arguments, by url name (an action or a kind the view knows), else "x".
ARGUMENTS = {
    "suggestions:act": {"action": "assign"},
    "motions:act": {"action": "decide"},
    "activities:problem_action": {"action": "close"},
    "opinions:act": {"action": "reply"},
    "opinions:step_form": {"action": "forward"},
    "opinions:qr_print": {"kind": "station"},
    "opinions:qr_image": {"kind": "station", "fmt": "png"},
}


@dataclass(frozen=True)
class Route:
    name: str
    route: str  # e.g. "suggestions/<id:pk>/act/<slug:action>/"

    @property
    def ids(self) -> list[str]:
        return re.findall(r"<(?:id|int):(\w+)>", self.route)


def all_routes() -> list[Route]:
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, prefix + str(p.pattern), namespace + (f"{p.namespace}:" if p.namespace else ""))
            elif isinstance(p, URLPattern):
                found.append(Route(namespace + (p.name or "?"), prefix + str(p.pattern)))

    walk(get_resolver(), "", "")
    return [r for r in found if not r.route.startswith("^") and "<path:" not in r.route]


def object_routes() -> list[Route]:
    return [r for r in all_routes() if r.ids]


def fill(route: Route, pk: int | str, **other: str) -> str:
    """The route's address with every id set to `pk` and every other argument to a value the view knows."""
    values = {**ARGUMENTS.get(route.name, {}), **other}

    def value(match: re.Match) -> str:
        kind, name = match.group(1), match.group(2)
        return str(pk) if kind in ("id", "int") else values.get(name, "x")

    return "/" + re.sub(r"<(\w+):(\w+)>", value, route.route)
