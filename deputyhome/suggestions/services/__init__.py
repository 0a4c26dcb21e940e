"""Every step of a suggestion's course (the writes of the suggestions app). Each service is one
transaction that locks the suggestion, asks the workflow table, writes, and adds a timeline event
and an audit row. Notifications go out on commit.

One module per part of the course; callers import from here:

    course      who is who on a suggestion; lock, check, record a step, notify
    drafting    drafts, co-signers, attachments, submission, withdrawal (the deputy's part)
    conversion  a suggestion made from a motion handled as a suggestion, submitted at once
    committee   screening, registration, assignment, key supervision, supervision records
    handling    receipt, return of a wrong assignment, consultation, co-unit opinions,
                extensions, the reply and its review (the handling units' part)
    evaluation  the deputies' evaluation, closing and re-handling
    forwarding  a township's forward of a matter up to a city unit, its answer and withdrawal
    lists       sessions open for submission; the default categories and result classes

Two more, imported from their own module: `merging` (并案: duplicates merged into a lead suggestion, and undone) and
`history_import` (past years' ledgers read, checked and imported as the committee's memory).
"""

from .committee import (
    suggestion_assign,
    suggestion_mark_key,
    suggestion_register,
    suggestion_return,
    supervision_record_add,
)
from .conversion import suggestion_create_converted
from .course import (
    STALE,
    STALE_ASSIGNMENT,
    actor_roles,
    allowed_actions,
    assignment_version,
    is_township_work,
    notifications_at_once,
    policy_for,
    units_serving,
    version_of,
)
from .drafting import (
    CONTENT_FIELDS,
    may_withdraw,
    suggestion_confirm_cosign,
    suggestion_create,
    suggestion_submit,
    suggestion_update,
    suggestion_withdraw,
)
from .evaluation import suggestion_evaluate, suggestion_record_no_evaluation
from .forwarding import (
    NOT_TOWNSHIP,
    city_units_for,
    default_due_on,
    forward_answer,
    forward_withdraw,
    may_answer,
    may_forward,
    may_withdraw_forward,
    suggestion_forward_up,
)
from .handling import (
    suggestion_co_opinion,
    suggestion_consult,
    suggestion_decide_extension,
    suggestion_receive,
    suggestion_reply,
    suggestion_request_extension,
    suggestion_review_reply,
    suggestion_unit_return,
    suggestion_waive_consultation,
)
from .lists import (
    categories_for,
    category_create,
    category_update,
    congresses_for,
    county_congress,
    default_lists_ensure,
    policy_create,
    policy_update,
    sessions_open_for_submission,
)

__all__ = [
    "STALE",
    "STALE_ASSIGNMENT",
    "assignment_version",
    "version_of",
    "notifications_at_once",
    "CONTENT_FIELDS",
    "actor_roles",
    "allowed_actions",
    "categories_for",
    "NOT_TOWNSHIP",
    "city_units_for",
    "default_due_on",
    "forward_answer",
    "forward_withdraw",
    "may_answer",
    "may_forward",
    "may_withdraw_forward",
    "suggestion_forward_up",
    "category_create",
    "category_update",
    "policy_create",
    "policy_update",
    "congresses_for",
    "county_congress",
    "is_township_work",
    "units_serving",
    "default_lists_ensure",
    "policy_for",
    "sessions_open_for_submission",
    "suggestion_assign",
    "suggestion_co_opinion",
    "suggestion_confirm_cosign",
    "suggestion_consult",
    "suggestion_create",
    "suggestion_create_converted",
    "suggestion_decide_extension",
    "suggestion_evaluate",
    "suggestion_mark_key",
    "suggestion_receive",
    "suggestion_record_no_evaluation",
    "suggestion_register",
    "suggestion_reply",
    "suggestion_request_extension",
    "suggestion_return",
    "suggestion_review_reply",
    "suggestion_submit",
    "suggestion_unit_return",
    "suggestion_update",
    "suggestion_waive_consultation",
    "suggestion_withdraw",
    "may_withdraw",
    "supervision_record_add",
]
