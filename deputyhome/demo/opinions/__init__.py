"""Demo voter contact: reception schedules and records, voter opinions, pairings, model deputies.

Every station gets a weekly reception slot (homes also announce a one-off reception in the
coming weeks), and receptions are recorded on those weekdays from January to yesterday. A few
hundred voter opinions come in through the year, by QR code and at receptions, in every state:
new, replied, forwarded to a unit (most with the unit's reply), merged into a similar one, and
registered as problems (some of which became suggestions).

Opinions "turned into problems" are linked to problems the activities demo already made (the
opinion is what the voter said; its text is the problem's), so the article's 241 problems stay
241. Forwarded opinions get referrals of their own (the fast lane), which the activities
statistics do not count.

The three model deputies the article names (蒋子祥, 谢海艳 "土家艳子", 何启华) are three city
deputies of the demo renamed, with their pairings and published stories and the article's figures.

Everything but the tracking codes comes from the part's seeded generator; tracking codes are
drawn with `secrets` like real ones, so that even demo codes cannot be guessed from the seed.
"""

from __future__ import annotations

from typing import Any

from deputyhome.opinions.choices import OpinionStatus
from deputyhome.opinions.services.common import stored_counts_refresh

from .base import OpinionsDemo
from .intake import build_opinions
from .pairings import build_pairings, build_stories, choose_model_deputies
from .receptions import build_receptions, build_schedules


def build(ctx: Any) -> dict[str, int]:
    b = OpinionsDemo(ctx)
    models = choose_model_deputies(b)
    slots, weekly = build_schedules(b)
    receptions = build_receptions(b, weekly)
    opinions = build_opinions(b, receptions)
    pairings, contacts = build_pairings(b, models)
    stories = build_stories(b, models)
    stored_counts_refresh()  # the receptions' opinions and the pairings' contacts, written in bulk above
    return {
        "接待安排": len(slots),
        "接待选民记录": len(receptions),
        "接待选民人次": sum(r.voters_received for r in receptions),
        "群众意见": opinions["total"],
        "群众意见·已答复": opinions.get(OpinionStatus.REPLIED, 0),
        "群众意见·已转交承办单位": opinions.get(OpinionStatus.FORWARDED, 0),
        "群众意见·已合并": opinions.get(OpinionStatus.MERGED, 0),
        "群众意见·转为问题或建议": opinions.get(OpinionStatus.PROBLEM, 0) + opinions.get(OpinionStatus.SUGGESTION, 0),
        "群众意见·待处理": opinions.get(OpinionStatus.NEW, 0),
        "结对联系户": pairings,
        "结对联系记录": contacts,
        "代表典型": stories,
    }
