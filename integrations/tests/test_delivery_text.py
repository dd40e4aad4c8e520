"""The delivery comment an order's feed shows (R12), for every combination of what a platform may send: a service,
a cost (zero is a cost), an address; with none of them there is nothing to say."""

from decimal import Decimal

import pytest

from integrations.delivery import delivery_text
from integrations.dto import RemoteDelivery


@pytest.mark.parametrize(
    ("delivery", "text"),
    [
        (None, ""),
        (RemoteDelivery(service=""), ""),
        (RemoteDelivery(service="Meest Express"), "Delivery: Meest Express"),
        (
            RemoteDelivery(service="", address="Kyiv, Khreshchatyk 1"),
            "Delivery: not specified; address: Kyiv, Khreshchatyk 1",
        ),
        (RemoteDelivery(service="", cost=Decimal("0")), "Delivery: not specified; cost: 0.00 UAH"),
        (
            RemoteDelivery(service="Meest Express", cost=Decimal("70.5"), address="Kyiv"),
            "Delivery: Meest Express; cost: 70.50 UAH; address: Kyiv",
        ),
    ],
)
def test_R12_the_delivery_comment_says_what_the_platform_sent(delivery, text):
    assert delivery_text(delivery, "UAH") == text
