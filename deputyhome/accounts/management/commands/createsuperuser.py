"""`createsuperuser` is refused: a superuser would stand outside the three-administrator scheme."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "已停用：请使用 manage.py create_sysadmin 创建首个系统管理员。"

    def add_arguments(self, parser) -> None:
        # Accept Django's options so that scripts calling it get the message, not a usage error.
        parser.add_argument("--username")
        parser.add_argument("--email")
        parser.add_argument("--noinput", "--no-input", action="store_true")
        parser.add_argument("--database")

    def handle(self, *args, **options) -> None:
        raise CommandError(
            "不提供超级用户：超级用户不受三员分立约束。请使用 manage.py create_sysadmin 创建首个系统管理员"
            "（之后在系统中由系统管理员建账号、安全管理员分配角色）。"
        )
