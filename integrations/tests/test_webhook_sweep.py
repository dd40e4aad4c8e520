"""The scheduled sweep of the webhook queue (R51): which stores it drains, and that it is no webhook (R44)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations import tasks, webhook_queue
from integrations.models import Store, WebhookDelivery
from integrations.tests.factories import StoreFactory, WebhookDeliveryFactory

pytestmark = pytest.mark.django_db


def waiting_since(store, minutes: int) -> None:
    delivery = WebhookDeliveryFactory(store=store)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(received_at=timezone.now() - timedelta(minutes=minutes))


def test_R51_R44_the_sweep_drains_each_enabled_store_left_waiting_and_counts_as_no_webhook(
    django_capture_on_commit_callbacks,
):
    never_drained, lost, disabled = StoreFactory(), StoreFactory(), StoreFactory(enabled=False)
    long_ago = timezone.now() - timedelta(minutes=10)
    Store.objects.filter(pk=lost.pk).update(webhook_drain_queued_at=long_ago)  # its drain presumed lost
    for store in (never_drained, lost, disabled):
        waiting_since(store, minutes=5)
    started = timezone.now()
    with django_capture_on_commit_callbacks() as queued:
        assert tasks.sweep_webhook_queues() == "2 drains queued"
    assert len(queued) == 2
    swept = Store.objects.filter(pk__in=[never_drained.pk, lost.pk])
    assert all(store.webhook_drain_queued_at >= started for store in swept)
    assert [store.last_webhook_at for store in swept] == [None, None]  # health still sees no webhook (R44)
    assert Store.objects.get(pk=disabled.pk).webhook_drain_queued_at is None  # a disabled store is not synced


def test_R51_a_sweep_acts_as_of_its_own_moment(django_capture_on_commit_callbacks):
    store = StoreFactory()
    waiting_since(store, minutes=0)  # not late yet, but it will be at the sweep's moment
    later = timezone.now() + timedelta(minutes=5)
    with django_capture_on_commit_callbacks() as queued:
        assert webhook_queue.queues_sweep(now=later) == 1
    assert len(queued) == 1
    assert Store.objects.get(pk=store.pk).webhook_drain_queued_at == later
