"""Local fake platforms (real HTTP servers speaking each platform's protocol) for tests, the demo and benchmarks.

FAKES maps a platform name to its server class; `manage.py fake_platform` offers exactly these names, so a new
fake becomes available there by adding it here.
"""

from .cartum import FakeCartum
from .novaposhta import FakeNovaPoshta
from .shopify import FakeShopify
from .woocommerce import FakeWooCommerce

FAKES = {"shopify": FakeShopify, "woocommerce": FakeWooCommerce, "cartum": FakeCartum, "novaposhta": FakeNovaPoshta}
