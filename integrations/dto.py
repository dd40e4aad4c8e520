"""Platform-neutral shapes of what a store sends us; every platform's mapping produces these.

Frozen dataclasses: the import compares them, fingerprints them, and never mutates them.
Money is Decimal, datetimes are aware, platform ids are strings.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class RemoteClient:
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class RemoteLine:
    external_id: str
    name: str
    quantity: Decimal
    price: Decimal
    sku: str = ""
    product_id: str = ""
    description: str = ""
    category_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemoteDelivery:
    service: str
    cost: Decimal | None = None
    address: str = ""
    # Carrier-specific facts the delivery rules use (Nova Poshta waybills, R13).
    carrier_code: str = ""
    tracking_number: str = ""
    tracking_company: str = ""
    recipient_name: str = ""
    recipient_phone: str = ""


@dataclass(frozen=True)
class RemoteOrder:
    external_id: str
    number: str
    created_at: datetime
    updated_at: datetime
    currency: str
    lines: tuple[RemoteLine, ...]
    client: RemoteClient | None = None
    delivery: RemoteDelivery | None = None
    # The platform's own status code/text (used by platforms that sync statuses, and by skip rules).
    status: str = ""
    # Why this order counts as finished on the platform (fulfilled, cancelled, ...), or "".
    finished: str = ""
    # The original payload, kept for the import log (R40); not part of comparisons.
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def as_comparable(self) -> dict:
        """Everything that, when it changes, must reach the back-office order (R8).

        Built by hand rather than with dataclasses.asdict, which deep-copies recursively and was a
        quarter of the import's time; the raw payload is never walked.
        """
        return {
            "external_id": self.external_id,
            "number": self.number,
            "created_at": self.created_at.isoformat(),
            "currency": self.currency,
            "status": self.status,
            "lines": [
                [
                    x.external_id,
                    x.name,
                    str(x.quantity),
                    str(x.price),
                    x.sku,
                    x.product_id,
                    x.description,
                    list(x.category_path),
                ]
                for x in self.lines
            ],
            "client": list(vars(self.client).values()) if self.client else None,
            "delivery": [str(v) for v in vars(self.delivery).values()] if self.delivery else None,
        }


@dataclass(frozen=True)
class ShopInfo:
    """What connecting learns about a shop (R1, R2, R22)."""

    name: str
    currency: str = ""  # "" where the platform does not expose one (Cartum: per order)
    plan: str = ""
    domain: str = ""


@dataclass(frozen=True)
class ApiBudget:
    """What a platform's last answer said of its API allowance (Shopify: the GraphQL cost bucket): `available` of
    `maximum` points left, refilled at `restore_rate` points a second. The store health page shows it (R44)."""

    available: float
    maximum: float
    restore_rate: float = 0.0


@dataclass
class Page:
    """One page of raw platform orders and the cursor that resumes after it."""

    payloads: list[dict]
    cursor: str = ""
    total: int | None = None  # orders in the whole query, where the platform says
