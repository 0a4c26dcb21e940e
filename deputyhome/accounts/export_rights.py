"""导出权限 — who may export what, in one place, by role: the roles are this app's, the mechanism (signed links,
one audit row per file, the confirmed export of personal data) is `core.exports`. The file is always built from
the user's own scope (city, township, group, self, unit); the permission only says whether the role may take this
kind of data out of the system at all."""

from __future__ import annotations

from deputyhome.core.exports import ExportKind

from .choices import PERSONAL_DATA_ROLES, Role

_LEDGER_KEEPERS = frozenset({Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER, Role.GROUP_LEADER, Role.LIAISON_OFFICER})

DEPUTIES = ExportKind("deputies", "人大代表名册", _LEDGER_KEEPERS)
GROUPS = ExportKind("groups", "代表小组台账", _LEDGER_KEEPERS)
STATIONS = ExportKind("stations", "代表之家及联络站台账", _LEDGER_KEEPERS)
SUGGESTION_REGISTER = ExportKind(
    "suggestion_register",
    "代表建议登记册",
    _LEDGER_KEEPERS | {Role.UNIT_CLERK, Role.SUPERVISOR, Role.LEADER},
)
SCORES = ExportKind(
    "scores", "承办单位考核评分", frozenset({Role.CITY_OFFICER, Role.SUPERVISOR, Role.LEADER, Role.UNIT_CLERK})
)
MOTION_REGISTER = ExportKind("motion_register", "议案登记表", _LEDGER_KEEPERS | {Role.SUPERVISOR, Role.LEADER})
DUTY_RECORD = ExportKind("duty_record", "代表履职档案", _LEDGER_KEEPERS | {Role.DEPUTY, Role.SUPERVISOR, Role.LEADER})
DUTY_POINTS = ExportKind("duty_points", "履职积分公示名单", _LEDGER_KEEPERS | {Role.SUPERVISOR, Role.LEADER})
STATION_VISITS = ExportKind("station_visits", "代表进站情况", _LEDGER_KEEPERS | {Role.SUPERVISOR, Role.LEADER})
PAIRED_HOUSEHOLDS = ExportKind(
    "paired_households", "代表结对联系群众情况", _LEDGER_KEEPERS | {Role.SUPERVISOR, Role.LEADER}
)
GROUP_QUARTERS = ExportKind("group_quarters", "代表小组活动情况", _LEDGER_KEEPERS | {Role.SUPERVISOR, Role.LEADER})
ANNUAL_REPORT = ExportKind(
    "annual_report", "年度代表工作报告", _LEDGER_KEEPERS | {Role.DEPUTY, Role.SUPERVISOR, Role.LEADER}
)
# The roster with full ID numbers and phones: only the roles that may reveal them one deputy at a time
# (`deputies.views.may_reveal`), with a reason and a confirmation (`confirmed_export_view`).
DEPUTIES_FULL = ExportKind("deputies_full", "人大代表名册（完整身份证号和手机号）", PERSONAL_DATA_ROLES)

KINDS: dict[str, ExportKind] = {
    k.name: k
    for k in (
        DEPUTIES,
        DEPUTIES_FULL,
        GROUPS,
        STATIONS,
        SUGGESTION_REGISTER,
        MOTION_REGISTER,
        SCORES,
        DUTY_RECORD,
        DUTY_POINTS,
        STATION_VISITS,
        PAIRED_HOUSEHOLDS,
        GROUP_QUARTERS,
        ANNUAL_REPORT,
    )
}


def action_names() -> dict[str, str]:
    """The audit log's names of the export actions (export.deputies: 导出人大代表名册), by each kind's label."""
    names = {kind.action: f"导出{kind.label}" for kind in KINDS.values()}
    return names | {kind.refused_action: f"拒绝导出{kind.label}" for kind in KINDS.values()}
