"""Writes for station standards, rules, campaigns, activities, problems and referrals.

Every service is keyword-only, runs in one transaction and writes an audit row through
`deputyhome.audit.services.record`. Bad input raises `ValidationError` with a Chinese message
and writes nothing (uploaded files are checked before the first row is written).

The problem and fast-lane services other apps call (opinions uses them):

    referral_create(*, unit, title, content, actor, due_on=None, region=None) -> Referral
        A small matter sent straight to a handling unit; its clerks are notified on commit.
        `due_on` defaults to 15 working days from today; `region` (the township it concerns)
        defaults to the actor's township.
    referral_reply(*, referral, text, actor) -> Referral
        The unit's reply; only a clerk of that unit may give it, once.
    problem_create(*, data: dict, actor) -> Problem
        data keys: text (required), place, category (suggestions.Category), deputy, activity,
        region (township; defaults to the activity's or the deputy's), date (default today).
    problem_forward(*, problem, unit, actor, due_on=None) -> Referral
        An open problem goes to a unit through the fast lane (status 转交办理).
    problem_to_suggestion(*, problem, actor) -> Suggestion
        An open problem becomes a draft suggestion through suggestions.services.suggestion_create,
        with the problem's deputy as author and the actor as the officer who entered it (or the
        deputy themself); the draft then follows the normal course. Linked both ways
        (Problem.suggestion).
    problem_close(*, problem, note, actor) -> Problem
        An open problem solved on the spot (当场解决), with a note.

`problem_forward`, `problem_to_suggestion` and `problem_close` are for city officers and for
township officers within their township; the deputy who raised a problem may also turn it into
their own suggestion.
"""

from __future__ import annotations

from .activities import (
    ACTIVITY_FIELDS,
    OUTPUT_FIELDS,
    activity_create,
    activity_delete,
    activity_photo_delete,
    activity_update,
    output_create,
    output_delete,
    output_update,
)
from .campaigns import (
    campaign_create,
    campaign_delete,
    campaign_update,
    group_topic_delete,
    group_topic_set,
    township_theme_delete,
    township_theme_set,
)
from .problems import (
    PROBLEM_FIELDS,
    REFERRAL_WORKDAYS,
    problem_close,
    problem_create,
    problem_delete,
    problem_forward,
    problem_to_suggestion,
    problem_update,
    referral_create,
    referral_reply,
)
from .standards import (
    assessment_delete,
    assessment_policy_set,
    assessment_save,
    pass_score_for,
    rule_create,
    rule_post,
    rule_unpost,
    rule_update,
    rule_version_create,
    standard_item_create,
    standard_item_delete,
    standard_item_update,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "OUTPUT_FIELDS",
    "PROBLEM_FIELDS",
    "REFERRAL_WORKDAYS",
    "activity_create",
    "activity_delete",
    "activity_photo_delete",
    "activity_update",
    "assessment_delete",
    "assessment_policy_set",
    "assessment_save",
    "campaign_create",
    "campaign_delete",
    "campaign_update",
    "group_topic_delete",
    "group_topic_set",
    "output_create",
    "output_delete",
    "output_update",
    "pass_score_for",
    "problem_close",
    "problem_create",
    "problem_delete",
    "problem_forward",
    "problem_to_suggestion",
    "problem_update",
    "referral_create",
    "referral_reply",
    "rule_create",
    "rule_post",
    "rule_unpost",
    "rule_update",
    "rule_version_create",
    "standard_item_create",
    "standard_item_delete",
    "standard_item_update",
    "township_theme_delete",
    "township_theme_set",
]
