"""The platform API version a store is really served (R47).

Shopify answers a request that names a version it no longer supports as the oldest one it does, without an
error; only the answer's X-Shopify-API-Version tells (https://shopify.dev/docs/api/usage/versioning). Each sync
keeps the version the last answer named on the store, and the store health page warns while it differs from
the version the client asks for (`Platform.api_version`, for Shopify queries.API_VERSION). It is a warning, not
an alert: orders still arrive, but fields may change or vanish whenever Shopify moves its oldest version on.
"""

from django.utils.translation import gettext as _

from integrations.models import Store
from integrations.platforms import platform_for


def record_api_version(*, store: Store, client) -> None:
    """Keep the version the platform's last answer named (nothing when it named none)."""
    seen = getattr(client, "api_version", "") or ""
    if seen:
        Store.objects.filter(pk=store.pk).exclude(api_version_seen=seen).update(api_version_seen=seen[:20])
        store.api_version_seen = seen[:20]


def asked_api_version(store: Store) -> str:
    """The version every request of the store's platform names ("" for a platform without versions)."""
    return getattr(platform_for(store), "api_version", "")


def api_version_warning(store: Store) -> str:
    """A sentence for the health page while the platform answers with another version than asked for, else ""."""
    asked = asked_api_version(store)
    if not asked or not store.api_version_seen or store.api_version_seen == asked:
        return ""
    return _(
        "%(platform)s answered with API version %(answered)s instead of %(asked)s, the version the back-office "
        "asks for: %(platform)s no longer serves %(asked)s, and fields may change or disappear without notice. "
        "Update the back-office to a version %(platform)s supports."
    ) % {"platform": store.get_platform_display(), "answered": store.api_version_seen, "asked": asked}
