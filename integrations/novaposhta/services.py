"""Writes on Nova Poshta waybills as the platform describes them (R13, R14), and the settings.

delivery.py decides *when* (new order, update, switch of method) and reaches this module through the
carrier registry (novaposhta/carrier.py); this module knows *how* a waybill is created, updated and
marked deleted, and what the feed says about it. Feed texts are written in the site language, like
delivery comments, so every worker writes the same words.
"""

from dataclasses import fields

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from integrations.carrier_base import WaybillData, waybill_changes
from integrations.novaposhta.models import (
    CARRIER,
    DELETED,
    STATUS_CODES,
    NovaPoshtaSettings,
    StatusRule,
    WaybillDetails,
)
from orders.models import Event, EventKind, Status, Waybill
from roapp.i18n import site_gettext, site_language

LABELS = {
    "number": gettext_lazy("number"),
    "service": gettext_lazy("service"),
    "cost": gettext_lazy("cost"),
    "recipient_name": gettext_lazy("recipient"),
    "recipient_phone": gettext_lazy("recipient phone"),
    "recipient_address": gettext_lazy("address"),
}


_ = site_gettext  # every `_` text of this module goes into the feed; errors shown to a user use gettext


def _number(number: str) -> str:
    return number or _("(no number yet)")


def waybill_summary(data: WaybillData, currency: str) -> str:
    """One line about a waybill, for the feed and for ignored changes (R8)."""
    parts = [_("Nova Poshta waybill %(number)s") % {"number": _number(data.number)}, data.service]
    if data.cost is not None:
        parts.append(_("cost: %(cost)s %(currency)s") % {"cost": f"{data.cost:.2f}", "currency": currency})
    recipient = ", ".join(p for p in (data.recipient_name, data.recipient_phone) if p)
    if recipient:
        parts.append(_("recipient: %(recipient)s") % {"recipient": recipient})
    if data.recipient_address:
        parts.append(_("address: %(address)s") % {"address": data.recipient_address})
    return "; ".join(p for p in parts if p)


def describe_changes(changed: dict, currency: str) -> str:
    with site_language():
        parts = []
        for name, value in changed.items():
            if name == "cost" and value is not None:
                value = f"{value:.2f} {currency}"
            parts.append(f"{LABELS[name]}: {value if value not in (None, '') else '—'}")
        return "; ".join(parts)


def describe_update(waybill: Waybill, data: WaybillData, currency: str) -> str:
    """What the platform's data would change on the waybill, for an order that ignores it (R8); "" when nothing."""
    changed = waybill_changes(waybill, data)
    if not changed:
        return ""
    return _("Nova Poshta waybill: %(changes)s") % {"changes": describe_changes(changed, currency)}


def waybills_build(items: list[tuple], now) -> tuple[list[dict], list[dict]]:
    """New waybills and their "created" feed events for [(order, WaybillData)], as rows to insert in bulk."""
    waybills, events = [], []
    for order, data in items:
        waybills.append(
            {"order_id": order.pk, "carrier": CARRIER, **{f.name: getattr(data, f.name) for f in fields(data)}}
        )
        text = _("Created: %(summary)s") % {"summary": waybill_summary(data, order.currency)}
        events.append({"order_id": order.pk, "kind": EventKind.WAYBILL, "text": text, "created_at": now})
    return waybills, events


def waybill_update(*, waybill: Waybill, data: WaybillData, currency: str, now) -> bool:
    """Apply what the platform changed; a new number starts tracking afresh. False when nothing changed."""
    changed = waybill_changes(waybill, data)
    if not changed:
        return False
    for name, value in changed.items():
        setattr(waybill, name, value)
    update = list(changed)
    if "number" in changed:
        waybill.status, waybill.status_text, waybill.last_checked_at = "", "", None
        update += ["status", "status_text", "last_checked_at"]
    waybill.save(update_fields=update)
    text = _("Nova Poshta waybill %(number)s updated: %(changes)s") % {
        "number": _number(waybill.number),
        "changes": describe_changes(changed, currency),
    }
    Event.objects.create(order_id=waybill.order_id, kind=EventKind.WAYBILL, text=text, created_at=now)
    return True


def waybill_mark_replaced(*, waybill: Waybill, service: str, now) -> None:
    """The delivery method is no longer Nova Poshta: the waybill gets NP's own "2", Deleted (R14)."""
    WaybillDetails.objects.update_or_create(waybill=waybill, defaults={"replaced_at": now})
    with site_language():
        waybill.status, waybill.status_text = DELETED, str(STATUS_CODES[DELETED])
        text = _("Nova Poshta waybill %(number)s deleted: the delivery method changed to %(service)s.") % {
            "number": _number(waybill.number),
            "service": service or _("not specified"),
        }
    waybill.save(update_fields=["status", "status_text"])
    Event.objects.create(order_id=waybill.order_id, kind=EventKind.WAYBILL, text=text, created_at=now)


# --- settings ---------------------------------------------------------------------------------
@transaction.atomic
def settings_configure(*, api_key: str | None = None, enabled: bool | None = None, rules=None) -> NovaPoshtaSettings:
    """Change what is given: the key (""=remove), the switch, rules {code: status name, "" = remove}."""
    obj = NovaPoshtaSettings.load()
    resolved = {}
    for code, name in (rules or {}).items():
        code = str(code).strip()
        if code not in STATUS_CODES:
            raise ValidationError(
                gettext("Unknown Nova Poshta status code %(code)s; known codes: %(codes)s.")
                % {"code": code, "codes": ", ".join(STATUS_CODES)}
            )
        name = (name or "").strip()
        status = Status.objects.filter(name__iexact=name).first() if name else None
        if name and status is None:
            raise ValidationError(gettext("There is no order status called %(name)s.") % {"name": name})
        resolved[code] = status
    if api_key is not None:
        obj.api_key = api_key
    if enabled is not None:
        obj.enabled = enabled
    obj.save()
    for code, status in resolved.items():
        if status is None:
            StatusRule.objects.filter(settings=obj, waybill_status=code).delete()
        else:
            StatusRule.objects.update_or_create(settings=obj, waybill_status=code, defaults={"status": status})
    return obj
