"""Where a store's platform delivers its webhooks: ROAPP_PUBLIC_URL, checked to be reachable (R48)."""

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from integrations.models import Store
from integrations.platforms import addresses, platform_for


def public_url_problem() -> str:
    """Why a platform could not deliver to ROAPP_PUBLIC_URL, in one line; "" when it can.

    With ROAPP_ALLOW_INSECURE_PLATFORM_URLS (demo, tests: fake shops on this machine) any http(s) address
    will do; otherwise it must be https on a public address, as a real shop on the internet needs.
    """
    url = settings.ROAPP_PUBLIC_URL
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("ROAPP_PUBLIC_URL (%(url)s) is not a web address, so no platform can send webhooks to it.") % {
            "url": url
        }
    if settings.ROAPP_ALLOW_INSECURE_PLATFORM_URLS:
        return ""
    if parts.scheme != "https":
        return _("ROAPP_PUBLIC_URL (%(url)s) must start with https://: platforms send webhooks to https only.") % {
            "url": url
        }
    try:
        forbidden = addresses.first_non_public(addresses.resolve(parts.hostname))
    except OSError:
        return _("ROAPP_PUBLIC_URL's host %(host)s cannot be found, so no platform can send webhooks to it.") % {
            "host": parts.hostname
        }
    if forbidden is not None:
        return _(
            "ROAPP_PUBLIC_URL (%(url)s) leads to %(address)s, a private or local address the platform cannot "
            "reach; set it to the back-office's public https address."
        ) % {"url": url, "address": forbidden}
    return ""


def validate_public_url() -> None:
    """Refuse to connect a store whose platform could not send its webhooks anywhere (R48)."""
    problem = public_url_problem()
    if problem:
        raise ValidationError(problem)


def webhook_address(store: Store) -> str:
    """The address the store's platform delivers to; unsigned platforms (Cartum) carry the store's key in it."""
    address = settings.ROAPP_PUBLIC_URL + reverse("webhook", args=[store.pk])
    if not platform_for(store).signs_webhooks:
        address += "?key=" + quote(store.webhook_secret, safe="")
    return address


def shown_address(store: Store) -> str:
    """The webhook address as staff may see it: a key in it is not shown (it authenticates Cartum's hooks)."""
    address = settings.ROAPP_PUBLIC_URL + reverse("webhook", args=[store.pk])
    return address if platform_for(store).signs_webhooks else address + "?key=<" + _("the store's webhook key") + ">"
