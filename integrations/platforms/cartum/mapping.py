"""Cartum `orders/get` order -> RemoteOrder. Pure: no I/O, no Django models.

No `orders/get` response example is public. The shape here is built from:
- confirmed by a fixture (cartum_webhook_order_created_payload.json, the `order_created` body, whose
  fields the `orders/get` docs list under the same names): `order_id`, `delivery_name`, `delivery_email`,
  `delivery_phone`, `delivery_city`, `delivery_address`, `delivery_type {id, title}`, `delivery_price`,
  `stat_status`, `stat_created` ("2016-12-05 15:46:40"), `currency`, `products[] {title, article, price,
  quantity, total_price}`;
- from the docs' field list only (https://horoshop.atlassian.net/wiki/spaces/DOCS/pages/3693183343): that
  `orders/get` objects carry those same fields, and that a UkrPoshta `delivery_address` joins its parts
  with "@";
- inferred, with no source: that `stat_created` is the shop's local time (Europe/Kyiv: Cartum is a
  Ukrainian service and the value has no offset), that a line's `price` is the unit price (the fixture has
  quantity 1, price = total_price), a plain-`status` fallback for the status, a `{lang: text}` title, and
  `delivery_price` -1 meaning "not calculated" (a third-party client's measurement).
The client adds `_roapp_status` {id, title, is_successful} from `orders/get_available_statuses`, so the
finished check (R3) stays pure; without it the documented default (3 Delivered) decides.
"""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from integrations.dto import RemoteClient, RemoteDelivery, RemoteLine, RemoteOrder
from integrations.platforms.base import MappingError, payload_order_id
from integrations.platforms.values import decimal_value as _decimal
from integrations.platforms.values import text_value as _text

SHOP_TZ = ZoneInfo("Europe/Kyiv")
STATUS_KEY = "_roapp_status"
DEFAULT_SUCCESSFUL = "3"
MAX_TEXT = 255
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y")


def order_from_payload(payload: dict) -> RemoteOrder:
    external_id = payload_order_id(payload, "order_id")
    try:
        products = payload.get("products") or []
        if not isinstance(products, list):
            raise MappingError(_("The order's products have an unexpected shape."))
        status = str(payload.get("stat_status", payload.get("status")) or "").strip()
        created = parse_shop_time(payload.get("stat_created"))
        return RemoteOrder(
            external_id=external_id,
            number=external_id,
            created_at=created,
            updated_at=created,  # Cartum sends no modification time
            currency=_text(payload.get("currency")).upper(),
            lines=_lines(products),
            client=_client(payload),
            delivery=_delivery(payload),
            status=status,
            finished=_finished(payload, status),
            raw=payload,
        )
    except (AttributeError, TypeError) as exc:
        raise MappingError(
            _("Order %(id)s has an unexpected shape: %(error)s") % {"id": external_id, "error": exc}
        ) from exc


def parse_shop_time(value) -> datetime:
    """The shop's local time (a `stat_created`) as a UTC moment, or MappingError in plain words."""
    text = str(value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=SHOP_TZ).astimezone(UTC)
        except (ValueError, OverflowError):  # OverflowError: early on 1 January of year 1, UTC is still year 0
            continue
    raise MappingError(_("The order's creation date %(value)r is missing or not a date.") % {"value": text[:40]})


def split_name(full_name: str) -> tuple[str, str]:
    """R20: one full name, split at the first space: first name, then the rest as last name."""
    first, _sep, rest = " ".join(str(full_name or "").split()).partition(" ")
    return first[:MAX_TEXT], rest[:MAX_TEXT]


def _lines(products: list) -> tuple[RemoteLine, ...]:
    lines, seen = [], {}
    for item in products:
        if not isinstance(item, dict):
            raise MappingError(_("A product line has an unexpected shape."))
        name = _text(title_text(item.get("title")))
        article = _text(item.get("article"))
        if not name and not article:
            raise MappingError(_("A product line has neither a title nor an article."))
        quantity = _decimal(item.get("quantity"), _("quantity")).quantize(Decimal("0.001"))
        if quantity <= 0:
            raise MappingError(
                _("The line %(name)s has quantity %(qty)s; it must be greater than zero.")
                % {"name": name or article, "qty": quantity}
            )
        price = _decimal(item.get("price"), _("price")).quantize(Decimal("0.01"))
        if price < 0:
            raise MappingError(_("The price of %(name)s is negative.") % {"name": name or article})
        # No line id either: the article identifies a line; a repeat (a gift of the same product) is numbered.
        key = article or name
        seen[key] = seen.get(key, 0) + 1
        lines.append(
            RemoteLine(
                external_id=key if seen[key] == 1 else f"{key}#{seen[key]}",
                name=name or article,
                quantity=quantity,
                price=price,
                sku=article,  # R17: article -> SKU; Cartum sends no product id, so no Code (product_id stays "")
            )
        )
    return tuple(lines)


def _client(payload: dict) -> RemoteClient | None:
    first, last = split_name(payload.get("delivery_name"))
    client = RemoteClient(
        first_name=first,
        last_name=last,
        phone=_text(payload.get("delivery_phone")),
        email=_text(payload.get("delivery_email")),
    )
    return client if any(vars(client).values()) else None


def _delivery(payload: dict) -> RemoteDelivery | None:
    kind = payload.get("delivery_type") or {}
    service = _text(title_text(kind.get("title"))) if isinstance(kind, dict) else _text(kind)
    # UkrPoshta addresses join their parts with "@" (orders/get docs).
    street = ", ".join(p.strip() for p in str(payload.get("delivery_address") or "").split("@") if p.strip())
    address = ", ".join(p for p in (_text(payload.get("delivery_city")), street) if p)
    price = payload.get("delivery_price")
    cost = None
    if price not in (None, "") and not isinstance(price, bool):
        value = _decimal(price, _("delivery cost"))
        cost = value.quantize(Decimal("0.01")) if value >= 0 else None  # -1: not calculated
    if not (service or address or cost is not None):
        return None
    return RemoteDelivery(
        service=service,
        cost=cost,
        address=address[:1000],
        recipient_name=_text(payload.get("delivery_name")),
        recipient_phone=_text(payload.get("delivery_phone")),
    )


def _finished(payload: dict, status: str) -> str:
    """Why the order counts as finished (R3: Cartum's `is_successful` status, "Delivered"), or ""."""
    known = payload.get(STATUS_KEY)
    if isinstance(known, dict) and str(known.get("id", "")) == status:
        return (_text(known.get("title")).lower() or "delivered") if known.get("is_successful") else ""
    return "delivered" if status == DEFAULT_SUCCESSFUL else ""


def title_text(title) -> str:
    """A status or product title: a plain string, or {lang: text} where English is preferred."""
    if isinstance(title, dict):
        for lang in ("en", "ua", "uk", "ru"):
            if str(title.get(lang) or "").strip():
                return str(title[lang]).strip()
        title = next((v for v in title.values() if str(v or "").strip()), "")
    return str(title or "").strip()
