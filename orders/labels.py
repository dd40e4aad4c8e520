"""Names of rows the back-office ships with, shown in the reader's language (R55).

The default statuses and order type are data: DESIGN.md and the importers rely on the names "New",
"Completed", "Online order", so the rows keep their English names and are translated when shown.
A name a manager typed (or renamed) is shown as typed. The statuses Cartum ships with are here too:
connecting a Cartum shop creates them (integrations/platforms/cartum/statuses.py).
"""

from django.utils.translation import gettext_lazy as _

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
