"""The annual report's 存在的问题 and 下一步工作: the draft from the data, or the clerk's saved text.

The committee's and the townships' staff edit them for their own region (the city's root region or their
township) before the export; groups' and deputies' reports always carry the drafts.
"""

from __future__ import annotations

from typing import Any

from deputyhome.accounts.choices import Role, ScopeKind
from deputyhome.organisation.models import Region
from deputyhome.organisation.selectors import home_region

from .annual_outlook import NEXT_STEPS_HEADING, PROBLEMS_HEADING, next_steps_draft, problems_draft
from .models import AnnualReportText

EDITORS = frozenset({Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER})


def text_region(user) -> Region | None:
    """The region whose report the user's scope gives: the city for city-wide users, else the township."""
    if user.scope_kind == ScopeKind.CITY:
        return home_region()
    if user.scope_kind == ScopeKind.REGION and user.region_id:
        return user.region
    return None


def may_edit(user) -> bool:
    return bool(
        user.is_authenticated and user.role in EDITORS and user.scope_kind in (ScopeKind.CITY, ScopeKind.REGION)
    )


def saved_text(*, user, year: int) -> AnnualReportText | None:
    region = text_region(user)
    if region is None:
        return None
    return AnnualReportText.objects.filter(year=year, region=region).first()


def drafts(figures: dict[str, Any]) -> dict[str, str]:
    """The drafts as the clerk edits them: one paragraph a line."""
    return {"problems": "\n".join(problems_draft(figures)), "next_steps": "\n".join(next_steps_draft(figures))}


def closing_sections(figures: dict[str, Any], saved: AnnualReportText | None) -> list[tuple[str, list[str]]]:
    """存在的问题 and 下一步工作 with their paragraphs: the saved texts, or the drafts when none is saved."""
    if saved is None:
        return [(PROBLEMS_HEADING, problems_draft(figures)), (NEXT_STEPS_HEADING, next_steps_draft(figures))]

    def paragraphs(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    return [(PROBLEMS_HEADING, paragraphs(saved.problems)), (NEXT_STEPS_HEADING, paragraphs(saved.next_steps))]
