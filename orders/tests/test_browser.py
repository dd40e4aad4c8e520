"""The orders screen in a real browser: Debian's Chromium driven by Playwright against a live server.

Saves screenshots to test-artifacts/ (the manual's are made by test_workplace_browser.py).
"""

import re

import pytest
from django.contrib.auth.models import User

from integrations.sync import import_payloads
from integrations.tests.nodes import line, order_node
from roapp.tests.browser import ARTIFACTS, BROWSER_TEST, admin_login, run_admin_action

pytestmark = BROWSER_TEST


@pytest.fixture
def browser_page(browser_context):
    # The platform's admin is on the internet; answer it locally so the new tab has something to show.
    browser_context.route(
        re.compile(r"https://admin\.shopify\.com/.*"),
        lambda route: route.fulfill(status=200, content_type="text/html", body="<h1>Shopify admin</h1>"),
    )
    return browser_context.new_page()


def test_R30_R31_R32_R33_orders_screen_in_chromium(live_server, browser_page, shopify_store, fake_shopify):
    User.objects.create_superuser("manager", "m@example.com", "pass-Word-1")
    nodes = [
        order_node(
            450789469 + i,
            lines=[line(1, name=f"Case {i}", qty=1 + i)],
            created="2026-11-24T10:00:00Z",
            phone=f"+38067123450{i}",
            email=f"c{i}@example.com",
        )
        for i in range(3)
    ]
    for node in nodes:
        fake_shopify.add_order(node)
    import_payloads(store=shopify_store, payloads=nodes)
    from orders.tests.factories import OrderFactory

    OrderFactory(number="BO-77")
    page = browser_page

    admin_login(page, live_server.url, username="manager", password="pass-Word-1", next_path="/admin/orders/order/")
    page.wait_for_selector("#result_list")
    assert page.locator("#result_list tbody tr").count() == 4

    # R30: filter by the connected store.
    page.click("#changelist-filter >> text=Kyiv Cases")
    page.wait_for_url(re.compile(r"store=\d+"))
    assert page.locator("#result_list tbody tr").count() == 3
    assert page.locator(".np-mark").count() == 3  # R13: each was shipped with Nova Poshta and has a waybill
    page.screenshot(path=str(ARTIFACTS / "orders-list.png"), full_page=True)

    # R31: the Store column opens the order in Shopify's admin, in a new tab.
    link = page.locator("#result_list a", has_text="Kyiv Cases").first
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    with page.expect_popup() as popup:
        link.click()
    assert re.match(r"https://admin\.shopify\.com/store/kyiv-cases/orders/4507894(69|70|71)$", popup.value.url)
    popup.value.close()

    # R32: Refresh orders, then again at once: refused with the next allowed time.
    assert "3 orders queued for a refresh" in run_admin_action(page, "refresh_orders")
    assert "refreshed less than 10 minutes ago; next refresh possible:" in run_admin_action(page, "refresh_orders")

    # R33: the order page shows the four fields, the feed and the Refresh button (refused within 10 minutes).
    page.click("#result_list tbody th a >> nth=0")
    page.wait_for_selector("#refresh-order")
    body = page.inner_text("#content")
    labels = ("Store", "External ID", "Placed on the platform", "Imported into the back-office", "Last update")
    for label in (*labels, "Нова Пошта"):
        assert label in body
    page.screenshot(path=str(ARTIFACTS / "order-page.png"), full_page=True)
    page.click("#refresh-order")
    page.wait_for_selector(".messagelist")
    assert "next refresh possible" in page.inner_text(".messagelist")
