"""The registry of platforms: an explicit dict, no auto-discovery (DESIGN.md)."""

from integrations.platforms.base import Platform
from integrations.platforms.cartum import Cartum
from integrations.platforms.shopify import Shopify
from integrations.platforms.woocommerce import WooCommerce

PLATFORMS: dict[str, Platform] = {
    "shopify": Shopify(),
    "woocommerce": WooCommerce(),
    "cartum": Cartum(),
}


def platform_for(store) -> Platform:
    return PLATFORMS[store.platform]
