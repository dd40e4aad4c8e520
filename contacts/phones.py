"""Phone numbers in one form: E.164 (`+380671234567`), so the same number always matches (R21)."""

import re
from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID_PHONE = _("Enter a valid phone number, e.g. +380 67 123 4567.")


def _candidates(raw: str, region: str):
    """Yield the readings of `raw` worth trying, most literal first."""
    yield raw, region
    digits = re.sub(r"\D", "", raw)
    if digits and not raw.strip().startswith("+"):
        # "380-67-123-4567": a full international number written without the plus.
        yield "+" + digits, None
        # "8 067 123 45 67": the old long-distance prefix 8 in front of the national number.
        if digits.startswith("8") and len(digits) > 10:
            yield digits[1:], region


def normalize_phone(raw: str | None, *, region: str | None = None) -> str:
    """Return `raw` as E.164, '' for an empty value, or raise ValidationError."""
    normalized = normalize_phone_or_blank(raw, region=region)
    if not normalized and raw is not None and str(raw).strip():
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return normalized


@lru_cache(maxsize=65536)  # the importer sees the same numbers (valid or not) again and again
def _normalize(raw: str, region: str) -> str:
    """E.164, or "" when no reading of `raw` is a valid number."""
    for text, reg in _candidates(raw, region):
        try:
            number = phonenumbers.parse(text, reg)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return ""


def normalize_phone_or_blank(raw: str | None, *, region: str | None = None) -> str:
    """Return `raw` as E.164, or '' when it is not a valid number (importers keep the order)."""
    if raw is None or not str(raw).strip():
        return ""
    return _normalize(str(raw).strip(), (region or settings.ROAPP_PHONE_REGION).upper())


def normalize_email(raw: str | None) -> str:
    """Emails are compared without regard to case (R21), so they are stored lower-cased."""
    return (raw or "").strip().lower()
