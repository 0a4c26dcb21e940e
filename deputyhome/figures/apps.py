from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "deputyhome.figures"
    label = "figures"
    verbose_name = "预先计算的统计"
