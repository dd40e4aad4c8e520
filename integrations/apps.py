from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Online stores")

    def ready(self):
        # Here, not at the top: they use the models, which are loaded only now. Importing them registers them.
        from integrations import checks, receivers  # noqa: F401
