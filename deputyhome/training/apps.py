from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "deputyhome.training"
    label = "training"
