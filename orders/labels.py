"""Names of rows the back-office ships with, shown in the reader's language (R55).

The default statuses and order type are data: DESIGN.md and the importers rely on the names "New",
"Completed", "Online order", so the rows keep their English names and are translated when shown.
A name a manager typed (or renamed) is shown as typed. The statuses Cartum ships with are here too:
connecting a Cartum shop creates them (integrations/platforms/cartum/statuses.py).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

KNOWN_NAMES = {
    # orders/migrations/0002_default_type_and_statuses.py
    "New": _("New"),
    "In progress": _("In progress"),
    "Completed": _("Completed"),
    "Cancelled": _("Cancelled"),
    "Online order": _("Online order"),
    # Cartum's default statuses
    "Processing": _("Processing"),
    "Delivered": _("Delivered"),
    "Canceled": _("Cancelled"),
    "Shipping": _("Shipping"),
}


def label(name: str) -> str:
    """The name in the active language when it is one the back-office ships with, else as stored."""
    return str(KNOWN_NAMES.get(name, name))


# Django's own admin messages the back-office words differently in some languages (locale/*/django.po):
# Russian and Ukrainian put the filter's name after a preposition that would need another case of it,
# French makes "sélectionnés" agree with a plural that may be feminine. Listed here so makemessages
# keeps them in the project's catalogue.
DJANGO_ADMIN_WORDS = (
    gettext_noop(" By %(filter_title)s "),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
)
