from django.apps import AppConfig


class FakesConfig(AppConfig):
    """Installed only with the development requirements (roapp/settings.py); no models, one management command."""

    name = "fakes"
