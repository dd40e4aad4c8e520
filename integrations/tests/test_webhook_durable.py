"""A recorded webhook delivery is always drained (R51): a failure to queue its drain is swept up, a worker's
first task after a database outage reconnects, and old deliveries are pruned but never an undone one."""

import json
from datetime import timedelta

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ, Schedule
from django_q.signing import SignedPackage

from integrations import tasks
from integrations.models import Store, WebhookDelivery
from integrations.platforms.signatures import hmac_sha256_base64
from integrations.tests.factories import StoreFactory, WebhookDeliveryFactory
from integrations.tests.nodes import order_node
from orders.models import Order

pytestmark = pytest.mark.django_db

BODY = json.dumps({"id": 4601}).encode()


def deliver(client, store, body=BODY):
    return client.post(
        f"/hooks/{store.pk}/",
        data=body,
        content_type="application/json",
        HTTP_X_SHOPIFY_HMAC_SHA256=hmac_sha256_base64(secret="whsec_test", body=body),
        HTTP_X_SHOPIFY_WEBHOOK_ID="delivery-1",
        HTTP_X_SHOPIFY_TOPIC="orders/create",
    )


@pytest.fixture
def orm_broker(settings, monkeypatch):
    """django-q2 as the product runs it: tasks go to its ORM broker's table, nothing runs them inline."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False, "orm": "default"}
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "ORM", "default")


def queued_tasks() -> list[tuple]:
    return [(task["func"], task["args"]) for task in (SignedPackage.loads(q.payload) for q in OrmQ.objects.all())]


def broker_table_away():
    """The broker's table is gone (a failed migration, a restore in progress): every enqueue fails in django-q2."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {OrmQ._meta.db_table} RENAME TO broker_away")


def broker_table_back():
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE broker_away RENAME TO {OrmQ._meta.db_table}")


@pytest.mark.postgres
def test_R51_a_delivery_whose_drain_could_not_be_queued_is_drained_on_the_platforms_retry(
    client, shopify_store, fake_shopify, orm_broker
):
    fake_shopify.add_order(order_node(4601, created="2026-11-24T10:00:00Z"))
    broker_table_away()
    assert deliver(client, shopify_store).status_code == 202  # the delivery is recorded: its place is kept
    broker_table_back()
    assert WebhookDelivery.objects.filter(processed_at__isnull=True).count() == 1 and queued_tasks() == []
    assert Store.objects.get(pk=shopify_store.pk).webhook_drain_queued_at is None  # no claim left behind

    # The platform sends the same delivery again: a replay, and this time its drain is queued.
    assert deliver(client, shopify_store).status_code == 204
    assert queued_tasks() == [("integrations.tasks.drain_webhooks", (shopify_store.pk,))]
    assert deliver(client, shopify_store).status_code == 204
    assert len(queued_tasks()) == 1  # a drain is on its way: not queued twice

    tasks.drain_webhooks(*queued_tasks()[0][1])  # what the worker runs
    assert Order.objects.filter(store=shopify_store, external_id="4601").exists()


@pytest.mark.postgres
def test_R51_a_delivery_whose_drain_could_not_be_queued_is_drained_by_the_sweep_without_another_webhook(
    client, shopify_store, fake_shopify, orm_broker
):
    fake_shopify.add_order(order_node(4601, created="2026-11-24T10:00:00Z"))
    broker_table_away()
    assert deliver(client, shopify_store).status_code == 202
    broker_table_back()
    assert queued_tasks() == []

    assert tasks.sweep_webhook_queues() == "0 drains queued"  # within the grace its own drain may still come
    WebhookDelivery.objects.update(received_at=timezone.now() - timedelta(minutes=3))
    assert tasks.sweep_webhook_queues() == "1 drains queued"  # the schedule's next run, minutes later
    assert queued_tasks() == [("integrations.tasks.drain_webhooks", (shopify_store.pk,))]
    tasks.drain_webhooks(shopify_store.pk)
    assert Order.objects.filter(store=shopify_store, external_id="4601").exists()
    assert tasks.sweep_webhook_queues() == "0 drains queued"
    assert Schedule.objects.get(func="integrations.tasks.sweep_webhook_queues").minutes == 1


