"""Every write of the motions app. Each service is one transaction with its audit row (and, for a motion,
its timeline event); notifications go out on commit. One module per part; callers import from here:

    course       who plays which part; the congress's rules; the session's window for motions; a step
    filing       drafts, filing, signers confirming or withdrawing their names, withdrawing the motion
    decisions    the secretariat's check, the presidium's decision (and the conversion), the report
    delegations  delegations at a session and their dated members
    rules        a congress's rules for motions
    attendance   attendance at a session, requests for leave and their decision
"""

from .attendance import (
    eligible_ids,
    may_record,
    members_during,
    session_attendance_record,
    session_leave_decide,
    session_leave_request,
)
from .course import (
    actor_parts,
    allowed_actions,
    deadline_of,
    may_act_for,
    open_for_drafting,
    rules_for,
    window_problem,
)
from .decisions import check_problems, motion_check, motion_decide, motion_report, report_due
from .delegations import (
    delegation_create,
    delegation_member_add,
    delegation_member_update,
    delegation_members_add,
    delegation_update,
)
from .filing import (
    CONTENT_FIELDS,
    delegation_of,
    is_head,
    motion_confirm,
    motion_create,
    motion_file,
    motion_unsign,
    motion_update,
    motion_withdraw,
)
from .rules import motion_rules_create, motion_rules_update

__all__ = [
    "CONTENT_FIELDS",
    "actor_parts",
    "allowed_actions",
    "check_problems",
    "deadline_of",
    "delegation_create",
    "delegation_member_add",
    "delegation_member_update",
    "delegation_members_add",
    "delegation_of",
    "delegation_update",
    "eligible_ids",
    "is_head",
    "may_act_for",
    "may_record",
    "members_during",
    "motion_check",
    "motion_confirm",
    "motion_create",
    "motion_decide",
    "motion_file",
    "motion_report",
    "motion_rules_create",
    "motion_rules_update",
    "motion_unsign",
    "motion_update",
    "motion_withdraw",
    "open_for_drafting",
    "report_due",
    "session_attendance_record",
    "session_leave_decide",
    "session_leave_request",
    "rules_for",
    "window_problem",
]
