from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NovaPoshtaConfig(AppConfig):
    name = "integrations.novaposhta"
    label = "novaposhta"
    verbose_name = _("Nova Poshta")
