"""The orders screen in a real browser: Debian's Chromium driven by Playwright against a live server.

Saves screenshots to test-artifacts/ (the README shows the orders list).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from integrations.sync import import_payloads
from integrations.tests.nodes import line, order_node

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (make test installs it)"
    ),
]


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes around it
    # are still plain synchronous code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )  # fmt: skip
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
        # The platform's admin is on the internet; answer it locally so the new tab has something to show.
        context.route(
            re.compile(r"https://admin\.shopify\.com/.*"),
            lambda route: route.fulfill(status=200, content_type="text/html", body="<h1>Shopify admin</h1>"),
        )
        yield context.new_page()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_R30_R31_R32_R33_orders_screen_in_chromium(live_server, browser_page, shopify_store, fake_shopify):
    ARTIFACTS.mkdir(exist_ok=True)
    User.objects.create_superuser("manager", "m@example.com", "pass-Word-1")
    nodes = [
        order_node(450789469 + i, lines=[line(1, name=f"Case {i}", qty=1 + i)], created="2026-11-24T10:00:00Z",
                   phone=f"+38067123450{i}", email=f"c{i}@example.com")
        for i in range(3)
    ]  # fmt: skip
    for node in nodes:
        fake_shopify.add_order(node)
    import_payloads(store=shopify_store, payloads=nodes)
    from orders.tests.factories import OrderFactory

    OrderFactory(number="BO-77")
    page = browser_page

    page.goto(f"{live_server.url}/admin/login/?next=/admin/orders/order/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", "pass-Word-1")
    page.click("input[type=submit]")
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
    page.check("#action-toggle")
    page.select_option("select[name=action]", "refresh_orders")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    assert "3 orders queued for a refresh" in page.inner_text(".messagelist")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "refresh_orders")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    assert "refreshed less than 10 minutes ago; next refresh possible:" in page.inner_text(".messagelist")

    # R33: the order page shows the four fields, the feed and the Refresh button (refused within 10 minutes).
    page.click("#result_list tbody th a >> nth=0")
    page.wait_for_selector("#refresh-order")
    body = page.inner_text("#content")
    for label in ("Store", "External ID", "Created", "Last update", "Нова Пошта"):
        assert label in body
    page.screenshot(path=str(ARTIFACTS / "order-page.png"), full_page=True)
    page.click("#refresh-order")
    page.wait_for_selector(".messagelist")
    assert "next refresh possible" in page.inner_text(".messagelist")
