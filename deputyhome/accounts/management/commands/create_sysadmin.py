"""`manage.py create_sysadmin --username NAME`: the first system administrator, inside the 三员 scheme.

Not a superuser: an account with the system administrator's role and a one-time password (printed once,
to be changed at the first login, void after 72 hours), created through `user_create` so that it is
audited. Only while no active account holds the role: later administrators are made in the application.
`--role security_admin` / `--role audit_admin` bootstrap the other two the same way, once each.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from deputyhome.accounts.choices import ADMIN_ROLES, Role
from deputyhome.accounts.models import User
from deputyhome.accounts.services import new_one_time_password, user_create


class Command(BaseCommand):
    help = "创建首个系统管理员（或首个安全管理员、审计管理员），使用一次性密码。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", required=True, help="登录名")
        parser.add_argument("--display-name", default="", help="姓名")
        parser.add_argument(
            "--role", default=Role.SYSTEM_ADMIN, choices=sorted(ADMIN_ROLES), help="默认 system_admin（系统管理员）"
        )

    def handle(self, *args, username: str, display_name: str, role: str, **options) -> None:
        label = Role(role).label
        if User.objects.filter(role=role, is_active=True).exists():
            raise CommandError(
                f"已有启用的{label}账号：其他管理员请在系统中创建（系统管理员建账号，安全管理员分配角色）。"
            )
        password = new_one_time_password()
        data = {"username": username, "display_name": display_name or label, "role": role, "is_active": True}
        try:
            user = user_create(data=data, password=password, actor=f"manage.py create_sysadmin（{label}）")
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"已创建{label} {user.username}。"))
        self.stdout.write(f"一次性密码：{password}")
        self.stdout.write("请在72小时内登录，修改密码并绑定动态验证码。此密码不会再次显示。")
