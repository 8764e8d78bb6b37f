from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "livret.people"
    verbose_name = "Personnes et organisations"
