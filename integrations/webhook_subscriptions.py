"""A store's webhook subscriptions on its platform (R48): registered on connect, checked, repaired, removed.

Platform-neutral: each Platform says which topics it subscribes (`webhook_topics`), whether it can list its
subscriptions (`lists_webhooks`; Cartum cannot, so the ids the back-office created are what is present) and
whether the back-office makes up the webhook secret (`generates_webhook_secret`); its client does the calls
(`webhooks_list`, `webhooks_create`, `webhooks_delete`). Registering lists first and creates only the topics
missing, so running it again never makes a second subscription of one topic to one address.

The outcome of every check is kept on the store (what is there, what is missing, why) and the health check
turns a missing subscription into an alert (R44); "Repair webhooks" and `store_webhooks NAME --repair` put
it back.
"""

import logging
import secrets
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations.locks import store_job_lock
from integrations.models import Store
from integrations.platforms import platform_for
from integrations.platforms.base import WebhookSubscription
from integrations.platforms.http import PlatformError
from integrations.signals import store_webhooks_checked
from integrations.webhook_address import public_url_problem, webhook_address

logger = logging.getLogger("integrations.webhooks")

WEBHOOK_STATE = [
    "webhook_secret_encrypted",
    "webhook_subscriptions",
    "webhooks_missing",
    "webhooks_error",
    "webhooks_checked_at",
]
# Deleting a store must not wait a minute for a platform that is down: two tries, then the admin says so.
REMOVAL_ATTEMPTS = 2


@dataclass
class WebhooksReport:
    """What a check found: subscriptions present (active, at the store's address), topics missing, and why."""

    address: str = ""
    present: list[WebhookSubscription] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    created: list[WebhookSubscription] = field(default_factory=list)
    error: str = ""
    reached: bool = True  # False: the platform could not be asked, so what is missing is not known

    @property
    def complete(self) -> bool:
        return not self.missing and not self.error


def _secret_ready(store: Store) -> str:
    """The store's webhook secret, made up and saved (encrypted) first where the back-office generates it."""
    if platform_for(store).generates_webhook_secret and not store.webhook_secret:
        store.webhook_secret = secrets.token_urlsafe(32)
        Store.objects.filter(pk=store.pk).update(webhook_secret_encrypted=store.webhook_secret_encrypted)
    return store.webhook_secret


# --- check, register, repair ----------------------------------------------------------------------------
def store_webhooks_check(*, store: Store, repair: bool = False) -> WebhooksReport:
    """List the store's subscriptions on its platform; with `repair`, create the missing ones. The outcome is
    kept on the store and its health re-checked. One check per store at a time (two at once could both see a
    topic missing and both create it)."""
    with store_job_lock("webhooks", store) as taken:
        if not taken:
            busy = _("The webhooks of this store are being checked right now; try again in a moment.")
            return WebhooksReport(error=busy, reached=False)
        store.refresh_from_db(fields=WEBHOOK_STATE)  # what another process recorded meanwhile counts
        report = _check(store, repair)
    if report.reached or repair:
        _record(store, report)
    return report


def store_webhooks_register(*, store: Store) -> WebhooksReport:
    """Connecting (R48): subscribe the store's address to every topic it lacks."""
    return store_webhooks_check(store=store, repair=True)


def register_after_commit(store: Store) -> None:
    """Register once the new store is committed: WooCommerce pings the address while the webhook is created,
    and the ping must find the store (a 404 is what the merchant would see otherwise)."""

    def register():
        report = store_webhooks_register(store=store)
        if not report.complete:
            logger.warning("%s: webhooks not registered: %s", store, report.error or ", ".join(report.missing))

    transaction.on_commit(register, robust=True)


def _check(store: Store, repair: bool) -> WebhooksReport:
    platform = platform_for(store)
    secret = _secret_ready(store) if repair else store.webhook_secret
    report = WebhooksReport(address=webhook_address(store))
    client = platform.client(store)
    try:
        held = _held(store, client, report.address)
    except PlatformError as exc:
        report.reached, report.missing = False, list(platform.webhook_topics)
        report.error = _("The platform could not be asked: %(error)s") % {"error": exc}
        return report
    report.present = [s for s in held if s.active and s.topic in platform.webhook_topics]
    covered = {s.topic for s in report.present}
    report.missing = [topic for topic in platform.webhook_topics if topic not in covered]
    if not repair or not report.missing:
        return report
    problem = public_url_problem()
    if problem:
        report.error = problem
        return report
    for topic in list(report.missing):
        try:
            for stale in (s for s in held if s.topic == topic and not s.active):
                client.webhooks_delete(stale)  # paused or disabled by the platform: replaced, not duplicated
            created = client.webhooks_create(topic=topic, address=report.address, secret=secret)
        except PlatformError as exc:
            report.error = _("%(topic)s could not be registered: %(error)s") % {"topic": topic, "error": exc}
            continue
        report.created.append(created)
        report.present.append(created)
        report.missing.remove(topic)
    return report


