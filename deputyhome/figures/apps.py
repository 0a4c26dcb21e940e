from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "deputyhome.figures"
    label = "figures"
    verbose_name = "预先计算的统计"

    def ready(self) -> None:
        from deputyhome.audit.labels import register_actions

        register_actions({"figures.prune": "清理久未使用的预先计算统计"})
