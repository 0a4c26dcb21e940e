"""Demo: station standards and rules, the year's campaign, activities, problems and referrals.

Follows the article: the "察民情、聚民智、惠民生" campaign with each township's theme and each
group's small entry point; a few hundred activities across the townships; 3 research reports
and 2 review opinions from the committee's research; 241 problems found, of which 171 became
suggestions or were forwarded to units; the remaining 70 closed on the spot or still open.

Problems "turned into suggestions" are linked to suggestions the suggestions demo already
built (so its figures stay as they are); when there are none, every one of the 171 goes to a
unit through the fast lane. All 97 stations are assessed against the checklist for the year.
"""

from __future__ import annotations

from deputyhome.accounts.models import User
from deputyhome.organisation.models import Region

from .campaign import build_campaign
from .problems import build_problems
from .stations import build_assessments, build_rules


def build(ctx) -> dict[str, int]:
    rng, today, org = ctx.rng, ctx.today, ctx.org
    city_user = User.objects.get(username="city")
    township_user = User.objects.filter(username="township").first() or city_user
    township_user_region = township_user.region_id if township_user != city_user else None

    def author_for(region: Region | None) -> User:
        return township_user if region is not None and region.pk == township_user_region else city_user

    counts: dict[str, int] = {}
    counts.update(build_rules(org, rng, today))
    counts.update(build_assessments(org, rng, today, author_for))

    campaign_counts, plan, activities = build_campaign(ctx, city_user, author_for)
    counts.update(campaign_counts)
    counts.update(build_problems(ctx, plan, activities, author_for))
    return counts
