"""Connecting a store: check the address and credentials against the platform, then save it (R1-R3, R46-R48)."""

from calendar import monthrange
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations import task_queue, webhook_address, webhook_subscriptions
from integrations.models import BackfillState, Store
from integrations.platforms import PLATFORMS, addresses, platform_for
from integrations.platforms.http import PlatformError


def two_calendar_months_before(moment: datetime) -> datetime:
    """23 November 14:00 -> 23 September 14:00; a missing day clamps to the month's last (R3)."""
    year, month = (moment.year, moment.month - 2) if moment.month > 2 else (moment.year - 1, moment.month + 10)
    return moment.replace(year=year, month=month, day=min(moment.day, monthrange(year, month)[1]))


def validate_shop_url(url: str) -> str:
    """Only https shop URLs whose host resolves to public addresses only (R52).

    ROAPP_ALLOW_INSECURE_PLATFORM_URLS (demo, tests) allows http and local addresses.
    """
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 -- reading it is what validates it ("shop:99999" raises)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError({"url": _("Enter the shop's full address, e.g. https://my-shop.myshopify.com.")})
    if settings.ROAPP_ALLOW_INSECURE_PLATFORM_URLS:
        return url
    if parts.scheme != "https":
        raise ValidationError({"url": _("The shop address must start with https://.")})
    host = parts.hostname
    try:
        forbidden = addresses.first_non_public(addresses.resolve(host))
    except OSError:
        raise ValidationError(
            {"url": _("The shop address %(host)s could not be found; check its spelling.") % {"host": host}}
        ) from None
    if forbidden is not None:
        raise ValidationError(
            {
                "url": _(
                    "The shop address %(host)s leads to a private or local network address "
                    "(%(address)s); only public addresses are allowed."
                )
                % {"host": host, "address": forbidden}
            }
        )
    return url


def store_probe(*, store: Store):
    """Ask the platform who the shop is; refuse bad credentials and another currency (R1, R2).

    The answer's API version is kept on the store (R47); a Dev Dashboard app's first token is obtained here and
    lands in the store's credentials (R46)."""
    client = platform_for(store).client(store)
    try:
        info = client.shop_info()
    except PlatformError as exc:
        raise ValidationError(_("The platform refused the connection: %(error)s") % {"error": exc}) from exc
    store.api_version_seen = getattr(client, "api_version", "") or ""
    currency = settings.ROAPP_CURRENCY
    if info.currency and info.currency != currency:
        raise ValidationError(
            _("The shop works in %(theirs)s but the back-office works in %(ours)s; connect a shop in %(ours)s.")
            % {"theirs": info.currency, "ours": currency}
        )
    return info


def store_prepare(
    *,
    platform: str,
    name: str,
    url: str,
    credentials: dict,
    order_type,
    webhook_secret: str = "",
    identify_products_by: str = "sku",
    now: datetime | None = None,
) -> Store:
    """Build a store and check it against the platform (credentials, currency, plan); save nothing."""
    if platform not in PLATFORMS:
        raise ValidationError({"platform": _("Unknown platform %(name)s.") % {"name": platform}})
    if Store.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A store named %(name)s already exists.") % {"name": name}})
    webhook_address.validate_public_url()  # R48: the platform must be able to reach its webhook address
    store = Store(
        platform=platform,
        name=name,
        url=validate_shop_url(url),
        order_type=order_type,
        identify_products_by=identify_products_by,
    )
    store.credentials = credentials
    store.webhook_secret = _webhook_secret(platform, credentials, webhook_secret)
    info = store_probe(store=store)
    now = now or timezone.now()
    store.shop_domain, store.shop_currency, store.shop_plan = info.domain, info.currency, info.plan
    store.connected_at = now
    store.backfill_since = two_calendar_months_before(now)
    store.poll_cursor = now
    return store


def _webhook_secret(platform: str, credentials: dict, given: str) -> str:
    """The secret webhooks are checked with: a credential, for a platform whose webhooks that signs (a Shopify Dev
    Dashboard app signs with its client secret, R46), else the one given."""
    signing = credentials.get(PLATFORMS[platform].webhook_secret_credential, "")
    if not signing:
        return given
    if given and given != signing:
        raise ValidationError(
            {"webhook_secret": _("This app signs its webhooks with its client secret; leave the webhook secret empty.")}
        )
    return signing


def store_save_new(*, store: Store, backfill: bool = True) -> Store:
    """Save a prepared store and queue its one-time backfill (R3) after the commit."""
    store.backfill_state = BackfillState.PENDING if backfill else BackfillState.SKIPPED
    store.save()
    platform_for(store).on_connect(store)
    webhook_subscriptions.register_after_commit(store)  # R48
    if backfill:
        task_queue.enqueue("integrations.tasks.backfill_store", store.pk)
    return store


def store_connect(*, backfill: bool = True, **fields) -> Store:
    """Validate the connection against the platform, save the store and queue its backfill (R1-R3)."""
    return store_save_new(store=store_prepare(**fields), backfill=backfill)
