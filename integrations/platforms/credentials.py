"""What a store of a platform is connected with, declared once on its Platform class (base.py).

A platform lists its credentials as alternative complete sets, the preferred first, and the webhook secret it
takes. The admin's connect form, `connect_store`'s flags and the check of what was typed all derive from these
declarations (docs/adding-a-platform.md), so a platform's credentials are spelled out in one place only.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The form field and the flag (--webhook-secret) of the secret webhooks are checked with. It is kept in its own
# encrypted column (Store.webhook_secret), not in Store.credentials: the webhook receiver reads it on every
# delivery, and it is not used to call the platform.
WEBHOOK_SECRET = "webhook_secret"


@dataclass(frozen=True)
class Credential:
    """One value the staff types to connect a store: a form field and a `connect_store` flag."""

    name: str  # its key in Store.credentials and its form field; the flag is --<name with dashes>
    label: str  # a lazy translation: the form's label and the flag's help
    secret: bool = True  # a password input that never renders its value back (R1)
    help_text: str = ""

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


def webhook_secret_input(help_text: str = "") -> Credential:
    """The webhook secret's declaration, with the platform's own word on where it comes from."""
    return Credential(WEBHOOK_SECRET, _("webhook signing secret"), help_text=help_text)


def credential_fields(platform) -> list[Credential]:
    """Every field the platform may take, in order: its credential sets', then its webhook secret's."""
    fields = {field.name: field for fields in platform.credential_sets for field in fields}
    if platform.webhook_secret_field is not None:
        fields.setdefault(WEBHOOK_SECRET, platform.webhook_secret_field)
    return list(fields.values())


def credentials_from(platform, values: dict) -> dict:
    """The first complete credential set among `values`, as Store.credentials keeps it. Otherwise a ValidationError
    that marks what is missing of the set begun (of the preferred set when none is): "Required for this platform."
    """
    sets = [[field.name for field in fields] for fields in platform.credential_sets]
    if not sets:
        return {}  # a platform reached without credentials
    for names in sets:
        if all(values.get(name) for name in names):
            return {name: values[name] for name in names}
    begun = next((names for names in sets if any(values.get(name) for name in names)), sets[0])
    raise ValidationError({name: _("Required for this platform.") for name in begun if not values.get(name)})
