"""API tokens: django-rest-knox keeps only a digest of each key; the key is shown once, when issued.

ApiToken is knox's token under the back-office's own name, so the admin lists it under "API access".
"""

from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken


class ApiToken(AuthToken):
    class Meta:
        proxy = True
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    @property
    def starts_with(self) -> str:
        """Enough of the key for its owner to tell tokens apart; useless for signing in."""
        return f"{self.token_key[:6]}…"
