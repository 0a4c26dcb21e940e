"""Writes of voter contact. Each service is one transaction with its audit row (and, for
opinions, a timeline event); bad input raises ValidationError with a Chinese message and
writes nothing.

    intake      opinion_submit (a citizen, public page), opinion_record (taken down in person)
    triage      what staff do with an opinion (below)
    receptions  reception schedules and records at the stations
    pairings    pairings with households and their contacts; model-deputy stories
    common      what they share

Triage of an opinion:
    opinion_reply        the answer to the citizen, shown with the tracking code
    opinion_forward      the fast lane: activities.referral_create; the unit's reply shows to the citizen
    opinion_merge        a duplicate of another opinion; its status page then follows that one
    opinion_to_problem   activities.problem_create
    opinion_to_suggestion  activities.problem_to_suggestion when it already is a problem, otherwise
                           suggestions.suggestion_create with the deputy as author (a draft)
"""

from .common import MAX_CONTENT, station_of_deputy, township_of
from .intake import PUBLIC_ACTOR, opinion_record, opinion_submit, throttle_target
from .pairings import (
    pairing_contact_add,
    pairing_create,
    pairing_update,
    story_create,
    story_delete,
    story_publish,
    story_update,
)
from .receptions import (
    reception_create,
    reception_delete,
    reception_slot_create,
    reception_slot_delete,
    reception_slot_update,
    reception_update,
    schedule_summary,
    station_schedule_sync,
)
from .triage import (
    OPEN_STATES,
    opinion_forward,
    opinion_merge,
    opinion_reply,
    opinion_to_problem,
    opinion_to_suggestion,
)

__all__ = [
    "MAX_CONTENT",
    "OPEN_STATES",
    "PUBLIC_ACTOR",
    "opinion_forward",
    "opinion_merge",
    "opinion_record",
    "opinion_reply",
    "opinion_submit",
    "opinion_to_problem",
    "opinion_to_suggestion",
    "pairing_contact_add",
    "pairing_create",
    "pairing_update",
    "reception_create",
    "reception_delete",
    "reception_slot_create",
    "reception_slot_delete",
    "reception_slot_update",
    "reception_update",
    "schedule_summary",
    "station_of_deputy",
    "station_schedule_sync",
    "story_create",
    "story_delete",
    "story_publish",
    "story_update",
    "throttle_target",
    "township_of",
]
