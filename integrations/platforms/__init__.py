"""The registry of platforms: an explicit dict, no auto-discovery (DESIGN.md).

Each platform declares its key, label, credentials and capabilities on its class; the Store.platform choices, the
admin's connect form and `connect_store`'s flags are read from here. Adding one is one line below (and its import):
docs/adding-a-platform.md.
"""

from integrations.platforms.base import Platform
from integrations.platforms.cartum import Cartum
from integrations.platforms.shopify import Shopify
from integrations.platforms.woocommerce import WooCommerce

PLATFORMS: dict[str, Platform] = {
    platform.key: platform
    for platform in [
        Shopify(),
        WooCommerce(),
        Cartum(),
    ]
}


def platform_for(store) -> Platform:
    return PLATFORMS[store.platform]


def platform_choices() -> list[tuple[str, str]]:
    """(key, label) of every registered platform, in the registry's order: the Store.platform choices."""
    return [(key, platform.label) for key, platform in PLATFORMS.items()]
