"""The registry of platforms: an explicit dict, no auto-discovery (DESIGN.md)."""

from integrations.platforms.base import Platform
from integrations.platforms.shopify import Shopify

PLATFORMS: dict[str, Platform] = {
    "shopify": Shopify(),
}


def platform_for(store) -> Platform:
    return PLATFORMS[store.platform]
