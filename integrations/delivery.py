"""Delivery details as feed comments (R12): one readable comment, a new one only when they change."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from integrations.dto import RemoteDelivery


def delivery_text(delivery: RemoteDelivery | None, currency: str) -> str:
    """The comment for these details, always in the site language so re-syncs compare equal."""
    if delivery is None or not (delivery.service or delivery.address or delivery.cost is not None):
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        parts = [_("Delivery: %(service)s") % {"service": delivery.service or _("not specified")}]
        if delivery.cost is not None:
            parts.append(_("cost: %(cost)s %(currency)s") % {"cost": f"{delivery.cost:.2f}", "currency": currency})
        if delivery.address:
            parts.append(_("address: %(address)s") % {"address": delivery.address})
        return "; ".join(parts)
