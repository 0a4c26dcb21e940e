"""Users, their role and the anchor of their data scope."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse

from deputyhome.core.models import optional_fk

from .choices import ADMIN_ROLES, EDITOR_ROLES, PERSONAL_DATA_ROLES, ROLE_SCOPE, STAFF_ROLES, Role, ScopeKind

# A township-level region's code has nine digits (province 2, prefecture 4, county 6, township 9, village 12).
TOWNSHIP_CODE_LENGTH = 9


class User(AbstractUser):
    """A login. The role fixes what the user may do; the anchor (region, group, deputy or unit) fixes where.

    A township officer is anchored to a township, a group leader or liaison officer to a
    group, a deputy to their Deputy record, a handling-unit clerk to their unit.
    """

    # One role per account: the three administrators (三员) can never be held together.
    role = models.CharField("角色", max_length=32, choices=Role.choices, default=Role.UNASSIGNED)
    region = optional_fk("organisation.Region", "所属区域")
    group = optional_fk("organisation.DeputyGroup", "所属小组")
    deputy = optional_fk("deputies.Deputy", "代表本人", related_name="user", field=models.OneToOneField)
    unit = optional_fk("organisation.HandlingUnit", "承办单位")
    display_name = models.CharField("姓名", max_length=50, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Set when an administrator (or `create_sysadmin`) chose the password: it must be changed at the first
    # login and is refused after this moment. Cleared when the user sets their own password.
    password_one_time_until = models.DateTimeField("一次性密码有效期至", null=True, blank=True)
    # Disabled in 停用离任代表账号 (the deputy left), and not enabled or disabled by hand since: the accounts that
    # 重新启用恢复代表资格的账号 may enable when the deputy sits again (one disabled again by hand stays so).
    disabled_as_former = models.BooleanField("因代表离任停用", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        ordering = ["username"]
        # The security administrator's 待办 counts the accounts of a role (未分配, 组长, 经办人) among a province's
        # 100,000 deputies' logins.
        # The system administrator's 开通单已过期 reads the few accounts with a one-time password.
        indexes = [
            models.Index(fields=["role"], name="user_role"),
            models.Index(
                fields=["password_one_time_until"],
                name="user_one_time_until",
                condition=models.Q(password_one_time_until__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    @property
    def scope_kind(self) -> str:
        # By role only: a superuser flag (e.g. on an account made before create_sysadmin) gives nothing.
        return ROLE_SCOPE.get(self.role, ScopeKind.NONE)

    @property
    def scope_label(self) -> str:
        return ScopeKind(self.scope_kind).label

    @property
    def sees_one_township(self) -> bool:
        """Whether every row the user may see lies within one township (a township's officer): a 乡镇（街道）
        filter or column would offer them one value, so registers leave it out."""
        return (
            self.scope_kind == ScopeKind.REGION
            and self.region_id is not None
            and len(self.region.code) >= TOWNSHIP_CODE_LENGTH
        )

    @property
    def chooses_townships(self) -> bool:
        """Whether a 乡镇（街道） filter gives the user a choice: the city's users and an officer above the townships
        (a county's, in a province's installation). One township's officer would have one choice; a group's
        users, a deputy, a unit's clerk none (their rows are chosen by group, by person or by unit)."""
        if self.scope_kind == ScopeKind.CITY:
            return True
        return self.scope_kind == ScopeKind.REGION and self.region_id is not None and not self.sees_one_township

    @property
    def can_edit(self) -> bool:
        return self.role in EDITOR_ROLES

    @property
    def sees_personal_data(self) -> bool:
        return self.role in PERSONAL_DATA_ROLES

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_administrator(self) -> bool:
        """One of the three administrators (三员)."""
        return self.role in ADMIN_ROLES

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDIT_ADMIN


class LoginLock(models.Model):
    """Failed logins per username (whether or not such an account exists) and the lock they caused."""

    username = models.CharField("用户名", max_length=150, unique=True)
    failures = models.JSONField("失败时间", default=list)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录锁定"

    def __str__(self) -> str:
        return self.username


# The second factor's proxy models (secrets encrypted or hashed at rest) belong to this app.
from .otp_devices import EncryptedTOTPDevice, HashedStaticDevice  # noqa: E402, F401
