from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_OFFICER = "city_officer", _("市人大常委会代工委工作人员")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇（街道）人大工作人员")
    GROUP_LEADER = "group_leader", _("代表小组组长")
    LIAISON_OFFICER = "liaison_officer", _("联络员")
    DEPUTY = "deputy", _("人大代表")
    UNIT_CLERK = "unit_clerk", _("承办单位经办人")
    SUPERVISOR = "supervisor", _("督办人员")
    LEADER = "leader", _("领导")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    UNASSIGNED = "unassigned", _("未分配角色")


class ScopeKind(models.TextChoices):
    CITY = "city", _("全市")
    REGION = "region", _("本乡镇及以下")
    GROUP = "group", _("本小组")
    SELF = "self", _("本人")
    UNIT = "unit", _("本单位")
    NONE = "none", _("无业务数据")


ROLE_SCOPE: dict[str, str] = {
    Role.CITY_OFFICER: ScopeKind.CITY,
    Role.TOWNSHIP_OFFICER: ScopeKind.REGION,
    Role.GROUP_LEADER: ScopeKind.GROUP,
    Role.LIAISON_OFFICER: ScopeKind.GROUP,
    Role.DEPUTY: ScopeKind.SELF,
    Role.UNIT_CLERK: ScopeKind.UNIT,
    Role.SUPERVISOR: ScopeKind.CITY,
    Role.LEADER: ScopeKind.CITY,
    Role.SYSTEM_ADMIN: ScopeKind.NONE,
    Role.SECURITY_ADMIN: ScopeKind.NONE,
    Role.AUDIT_ADMIN: ScopeKind.NONE,
    Role.UNASSIGNED: ScopeKind.NONE,
}

# Roles that may change organisation and deputy data (within their scope).
EDITOR_ROLES = frozenset({Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER})
# Roles that see ID numbers and phones in full.
PERSONAL_DATA_ROLES = frozenset({Role.CITY_OFFICER, Role.TOWNSHIP_OFFICER})
# Staff and administrators: stronger passwords, rotation every 90 days, a second factor.
STAFF_ROLES = frozenset(
    {
        Role.CITY_OFFICER,
        Role.TOWNSHIP_OFFICER,
        Role.UNIT_CLERK,
        Role.SUPERVISOR,
        Role.LEADER,
        Role.SYSTEM_ADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDIT_ADMIN,
    }
)
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
