"""Stale-sync alerts (R44): silent webhooks, a stale store, failing syncs -> one alert, one recovery."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.health.alerts import store_check_health
from integrations.models import Store
from integrations.services import store_poll
from integrations.tests.nodes import order_node

pytestmark = pytest.mark.django_db


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def set_store(store, **fields):
    Store.objects.filter(pk=store.pk).update(**fields)
    return Store.objects.select_related("order_type__initial_status").get(pk=store.pk)


def signed_webhook(client, store, order_id, delivery="w-1"):
    body = json.dumps({"id": int(order_id)}).encode()
    signature = base64.b64encode(hmac.new(b"whsec_test", body, hashlib.sha256).digest()).decode()
    return client.post(
        f"/hooks/{store.pk}/",
        data=body,
        content_type="application/json",
        HTTP_X_SHOPIFY_HMAC_SHA256=signature,
        HTTP_X_SHOPIFY_WEBHOOK_ID=delivery,
        HTTP_X_SHOPIFY_TOPIC="orders/create",
    )


def test_R44_webhooks_stopped_while_the_poll_finds_new_orders_alerts_once_and_recovers_once(
    shopify_store, fake_shopify, mailoutbox, admin_client, client, django_capture_on_commit_callbacks
):
    now = timezone.now()
    store = set_store(
        shopify_store,
        contact_emails="owner@example.com, ops@example.com",
        connected_at=now - timedelta(hours=3),
        poll_cursor=now - timedelta(hours=3),
        last_webhook_at=now - timedelta(hours=2),
        last_sync_at=now,
    )
    # Three orders placed an hour ago that no webhook announced: only the poll brings them in.
    for n in range(3):
        fake_shopify.add_order(order_node(4000 + n, created=iso(now - timedelta(hours=1)), phone=f"+38067123400{n}"))
    assert store_poll(store=store).created == 3

    store.refresh_from_db()
    assert not store.healthy and [p["code"] for p in store.health_problems] == ["webhooks"]
    [alert] = mailoutbox
    assert alert.to == ["owner@example.com", "ops@example.com"]
    assert "Kyiv Cases: orders may not be arriving" in alert.subject
    assert "Webhooks stopped" in alert.body and "found 3 new orders" in alert.body
    assert f"/admin/integrations/store/{store.pk}/health/" in alert.body
    # Every admin page tells staff, in plain words.
    banner = admin_client.get("/admin/").content.decode()
    assert 'id="store-health-banner"' in banner and "Webhooks stopped" in banner and "RO back-office" in banner

    # Checking again, or polling again, sends nothing more (no alert storms).
    assert store_check_health(store=store) == ""
    store_poll(store=Store.objects.get(pk=store.pk))
    assert len(mailoutbox) == 1

    # A webhook arrives again: the store recovers, and says so once.
    fake_shopify.add_order(order_node(4010, created=iso(timezone.now()), phone="+380671234010"))
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_webhook(client, store, 4010).status_code == 202
    store.refresh_from_db()
    assert store.healthy and store.health_problems == []
    assert len(mailoutbox) == 2
    assert "Kyiv Cases: orders are arriving again" in mailoutbox[1].subject
    assert store_check_health(store=store) == ""
    assert len(mailoutbox) == 2
    assert 'id="store-health-banner"' not in admin_client.get("/admin/").content.decode()


def test_R44_a_fresh_order_racing_its_webhook_is_not_an_alert(shopify_store, fake_shopify, mailoutbox):
    now = timezone.now()
    store = set_store(
        shopify_store,
        contact_emails="owner@example.com",
        connected_at=now - timedelta(hours=3),
        poll_cursor=now - timedelta(hours=3),
        last_webhook_at=now - timedelta(hours=2),
    )
    fake_shopify.add_order(order_node(4100, created=iso(now)))  # placed seconds ago: its webhook may be on its way
    assert store_poll(store=store).created == 1
    store.refresh_from_db()
    assert store.healthy and mailoutbox == []


def test_R44_no_successful_sync_for_longer_than_the_stores_threshold(shopify_store, mailoutbox, admin_client):
    now = timezone.now()
    store = set_store(shopify_store, contact_emails="owner@example.com", last_sync_at=now - timedelta(minutes=31))
    assert store_check_health(store=store, now=now) == "alerted"
    store.refresh_from_db()
    assert store.health_problems[0]["code"] == "stale"
    assert "No successful sync since" in mailoutbox[0].body and "30 minutes" in mailoutbox[0].body

    # A store allowed an hour is fine after 31 minutes: the threshold is per store.
    store = set_store(store, health_threshold_minutes=60)
    assert store_check_health(store=store, now=now) == "recovered"
    assert len(mailoutbox) == 2


def test_R44_a_stale_store_shows_on_every_admin_page_even_when_no_check_runs(shopify_store, admin_client):
    # The workers that run the checks may be what stopped: the deadline alone puts it on the banner.
    now = timezone.now()
    set_store(shopify_store, last_sync_at=now - timedelta(minutes=40), stale_after=now - timedelta(minutes=10))
    html = admin_client.get("/admin/orders/order/").content.decode()
    assert 'id="store-health-banner"' in html and "No successful sync since" in html


def test_R44_consecutive_failures_alert_once_then_recover(shopify_store, fake_shopify, mailoutbox):
    store = set_store(shopify_store, contact_emails="owner@example.com")
    store.credentials = {"token": "revoked"}
    store.save(update_fields=["credentials_encrypted"])
    for attempt in range(1, 5):
        with pytest.raises(Exception, match="access refused"):
            store_poll(store=Store.objects.get(pk=store.pk))
        assert len(mailoutbox) == (0 if attempt < 3 else 1)  # the default limit is 3 in a row
    store.refresh_from_db()
    assert not store.healthy and store.health_problems[0]["code"] == "failing"
    assert "The last 3 syncs failed in a row" in mailoutbox[0].body and "access refused" in mailoutbox[0].body

    store.credentials = {"token": "shpat_test"}
    store.save(update_fields=["credentials_encrypted"])
    store_poll(store=Store.objects.get(pk=store.pk))
    store.refresh_from_db()
    assert store.healthy and len(mailoutbox) == 2 and "arriving again" in mailoutbox[1].subject


def test_R44_without_contact_emails_the_banner_is_the_alert(shopify_store, mailoutbox):
    store = set_store(shopify_store, last_sync_at=timezone.now() - timedelta(hours=1))
    assert store_check_health(store=store) == "alerted"
    assert mailoutbox == []


def test_R44_the_api_budget_is_recorded_after_a_sync(shopify_store, fake_shopify):
    store_poll(store=shopify_store)
    shopify_store.refresh_from_db()
    assert shopify_store.api_budget_maximum == 1000.0
    assert 0 < shopify_store.api_budget_available <= 1000.0 and shopify_store.api_budget_at is not None


def test_R44_the_health_check_runs_on_a_schedule():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="integrations.tasks.check_all_stores_health")
    assert (schedule.schedule_type, schedule.minutes) == ("I", 5)
