"""What the platform contract test (test_platform_contract.py) needs to know of one platform beyond its registry
entry: its sample data, the credentials its fake takes, a real payload and webhook. Each platform's own test module,
integrations/tests/test_<key>.py, defines it as CONTRACT, so a new platform is held to the contract without editing
the contract test (docs/adding-a-platform.md)."""

import importlib
from dataclasses import dataclass, field


@dataclass
class Harness:
    key: str
    sample: object  # (n, seed=, now=) -> orders in the platform's own format
    credentials: object  # fake -> Store.credentials
    page_size: tuple  # (module, attribute) of the client's page size
    fixture: object  # () -> one real payload in the shape map_order takes
    fixture_expect: tuple  # (external_id, number, lines, currency) of that payload
    webhook_body: object  # () -> a real webhook body (bytes)
    webhook_order: str  # the order id the webhook names
    sign: object = None  # (body, secret) -> headers; None: the platform does not sign (Cartum)
    fake_options: dict = field(default_factory=dict)

    def __str__(self):
        return self.key


def harness_for(key: str) -> Harness:
    """The CONTRACT of integrations/tests/test_<key>.py; a registered platform without one fails the contract."""
    return importlib.import_module(f"integrations.tests.test_{key}").CONTRACT
