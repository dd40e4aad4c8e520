"""Local fake platforms (real HTTP servers speaking each platform's protocol) for tests, the demo and benchmarks.

FAKES maps a platform name to its server class; `manage.py fake_platform` offers exactly these names, so a new
fake becomes available there by adding it here.
"""

from .shopify import FakeShopify

FAKES = {"shopify": FakeShopify}
