"""WooCommerce REST v3 order -> RemoteOrder. Pure: no I/O, no Django models.

Field meanings: woocommerce-rest-api-docs `_orders.md` ("Order properties"); shapes checked against
the docs' own examples (fixtures wc_v3_order_retrieve.json, wc_v3_orders_list.json). The client adds
what the order does not carry, so this stays pure: `_roapp_category_path` and `_roapp_description`
on each line item (from the product, R17, R18).
"""

import re
from datetime import UTC, datetime
from decimal import Decimal
from html import unescape

from django.utils.translation import gettext as _

from integrations.dto import RemoteClient, RemoteLine, RemoteOrder
from integrations.platforms.base import MappingError, payload_order_id
from integrations.platforms.values import decimal_value as _decimal
from integrations.platforms.values import text_value as _text

# Statuses whose orders are finished and skipped by the backfill (R3). `trash` is what the list
# returns for a trashed order when it is asked for every status.
FINISHED = frozenset({"completed", "cancelled", "refunded", "failed", "trash"})
CATEGORY_KEY = "_roapp_category_path"
DESCRIPTION_KEY = "_roapp_description"
MAX_TEXT = 255
_TAG = re.compile(r"<[^>]+>")


def order_from_payload(payload: dict) -> RemoteOrder:
    external_id = payload_order_id(payload, "id")
    try:
        items = payload.get("line_items") or []
        if not isinstance(items, list):
            raise MappingError(_("The order's line items have an unexpected shape."))
        status = _text(payload.get("status")).lower()
        created = _gmt(payload.get("date_created_gmt"), "date_created_gmt")
        modified = payload.get("date_modified_gmt")
        return RemoteOrder(
            external_id=external_id,
            number=_text(payload.get("number")) or external_id,
            created_at=created,
            updated_at=_gmt(modified, "date_modified_gmt") if modified else created,
            currency=_text(payload.get("currency")).upper(),
            lines=tuple(_line(item) for item in items),
            client=_client(payload),  # no delivery: WooCommerce's is not transferred (R12)
            status=status,
            finished=status if status in FINISHED else "",
            raw=payload,
        )
    except (AttributeError, TypeError) as exc:
        raise MappingError(
            _("Order %(id)s has an unexpected shape: %(error)s") % {"id": external_id, "error": exc}
        ) from exc


def _line(item: dict) -> RemoteLine:
    # Names are stored HTML-escaped ("Ship Your Idea &ndash; Color: Black" in the docs' own example).
    name = _text(unescape(str(item.get("name") or "")))
    if not name:
        raise MappingError(_("A line item has no product name."))
    quantity = _decimal(item.get("quantity"), _("quantity")).quantize(Decimal("0.001"))
    if quantity <= 0:
        raise MappingError(
            _("The line %(name)s has quantity %(qty)s; it must be greater than zero.") % {"name": name, "qty": quantity}
        )
    # `price` is the unit price after line discounts, without tax (a float: 3, 12, 3.3333...).
    price = _decimal(item.get("price"), _("price")).quantize(Decimal("0.01"))
    if price < 0:
        raise MappingError(_("The price of %(name)s is negative.") % {"name": name})
    product_id = item.get("product_id")
    path = item.get(CATEGORY_KEY) or ()
    return RemoteLine(
        external_id=str(item.get("id") or name),
        name=name,
        quantity=quantity,
        price=price,
        sku=_text(item.get("sku")),
        # 0 means the product was deleted from the shop: no code then (R17: product id -> Code).
        product_id=str(product_id) if isinstance(product_id, int) and product_id > 0 else "",
        description=_plain(item.get(DESCRIPTION_KEY)),
        category_path=tuple(_text(p) for p in path if _text(p)) if isinstance(path, list | tuple) else (),
    )


def _client(payload: dict) -> RemoteClient | None:
    billing = payload.get("billing") or {}
    shipping = payload.get("shipping") or {}
    client = RemoteClient(
        first_name=_text(billing.get("first_name") or shipping.get("first_name")),
        last_name=_text(billing.get("last_name") or shipping.get("last_name")),
        # R23: the phone comes from the shipping data (WooCommerce 5.6+ has shipping.phone), else billing.
        phone=_text(shipping.get("phone") or billing.get("phone")),
        email=_text(billing.get("email")),
    )
    return client if any(vars(client).values()) else None


def _gmt(value, what: str) -> datetime:
    """`*_gmt` fields are UTC written without an offset ("2017-03-22T19:28:02")."""
    if not value or not isinstance(value, str):
        raise MappingError(_("The order's %(field)s is missing.") % {"field": what})
    try:
        parsed = datetime.fromisoformat(value)  # a trailing "Z" too (Python 3.11)
        # A moment of year 1 east of UTC, or of year 9999 west of it, has no UTC date: OverflowError.
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise MappingError(
            _("The order's %(field)s %(value)r is not a date.") % {"field": what, "value": value[:40]}
        ) from exc


def _plain(value) -> str:
    """Product descriptions are HTML; the catalog keeps plain text."""
    return " ".join(unescape(_TAG.sub(" ", str(value or ""))).split())[:10000]
