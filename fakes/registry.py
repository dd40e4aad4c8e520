"""FAKES maps a platform name to its fake server class.

`manage.py fake_platform` offers exactly these names and the contract test starts each one, so a new fake becomes
available to both by adding it here.
"""

from fakes.cartum import FakeCartum
from fakes.novaposhta import FakeNovaPoshta
from fakes.shopify import FakeShopify
from fakes.woocommerce import FakeWooCommerce

FAKES = {"shopify": FakeShopify, "woocommerce": FakeWooCommerce, "cartum": FakeCartum, "novaposhta": FakeNovaPoshta}