def store_subscriptions_dropped(*, store: Store) -> None:
    """The platform says it removed the store's subscription (Cartum's DELETE to the address, which it cannot
    list otherwise): from now on it is missing, an alert until "Repair webhooks" subscribes again."""
    store = Store.objects.get(pk=store.pk)
    platform = platform_for(store)
    report = WebhooksReport(address=webhook_address(store), missing=list(platform.webhook_topics))
    report.error = _("%(platform)s removed the subscription on its side.") % {"platform": platform.label}
    _record(store, report)


def _held(store: Store, client, address: str) -> list[WebhookSubscription]:
    if platform_for(store).lists_webhooks:
        return client.webhooks_list(address)
    return [s for s in remembered(store) if s.address == address]


def remembered(store: Store) -> list[WebhookSubscription]:
    """The subscriptions kept on the store at its last check (for Cartum: the ones the back-office created)."""
    kept = []
    for item in store.webhook_subscriptions or []:
        try:
            kept.append(WebhookSubscription(**item))
        except TypeError:
            continue  # a hand-edited entry that is not one
    return kept


def _record(store: Store, report: WebhooksReport) -> None:
    """Keep the outcome on the store and let the health check see it (R44). A plain check that could not reach
    the platform is not recorded (the failing syncs say so already); a registration that could not is: every
    topic is then missing until a repair works."""
    platform = platform_for(store)
    kept = report.present
    if not platform.lists_webhooks:  # the only record there is: keep the ones at other addresses too
        kept = [s for s in remembered(store) if s.address != report.address] + report.present
    values = {
        "webhook_subscriptions": [asdict(s) for s in kept],
        "webhooks_missing": report.missing,
        "webhooks_error": report.error[:1000],
        "webhooks_checked_at": timezone.now(),
    }
    Store.objects.filter(pk=store.pk).update(**values)
    for name, value in values.items():
        setattr(store, name, value)
    store_webhooks_checked.send(sender=Store, store=store)


# --- removal ----------------------------------------------------------------------------------------
def store_webhooks_remove(*, store: Store) -> tuple[int, str]:
    """Remove the store's subscriptions from its platform: (how many, why not all; "" when all went)."""
    return _removal(store)()


def _removal(store: Store):
    """What removing the store's subscriptions takes, gathered while the store still exists; call it to remove."""
    platform = platform_for(store)
    client = platform.client(store)
    if hasattr(client, "http"):
        client.http.attempts = REMOVAL_ATTEMPTS
    address, kept = webhook_address(store), remembered(store)

    def remove() -> tuple[int, str]:
        try:
            held = client.webhooks_list(address) if platform.lists_webhooks else kept
        except PlatformError as exc:
            return 0, str(exc)
        removed, error = 0, ""
        for subscription in held:
            try:
                client.webhooks_delete(subscription)
                removed += 1
            except PlatformError as exc:
                error = str(exc)
        return removed, error

    return remove


def store_delete(*, store: Store) -> tuple[str, bool]:
    """Delete a store, then remove its webhooks from the platform, best effort: a platform that cannot be
    reached never keeps the store from being deleted, and a store that may not be deleted (its orders protect
    it) keeps its webhooks. Returns what happened to the webhooks, in words, and whether they all went."""
    label, name = platform_for(store).label, store.name
    remove = _removal(store)
    store.delete()
    removed, error = remove()
    if error:
        return _(
            "%(store)s was deleted, but %(platform)s could not be told to stop its webhooks (%(error)s). Remove "
            "them in the %(platform)s admin; until then they are answered 404."
        ) % {"store": name, "platform": label, "error": error[:300]}, False
    return _("%(store)s was deleted and its %(count)d webhook subscriptions removed from %(platform)s.") % {
        "store": name,
        "count": removed,
        "platform": label,
    }, True


def registration_summary(store: Store) -> tuple[str, bool]:
    """The last check's outcome as kept on the store, in one line, and whether nothing is missing."""
    store.refresh_from_db(fields=WEBHOOK_STATE)
    label = platform_for(store).label
    if store.webhooks_checked_at is None:
        return _("%(store)s: the webhooks on %(platform)s have not been checked yet.") % {
            "store": store,
            "platform": label,
        }, False
    if store.webhooks_missing:
        return _("%(store)s: webhooks missing on %(platform)s: %(topics)s. %(error)s") % {
            "store": store,
            "platform": label,
            "topics": ", ".join(store.webhooks_missing),
            "error": store.webhooks_error,
        }, False
    topics = sorted({item.get("topic", "") for item in store.webhook_subscriptions or []})
    return _("%(store)s: webhooks registered on %(platform)s: %(topics)s.") % {
        "store": store,
        "platform": label,
        "topics": ", ".join(topics),
    }, True


def stores_webhooks_check() -> int:
    """The hourly check of every enabled store (the schedule); how many stores miss a subscription."""
    missing = 0
    for store in Store.objects.filter(enabled=True).order_by("pk"):
        try:
            report = store_webhooks_check(store=store)
        except Exception:  # one store's surprise must not stop the others' checks
            logger.exception("%s: the webhook check failed", store)
            continue
        missing += bool(report.missing)
    return missing
