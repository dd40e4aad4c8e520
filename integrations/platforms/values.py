"""Reading plain values out of platform payloads, with the same plain-words errors everywhere (R40)."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from integrations.platforms.base import MappingError

MAX_TEXT = 255
MAX_NUMBER = Decimal("1e11")


def decimal_value(value, what: str) -> Decimal:
    """A finite Decimal from a number or numeric text ("1,5" too), or MappingError saying what is wrong."""
    if isinstance(value, bool) or value is None or value == "":
        raise MappingError(_("The %(field)s is missing.") % {"field": what})
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation as exc:
        raise MappingError(
            _("The %(field)s %(value)r is not a number.") % {"field": what, "value": str(value)[:40]}
        ) from exc
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise MappingError(_("The %(field)s %(value)r is out of range.") % {"field": what, "value": str(value)[:40]})
    return number


def text_value(value) -> str:
    """Trimmed text, cut to what the back-office fields hold; NUL characters (PostgreSQL refuses them) dropped."""
    return str(value).replace("\x00", "").strip()[:MAX_TEXT] if value is not None else ""
