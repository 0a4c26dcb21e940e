from django.core.management.base import BaseCommand

from deputyhome.figures.cache import refresh
from deputyhome.figures.services import PRUNE_AFTER_DAYS, snapshots_prune


class Command(BaseCommand):
    help = "重新计算数据已变动的年度统计，并预先计算常用范围的统计（由定时任务每几分钟运行一次）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-warm", action="store_true", help="只重新计算已有且数据已变动的统计")
        parser.add_argument(
            "--prune-days",
            type=int,
            default=PRUNE_AFTER_DAYS,
            help=f"删除超过这些天未计算、且不属常用范围的统计（默认{PRUNE_AFTER_DAYS}天；0 为不删除）",
        )

    def handle(self, *args, **options) -> None:
        done = refresh(warm=not options["no_warm"])
        for name, key, seconds in done:
            self.stdout.write(f"{name} [{key}]: {seconds:.2f} s")
        self.stdout.write(f"重新计算 {len(done)} 项统计，共 {sum(s for _, _, s in done):.1f} 秒")
        if options["prune_days"] > 0:
            self.stdout.write(f"删除 {snapshots_prune(days=options['prune_days'])} 项久未使用的统计")