def test_R51_the_sweep_leaves_stores_alone_whose_drain_is_on_its_way(django_capture_on_commit_callbacks):
    now = timezone.now()
    lost, on_its_way, fresh = (StoreFactory() for _ in range(3))
    Store.objects.filter(pk=lost.pk).update(webhook_drain_queued_at=now - timedelta(minutes=10))  # presumed lost
    Store.objects.filter(pk=on_its_way.pk).update(webhook_drain_queued_at=now - timedelta(seconds=30))
    for store, age in ((lost, 5), (on_its_way, 5), (fresh, 0)):
        waiting = WebhookDeliveryFactory(store=store)
        WebhookDelivery.objects.filter(pk=waiting.pk).update(received_at=now - timedelta(minutes=age))
    done = WebhookDeliveryFactory(store=fresh, processed_at=now - timedelta(minutes=9))  # done: not waiting
    WebhookDelivery.objects.filter(pk=done.pk).update(received_at=now - timedelta(minutes=10))
    with django_capture_on_commit_callbacks() as queued:
        assert tasks.sweep_webhook_queues() == "1 drains queued"
    assert len(queued) == 1
    assert Store.objects.get(pk=lost.pk).webhook_drain_queued_at > now - timedelta(seconds=5)
    assert Store.objects.get(pk=on_its_way.pk).last_webhook_at is None  # the sweep is no webhook (R44)


def test_R51_deliveries_are_kept_seven_days_once_done_and_an_undone_one_is_never_pruned(settings):
    assert settings.ROAPP_WEBHOOK_RETENTION_DAYS == 7
    now = timezone.now()
    store = StoreFactory()
    old_done, recent_done, old_undone = (WebhookDeliveryFactory(store=store) for _ in range(3))
    for delivery, age, done in ((old_done, 8, True), (recent_done, 6, True), (old_undone, 30, False)):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            received_at=now - timedelta(days=age), processed_at=(now - timedelta(days=age)) if done else None
        )
    assert tasks.prune_webhook_deliveries() == "1 deliveries pruned"
    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {recent_done.pk, old_undone.pk}
    settings.ROAPP_WEBHOOK_RETENTION_DAYS = 5
    assert tasks.prune_webhook_deliveries() == "1 deliveries pruned"
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [old_undone.pk]
    assert Schedule.objects.get(func="integrations.tasks.prune_webhook_deliveries").schedule_type == Schedule.DAILY


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the seed rows come back for later tests
def test_R51_a_workers_first_task_after_a_database_outage_reconnects():
    """CONN_HEALTH_CHECKS: a connection kept open (CONN_MAX_AGE) that died is replaced before it is used."""
    assert connection.settings_dict["CONN_MAX_AGE"] > 0 and connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    connection.ensure_connection()
    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    close_old_connections()  # what django-q2's worker does before each task, as Django does per request
    assert tasks.sweep_webhook_queues() == "0 drains queued"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the seed rows come back for later tests
def test_R51_a_redis_broker_that_cannot_be_reached_leaves_no_claim_behind(client, settings, monkeypatch):
    """With a broker outside the database the task is queued after the claim commits; failing, it is taken back."""
    store = StoreFactory()
    store.webhook_secret = "whsec_test"
    store.save()
    cluster = {key: value for key, value in settings.Q_CLUSTER.items() if key != "orm"}
    settings.Q_CLUSTER = {**cluster, "sync": False, "redis": "redis://127.0.0.1:1/0"}  # nothing listens on port 1
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "REDIS", "redis://127.0.0.1:1/0")
    assert deliver(client, store).status_code == 202
    store.refresh_from_db()
    assert store.webhook_drain_queued_at is None and store.last_webhook_at is not None
    assert WebhookDelivery.objects.filter(store=store, processed_at__isnull=True).count() == 1
