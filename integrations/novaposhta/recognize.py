"""Is this delivery Nova Poshta (Ukraine), and which TTN does it carry? (R13)

Platform-neutral: it reads only `RemoteDelivery`, so any platform whose mapping fills the DTO
(Shopify today, Cartum later) gets the same answer. The decision is data, in the tables below.

Nova Poshta (Ukraine) is recognized when the shipping line's title (`service`), its code/carrier
(`carrier_code`) or the fulfillment's tracking company names Nova Poshta in any usual spelling:
Ukrainian "Нова Пошта" (and its inflections: "Новою Поштою", "Нової Пошти"...), Russian "Новая
Почта" ("Новой Почтой"...), Latin "Nova Poshta", "Nova Pochta", "NovaPoshta", "nova_poshta",
"nova-poshta", or the abbreviations "NP" / "НП" as a separate word ("NP", "np-carrier").
Case, spaces, "_" and "-" do not matter. Not Nova Poshta (Ukraine), so they stay comments (R12):
any of those fields saying "Global", "Глобал", "International" or "міжнародна"/"международная"
(Nova Poshta Global / Nova Poshta (International)), and "Nova Post", the company's brand abroad.

The TTN number is the fulfillment's tracking number: taken when the tracking company is Nova
Poshta; when the platform gives no company, only a number in Nova Poshta's TTN format (14 digits
starting with 1, 2 or 5; third-party clients agree on it, [U] in PROTOCOLS.md terms) is taken, so
an Ukrposhta or Meest number never becomes a TTN. Spaces and dashes in the number are dropped.
A Nova Poshta delivery without a number yet is still a waybill; the number fills in later.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from integrations.dto import RemoteDelivery

# Spaced, case-folded text; "_" and "-" become spaces before these run.
NOVA_POSHTA_NAMES = (
    re.compile(r"\bnova\s*(poshta|pochta|posta)\b"),  # Latin: Nova Poshta, NovaPoshta, nova_poshta, Nova Pochta
    re.compile(r"\bnov(a|oi|oyu|u)\s*(poshta|poshty|poshtoyu|pochta)\b"),  # transliterated inflections
    re.compile(r"\bнов(а|ої|ій|у|ою)\s*(пошт)"),  # Ukrainian: Нова Пошта, Новою Поштою, Нової Пошти
    re.compile(r"\bнов(ая|ой|ую|ою)\s*(почт)"),  # Russian: Новая Почта, Новой Почтой, Новую Почту
    re.compile(r"(^|\s)(np|нп)(\s|$)"),  # the abbreviation as a word of its own: "NP", "np-carrier", "НП"
)
NOT_NOVA_POSHTA_UKRAINE = (
    re.compile(r"global|глобал|international|інтернешнл|міжнародн|международн"),  # Nova Poshta Global
    re.compile(r"\bnova\s*post\b"),  # Nova Post: the brand of Nova Poshta's companies abroad
)
# Nova Poshta TTN: 14 digits starting with 1, 2 or 5 (third-party clients, e.g. parcel-tracking's
# nova-poshta.go; not stated on developers.novaposhta.ua).
TTN_FORMAT = re.compile(r"^[125]\d{13}$")
NUMBER_NOISE = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class Recognition:
    is_nova_poshta: bool
    number: str = ""  # the TTN, or "" when none is known yet


def normalize(text: str) -> str:
    """Case-folded words separated by single spaces; "_", "-", "ё" and apostrophes smoothed out."""
    text = (text or "").casefold().replace("ё", "е").replace("’", "").replace("'", "").replace("ʼ", "")
    return " ".join(re.findall(r"[^\W_]+", text))


@lru_cache(maxsize=4096)  # a shop's few delivery names come back with every order
def names_nova_poshta(text: str) -> bool:
    """Does this text name Nova Poshta (any spelling)?"""
    words = normalize(text)
    return any(p.search(words) for p in NOVA_POSHTA_NAMES)


@lru_cache(maxsize=4096)
def names_other_nova_poshta(text: str) -> bool:
    """Does this text name Nova Poshta Global / International / Nova Post rather than Ukraine?"""
    words = normalize(text)
    return any(p.search(words) for p in NOT_NOVA_POSHTA_UKRAINE)


def ttn_number(number: str, *, company_is_nova_poshta: bool) -> str:
    """The TTN in `number`, or "" when it is not one."""
    digits = NUMBER_NOISE.sub("", number or "")
    if not digits.isdigit():
        return ""
    return digits if company_is_nova_poshta or TTN_FORMAT.match(digits) else ""


def recognize(delivery: RemoteDelivery | None) -> Recognition:
    """Nova Poshta (Ukraine) or not, and the TTN number if one is known."""
    if delivery is None:
        return Recognition(False)
    # The tracking company is read when the platform's DTO carries it (`tracking_company`).
    company = getattr(delivery, "tracking_company", "") or ""
    fields = [delivery.service, delivery.carrier_code, company]
    if any(names_other_nova_poshta(f) for f in fields):
        return Recognition(False)
    company_is_np = names_nova_poshta(company)
    if not (company_is_np or any(names_nova_poshta(f) for f in fields)):
        return Recognition(False)
    if company and not company_is_np:
        return Recognition(True)  # shipped with Nova Poshta, but this tracking number is another carrier's
    return Recognition(True, ttn_number(delivery.tracking_number, company_is_nova_poshta=company_is_np))
