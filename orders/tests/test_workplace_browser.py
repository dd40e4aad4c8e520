"""The orders screen as staff use it (R53, R54, R55), in Chromium at 1366x768 and 1920x1080, in English and in
Ukrainian. Screenshots go to test-artifacts/screenshots/ (docs/orders-screen.md shows them)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation

from fakes.woocommerce import FakeWooCommerce
from fakes.woocommerce import order as wc_order
from integrations.sync import import_payloads
from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import line, order_node
from orders.admin_display import short_moment
from orders.models import Order, Status
from orders.services import order_set_status
from orders.tests.factories import OrderFactory, OrderItemFactory
from roapp.tests.browser import ARTIFACTS, BROWSER_TEST, admin_login

pytestmark = BROWSER_TEST
SHOTS = ARTIFACTS / "screenshots"
SIZES = [(1366, 768), (1920, 1080)]
WORDS = {  # what each promise looks like in each language
    "en": {
        "imported": "Imported from Kyiv Cases",
        "unchanged": "nothing has changed.",
        "new": "New",
        "problem_hint": "Ask the customer for a phone number or an email",
        "health": "Store health",
    },
    "uk": {
        "imported": "Імпортовано з Kyiv Cases",
        "unchanged": "нічого не змінилося.",
        "new": "Нове",
        "problem_hint": "Попросіть покупця дати номер телефону або email",
        "health": "Стан магазину",
    },
}


@pytest.fixture
def wc_shop():
    with FakeWooCommerce() as shop:
        yield shop


@pytest.fixture
def workplace(shopify_store, fake_shopify, wc_shop):
    """A day's orders: three from Shopify (one placed three days ago that arrives last), two made here, one of
    them completed; and an order WooCommerce sent without any contact (an import problem)."""
    User.objects.create_superuser("olena", "o@example.com", "pass-Word-1", first_name="Olena", last_name="Koval")
    now = timezone.now().replace(microsecond=0)
    placed = [now - timedelta(hours=1), now - timedelta(hours=5), now - timedelta(days=3)]
    for i, moment in enumerate(placed):
        node = order_node(
            450789469 + i,
            lines=[line(1, name=f"Чохол {i}", qty=1 + i)],
            phone=f"+38067123450{i}",
            created=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            email=f"c{i}@example.com",
        )
        fake_shopify.add_order(node)
        import_payloads(store=shopify_store, payloads=[node])
    done = OrderItemFactory(order=OrderFactory(created_at=now - timedelta(hours=2))).order
    order_set_status(order=done, status=Status.objects.get(name="Completed"))
    OrderItemFactory(order=OrderFactory(created_at=now - timedelta(hours=30)))
    wc = StoreFactory(platform="woocommerce", name="Lviv Posters", url=wc_shop.url, credentials=wc_shop.credentials)
    lines = [
        {
            "id": 1,
            "name": "Постер А2",
            "product_id": 105,
            "quantity": 2,
            "price": 200.0,
            "total": "400.00",
            "subtotal": "400.00",
            "sku": "PS-001",
            "meta_data": [],
        }
    ]
    refused = wc_order(
        1042, now, now, "processing", {"first": "Oksana", "last": "Melnyk", "email": ""}, "", lines, "UAH"
    )
    wc_shop.add_order(refused)
    import_payloads(store=wc, payloads=[refused])
    return {"first": Order.objects.get(external_id="450789469")}


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_R53_R54_R55_the_orders_workplace_in_chromium(live_server, browser_context, workplace, language, width, height):
    SHOTS.mkdir(parents=True, exist_ok=True)
    words, name = WORDS[language], f"{language}-{width}"
    page = browser_context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    admin_login(page, live_server.url, username="olena", password="pass-Word-1", next_path="/admin/")
    page.wait_for_selector("#language-select")

    # R55: the back-office's own sections first; the language switcher changes the whole admin, and stays.
    apps = page.locator("#content-main div.module").evaluate_all("els => els.map(e => e.className.split(' ')[0])")
    assert apps[:4] == ["app-orders", "app-contacts", "app-catalog", "app-integrations"], apps
    assert page.locator("#language-select option").all_inner_texts() == [
        "English",
        "Українська",
        "Русский",
        "Deutsch",
        "Français",
        "Español",
    ]
    if language != "en":
        with page.expect_navigation():
            page.select_option("#language-select", language)
    assert page.get_attribute("html", "lang") == language

    # R53: the list at this width: every column without scrolling sideways, each order's own date, newest first.
    page.goto(f"{live_server.url}/admin/orders/order/")
    page.wait_for_selector("#result_list")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    store_header = page.locator("#result_list th.column-store_link").bounding_box()
    assert store_header["x"] + store_header["width"] <= width
    with translation.override(language):
        expected = [short_moment(o.placed_at) for o in Order.objects.order_by("-placed_at", "-id")]
    assert page.locator("#result_list td.field-order_date").all_inner_texts() == expected
    badges = page.locator("#result_list .status-badge")
    assert badges.count() == 5 and words["new"] in badges.all_inner_texts()
    colours = {
        page.locator(f"#result_list .status-{kind}").first.evaluate("e => getComputedStyle(e).backgroundColor")
        for kind in ("new", "done")
    }
    assert len(colours) == 2
    page.screenshot(path=str(SHOTS / f"orders-list-{name}.png"))

    # R54: the order's story: where it came from, then each refresh, with the comment box beside the feed.
    page.goto(f"{live_server.url}/admin/orders/order/{workplace['first'].pk}/change/")
    page.click("#refresh-order")
    page.wait_for_selector(".messagelist")
    feed = page.inner_text("#order-events")
    assert words["imported"] in feed and words["unchanged"] in feed and "Olena Koval" in feed
    events, comment = page.locator("#order-events").bounding_box(), page.locator("#order-comment").bounding_box()
    assert comment["x"] > events["x"] + events["width"] - 1 and abs(comment["y"] - events["y"]) < 5
    assert page.locator("#waybills-group").count() == 1  # this one has a Nova Poshta waybill
    page.locator("#order-feed").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"order-page-{name}.png"))

    # R55: an import problem says which order, whose, how much, where, and what to do; its link lands on the shop.
    page.goto(f"{live_server.url}/admin/integrations/importlog/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row = page.inner_text("#result_list tbody tr")
    assert "1042" in row and "Oksana Melnyk" in row and "400.00 UAH" in row and words["problem_hint"] in row
    with page.expect_popup() as popup:
        page.click("#result_list td.field-problem_order a.platform-link")
    assert "Edit order #1042" in popup.value.inner_text("h1")
    popup.value.close()
    page.screenshot(path=str(SHOTS / f"import-problems-{name}.png"))

    page.goto(f"{live_server.url}/admin/integrations/store/health/")
    assert words["health"] in page.inner_text("#content")
    page.screenshot(path=str(SHOTS / f"store-health-{name}.png"))
    # The choice persists: a new page in the same browser comes in the chosen language.
    page.goto(f"{live_server.url}/admin/")
    assert page.get_attribute("html", "lang") == language
