from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "hotich.people"
    label = "people"
    verbose_name = "Công dân / People"
