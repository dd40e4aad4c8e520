"""R13: which deliveries are Nova Poshta (Ukraine) and where the TTN comes from — a table, platform-neutral."""

from dataclasses import dataclass

import pytest

from integrations.dto import RemoteDelivery
from integrations.novaposhta.recognize import recognize


@dataclass(frozen=True)
class WithCompany(RemoteDelivery):
    """A DTO that also carries the fulfillment's tracking company (what recognition reads when present)."""

    tracking_company: str = ""


@pytest.mark.parametrize(
    ("service", "carrier_code", "expected"),
    [
        ("Нова Пошта", "", True),
        ("Нова пошта — відділення", "", True),
        ("Доставка Новою Поштою", "", True),
        ("Новая Почта", "", True),
        ("Доставка Новой почтой до отделения", "", True),
        ("Nova Poshta", "", True),
        ("NOVA POSHTA courier", "", True),
        ("NovaPoshta", "", True),
        ("Courier", "nova_poshta", True),
        ("Courier", "novaposhta", True),
        ("Warehouse", "nova-poshta", True),
        ("Delivery to branch", "nova_poshta_warehouse", True),
        ("NP", "", True),
        ("Standard", "np-carrier", True),
        ("НП відділення", "", True),
        ("Nova Pochta", "", True),
        # Nova Poshta Global / International and Nova Post (abroad) stay comments.
        ("Nova Poshta Global", "np-global-carrier", False),
        ("Нова Пошта Глобал", "", False),
        ("Новая Почта Глобал", "", False),
        ("Nova Poshta (International)", "", False),
        ("Нова Пошта міжнародна доставка", "", False),
        ("Nova Post", "", False),
        ("NP Global", "", False),
        # Other services.
        ("Укрпошта", "ukrposhta", False),
        ("Meest Express", "meest-carrier", False),
        ("Самовивіз", "", False),
        ("Snapshot delivery", "shopify", False),
        ("Novelty post", "", False),
        ("", "", False),
    ],
)
def test_R13_recognition_table(service, carrier_code, expected):
    assert recognize(RemoteDelivery(service=service, carrier_code=carrier_code)).is_nova_poshta is expected


def test_R13_no_delivery_is_not_nova_poshta():
    assert not recognize(None).is_nova_poshta


@pytest.mark.parametrize(
    ("number", "ttn"),
    [
        ("20450000000001", "20450000000001"),  # NP's TTN format: 14 digits starting with 1, 2 or 5
        ("2045 0000 0000 01", "20450000000001"),  # spaces and dashes typed by hand are dropped
        ("59-000-123-456-789", "59000123456789"),
        ("10000000000001", "10000000000001"),
        ("RR123456789UA", ""),  # Ukrposhta's format is not a TTN
        ("0504123456789", ""),  # 13 digits, starts with 0
        ("", ""),  # no number yet: still a waybill, filled in later
    ],
)
def test_R13_ttn_from_the_tracking_number_when_the_platform_gives_no_company(number, ttn):
    found = recognize(RemoteDelivery(service="Нова Пошта", tracking_number=number))
    assert found.is_nova_poshta and found.number == ttn


def test_R13_a_nova_poshta_tracking_company_vouches_for_any_numeric_number():
    found = recognize(WithCompany(service="Нова Пошта", tracking_number="123456", tracking_company="Nova Poshta"))
    assert (found.is_nova_poshta, found.number) == (True, "123456")


def test_R13_another_carrier_s_tracking_number_is_not_the_ttn():
    found = recognize(WithCompany(service="Нова Пошта", tracking_number="20450000000001", tracking_company="Meest"))
    assert (found.is_nova_poshta, found.number) == (True, "")


def test_R13_a_nova_poshta_tracking_company_makes_the_delivery_nova_poshta():
    found = recognize(WithCompany(service="Standard", tracking_number="20450000000001", tracking_company="Nova Poshta"))
    assert (found.is_nova_poshta, found.number) == (True, "20450000000001")
    international = WithCompany(service="Standard", tracking_number="1", tracking_company="Nova Poshta (International)")
    assert not recognize(international).is_nova_poshta
