"""The store health page in a real browser: Debian's Chromium driven by Playwright against a live server.

Saves test-artifacts/store-health.png: a store whose webhooks stopped (banner), a
reconciled fortnight with one day missing orders (chart and table).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from integrations.health.reconcile import store_reconcile
from integrations.models import Store
from integrations.services import store_poll
from integrations.sync import import_payloads
from integrations.tests.nodes import line, order_node
from roapp.tests.browser import ARTIFACTS, BROWSER_TEST, admin_login

pytestmark = BROWSER_TEST


@pytest.fixture
def browser_page(browser_context):
    return browser_context.new_page()


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def a_fortnight(store, shop):
    """Orders on most of the last 14 days, all imported, except three on one day that no webhook brought."""
    now = timezone.now()
    imported, n = [], 0
    for days_ago in range(13, 0, -1):
        for k in range(1 + (days_ago * 7) % 5):
            n += 1
            node = order_node(
                9000 + n,
                lines=[line(n, name=f"Case {k}")],
                phone=f"+3806712{n:05d}",
                created=iso(now - timedelta(days=days_ago, minutes=k)),
            )
            shop.add_order(node)
            if days_ago != 4 or k > 2:
                imported.append(node)
    import_payloads(store=store, payloads=imported)


def test_R43_R44_store_health_page_in_chromium(live_server, browser_page, shopify_store, fake_shopify):
    User.objects.create_superuser("manager", "m@example.com", "pass-Word-1")
    now = timezone.now()
    Store.objects.filter(pk=shopify_store.pk).update(
        connected_at=now - timedelta(days=30),
        poll_cursor=now - timedelta(hours=3),
        last_webhook_at=now - timedelta(hours=5),
        contact_emails="owner@example.com",
    )
    store = Store.objects.select_related("order_type__initial_status").get(pk=shopify_store.pk)
    a_fortnight(store, fake_shopify)
    fake_shopify.add_order(order_node(9900, created=iso(now - timedelta(hours=1)), phone="+380671299900"))
    store_poll(store=store)  # finds the order no webhook announced: the store turns unhealthy
    store_reconcile(store=Store.objects.get(pk=store.pk))
    page = browser_page

    admin_login(
        page, live_server.url, username="manager", password="pass-Word-1", next_path="/admin/integrations/store/"
    )
    page.wait_for_selector("#result_list")
    # R44: the banner is on every admin page, in plain words, with a link to the health page.
    assert "Webhooks stopped" in page.inner_text("#store-health-banner")

    page.click("#store-health-link")
    page.wait_for_selector("svg.store-health-chart")
    chart = page.locator("svg.store-health-chart")
    assert chart.is_visible() and chart.get_attribute("role") == "img"
    assert "Orders per day of Kyiv Cases" in chart.locator("title").first.text_content()
    body = page.inner_text("#content")
    assert "3 missing" in body and "API budget left" in body and "Unhealthy" in body
    page.screenshot(path=str(ARTIFACTS / "store-health.png"), full_page=True)
