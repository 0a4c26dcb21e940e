"""Station standards and rules, campaigns, deputies' activities and what comes out of them.

The problems found in activities go one of three ways: closed on the spot, forwarded to a
handling unit as a small matter (`Referral`, the fast lane), or turned into a formal
suggestion (`Problem.suggestion`). Other apps (opinions) point at `Referral` and `Problem`;
nothing here points back at them.
"""

from .activities import Activity, ActivityPhoto, Output, Participation
from .campaigns import Campaign, GroupTopic, TownshipTheme
from .problems import Problem, Referral
from .standards import (
    AssessmentPolicy,
    AssessmentResult,
    EvidencePhoto,
    Rule,
    RulePosting,
    RuleVersion,
    StandardItem,
    StationAssessment,
)

__all__ = [
    "Activity",
    "ActivityPhoto",
    "AssessmentPolicy",
    "AssessmentResult",
    "Campaign",
    "EvidencePhoto",
    "GroupTopic",
    "Output",
    "Participation",
    "Problem",
    "Referral",
    "Rule",
    "RulePosting",
    "RuleVersion",
    "StandardItem",
    "StationAssessment",
    "TownshipTheme",
]
