"""Where integrations hear of others' news; each receiver only hands it to a service.

- A back-office status change may have to be pushed to the order's platform (R9, integrations.status_push).
- After every sync and every check of its webhook subscriptions the store's health is brought up to date (R44,
  integrations.health.alerts): the import engine only announces them (integrations.signals), so it never
  depends on health.
"""

from django.dispatch import receiver

from integrations.health.alerts import store_after_sync, store_check_health
from integrations.models import Store
from integrations.signals import store_synced, store_webhooks_checked
from integrations.status_push import status_push_queue
from orders.signals import order_status_changed


@receiver(order_status_changed, dispatch_uid="integrations.push_status")
def push_status_to_platform(sender, order, source, **kwargs):
    """Queue a push of the new status after commit; a change that came from the platform is not echoed."""
    status_push_queue(order=order, source=source)


@receiver(store_synced, sender=Store, dispatch_uid="integrations.health_after_sync")
def check_health_after_sync(sender, store, client, poll_created=0, poll_started=None, **kwargs):
    """Record the API budget and version the sync saw, then re-check the store's health (R44)."""
    store_after_sync(store=store, client=client, poll_created=poll_created, poll_started=poll_started)


@receiver(store_webhooks_checked, sender=Store, dispatch_uid="integrations.health_after_webhooks_check")
def check_health_after_webhooks_check(sender, store, **kwargs):
    """A subscription found missing is an alert, one put back a recovery (R44, R48)."""
    store_check_health(store=store)
