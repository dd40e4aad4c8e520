from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Online stores")

    def ready(self):
        from integrations import checks, receivers  # noqa: F401  (registers checks and signal receivers)
