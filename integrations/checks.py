"""System checks for the integration settings."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def credentials_key_check(app_configs, **kwargs):
    if settings.ROAPP_CREDENTIALS_KEY_FROM_ENV or settings.DEBUG:
        return []
    return [
        Warning(
            "ROAPP_CREDENTIALS_KEY is not set: store credentials are encrypted with a key derived from SECRET_KEY.",
            hint="Set ROAPP_CREDENTIALS_KEY to a Fernet key (Fernet.generate_key()) and keep it safe.",
            id="integrations.W001",
        )
    ]
