"""The orders screen as the staff's workplace (R53, R54, R55): the order's own date, the feed's story,
the admin in the staff member's language, import problems that say what to do."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from integrations.models import ImportLog, StatusMapping
from integrations.sync import import_payloads
from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import line, order_node
from orders.admin_display import short_moment
from orders.models import Order, Status
from orders.services import order_set_status
from orders.tests.factories import EventFactory, OrderFactory, OrderItemFactory

pytestmark = pytest.mark.django_db


def rows(html: str) -> list[str]:
    """The order numbers of the list, top to bottom."""
    return [n.strip() for n in re.findall(r'<th class="field-number_with_mark"><a [^>]*>([^<]+)', html)]


# --- R53: each order's own date ---------------------------------------------------------------------------
def test_R53_the_list_shows_and_sorts_by_each_orders_own_date_newest_first(admin_client, store):
    now = timezone.now()
    made_here = OrderFactory(number="BO-1", created_at=now - timedelta(hours=2))
    import_payloads(store=store, payloads=[order_node(1001, created=iso(now - timedelta(hours=1)))])
    # A delayed webhook: placed three days ago, it arrives after everything else.
    import_payloads(store=store, payloads=[order_node(1002, created=iso(now - timedelta(days=3)))])
    late = Order.objects.get(external_id="1002")
    assert late.created_at > made_here.created_at and late.placed_at == late.external_created_at
    html = admin_client.get("/admin/orders/order/").content.decode()
    assert rows(html) == ["#1001", "BO-1", "#1002"]
    for order in Order.objects.all():
        assert short_moment(order.placed_at) in html
    assert made_here.placed_at == made_here.created_at


def test_R53_statuses_show_as_coloured_badges(admin_client):
    OrderFactory(status=Status.objects.get(name="New"))
    OrderFactory(status=Status.objects.get(name="Completed"))
    OrderFactory(status=Status.objects.get(name="Cancelled"))
    html = admin_client.get("/admin/orders/order/").content.decode()
    for kind, name in (("new", "New"), ("done", "Completed"), ("cancelled", "Cancelled")):
        assert f'<span class="status-badge status-{kind}">{name}</span>' in html


# --- R54: the feed tells the story ------------------------------------------------------------------------
def test_R54_an_import_adds_one_imported_from_event_and_a_resync_adds_none(store):
    node = order_node(1001, lines=[line(1, name="Case", qty=1)])
    import_payloads(store=store, payloads=[node])
    import_payloads(store=store, payloads=[node])  # R7: nothing new, nothing written
    order = Order.objects.get()
    assert list(order.events.filter(kind="import").values_list("text", flat=True)) == ["Imported from Kyiv Cases"]
    assert order.events.order_by("created_at", "id").first().kind == "import"


def test_R54_a_manual_refresh_says_who_refreshed_and_what_changed_or_that_nothing_did(
    admin_client, admin_user, shopify_store, fake_shopify, django_capture_on_commit_callbacks
):
    node = order_node(450789469, lines=[line(1, name="Case", qty=1)], created="2026-11-24T10:00:00Z")
    fake_shopify.add_order(node)
    import_payloads(store=shopify_store, payloads=[node])
    order = Order.objects.get()
    fake_shopify.update_order(
        450789469, lineItems=order_node(450789469, lines=[line(1, name="Case", qty=4)])["lineItems"]
    )
    refresh = {"action": "refresh_orders", "_selected_action": [order.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/orders/order/", refresh)
    event = order.events.get(kind="refresh")
    assert event.user == admin_user
    assert event.text.startswith("Refreshed from Kyiv Cases by admin: Case: quantity 1 -> 4; total:")
    Order.objects.filter(pk=order.pk).update(refresh_not_before=None)  # ten minutes later
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/orders/order/", refresh)
    texts = list(order.events.filter(kind="refresh").order_by("id").values_list("text", flat=True))
    assert texts[1] == "Refreshed from Kyiv Cases by admin: nothing has changed."
    page = admin_client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert "nothing has changed." in page and 'class="feed-kind feed-kind-refresh">Refresh<' in page


def test_R54_the_feed_shows_kinds_and_texts_in_the_readers_language(client, admin_user):
    client.force_login(admin_user)
    order = OrderFactory()
    order_set_status(order=order, status=Status.objects.get(name="Completed"))
    EventFactory(order=order, kind="comment", text="Передзвонити")
    stored = order.events.get(kind="status").text
    assert stored == "Status changed: New -> Completed"  # stored in the site's language, names as they are
    page = client.get(f"/admin/orders/order/{order.pk}/change/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Статус змінено: Нове -&gt; Виконано" in page
    assert ">Зміна статусу<" in page and ">Коментар<" in page and "Передзвонити" in page


def test_R54_the_comment_box_sits_in_the_feed_section(admin_client):
    order = OrderFactory()
    page = admin_client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    feed = page[page.index('<div id="order-feed">') :]
    assert feed.index('id="order-events"') < feed.index('id="order-comment"') < feed.index('name="new_comment"')


# --- R55: the staff's workplace ---------------------------------------------------------------------------
def test_R55_the_back_office_sections_come_first_in_the_index_and_the_sidebar(admin_client):
    for url in ("/admin/", "/admin/orders/order/"):
        html = admin_client.get(url).content.decode()
        found = [m for m in re.findall(r'class="app-(\w+) module', html)]
        assert found[:4] == ["orders", "contacts", "catalog", "integrations"], found
        assert found.index("apitokens") > 3 and found.index("auth") > 3 and found.index("django_q") > 3


def test_R55_the_language_switcher_offers_six_languages_and_the_choice_persists(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert re.findall(r'<option value="(\w+)" lang=', html) == ["en", "uk", "ru", "de", "fr", "es"]
    answer = admin_client.post("/i18n/setlang/", {"language": "uk", "next": "/admin/orders/order/"})
    assert answer.status_code == 302 and answer.cookies["django_language"]["max-age"] >= 30 * 24 * 3600
    assert "Створено в системі" in admin_client.get("/admin/orders/order/").content.decode()


@pytest.mark.parametrize(
    ("language", "new", "online"), [("uk", "Нове", "Онлайн-замовлення"), ("de", "Neu", "Online-Bestellung")]
)
def test_R55_default_statuses_and_the_order_type_show_in_the_chosen_language(admin_client, language, new, online):
    order = OrderFactory()
    admin_client.cookies["django_language"] = language
    listing = admin_client.get("/admin/orders/order/").content.decode()
    assert f'status-new">{new}</span>' in listing
    page = admin_client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert online in page
    assert Status.objects.filter(name="New").exists()  # the rows keep their names (DESIGN.md)


def test_R55_whole_quantities_show_as_whole_numbers(admin_client):
    item = OrderItemFactory(quantity=Decimal("2"))
    OrderItemFactory(order=item.order, quantity=Decimal("1.5"))
    page = admin_client.get(f"/admin/orders/order/{item.order.pk}/change/").content.decode()
    assert 'name="items-0-quantity" value="2"' in page and 'name="items-1-quantity" value="1.5"' in page
    Order.objects.filter(pk=item.order.pk).update(written_off_at=timezone.now())
    frozen = admin_client.get(f"/admin/orders/order/{item.order.pk}/change/").content.decode()
    shown = re.findall(r'<td class="field-quantity_shown">\s*<p>([^<]*)</p>', frozen)
    assert shown == ["2", "1.5"] and "2.000" not in frozen


def test_R55_an_order_without_a_waybill_shows_no_waybill_table(admin_client):
    order = OrderFactory()
    assert 'id="waybills-group"' not in admin_client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()


def test_R55_an_import_problem_shows_the_order_and_what_to_do(admin_client):
    from fakes.woocommerce import order as wc_order

    store = StoreFactory(platform="woocommerce", name="Lviv Posters", url="https://posters.example.ua")
    person = {"first": "Olena", "last": "Koval", "email": ""}
    lines = [
        {
            "id": 1,
            "name": "Poster",
            "product_id": 5,
            "quantity": 2,
            "price": 200.0,
            "total": "400.00",
            "subtotal": "400.00",
            "sku": "P-1",
            "meta_data": [],
        }
    ]
    payload = wc_order(1042, timezone.now(), timezone.now(), "processing", person, "", lines, "UAH")
    import_payloads(store=store, payloads=[payload])
    assert ImportLog.objects.get().external_id == "1042"
    html = admin_client.get("/admin/integrations/importlog/").content.decode()
    assert "1042" in html and "Olena Koval" in html and "no phone or email" in html and "400.00 UAH" in html
    assert 'href="https://posters.example.ua/wp-admin/post.php?post=1042&amp;action=edit" target="_blank"' in html
    assert "Ask the customer for a phone number or an email" in html
    uk = admin_client.get("/admin/integrations/importlog/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert "Попросіть покупця дати номер телефону або email" in uk
    assert "У клієнта немає ні email, ні номера телефону, тому замовлення не" in uk


def test_R55_merging_statuses_moves_their_orders_and_mappings(admin_client):
    cancelled, canceled = Status.objects.get(name="Cancelled"), Status.objects.create(name="Canceled", position=96)
    order = OrderFactory(status=canceled)
    store = StoreFactory(platform="cartum")
    StatusMapping.objects.create(store=store, platform_status="4", platform_title="Canceled", status=canceled)
    data = {"action": "merge_statuses", "_selected_action": [cancelled.pk, canceled.pk]}
    choice = admin_client.post("/admin/orders/status/", data).content.decode()
    assert 'name="target"' in choice and Status.objects.filter(name="Canceled").exists()
    done = admin_client.post("/admin/orders/status/", {**data, "apply": "1", "target": cancelled.pk}, follow=True)
    assert "1 status merged into Cancelled" in done.content.decode()
    assert not Status.objects.filter(name="Canceled").exists()
    assert Order.objects.get(pk=order.pk).status == cancelled
    assert StatusMapping.objects.get(store=store).status == cancelled


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ru", "По полю «статус»"),
        ("uk", "За полем «статус»"),
        ("fr", "Supprimer la sélection (commandes)"),
        ("es", "Pedidos"),
    ],
)
def test_R55_grammar_of_the_orders_list(admin_client, language, text):
    OrderFactory()
    admin_client.cookies["django_language"] = language
    assert text in admin_client.get("/admin/orders/order/").content.decode()


def test_R55_a_refused_refresh_names_the_time_without_a_doubled_period(admin_client):
    order = OrderFactory(store=StoreFactory(), external_id="9")
    Order.objects.filter(pk=order.pk).update(refresh_not_before=timezone.now() + timedelta(minutes=5))
    html = admin_client.post(
        "/admin/orders/order/", {"action": "refresh_orders", "_selected_action": [order.pk]}, follow=True
    ).content.decode()
    message = re.search(r"next refresh possible: [^<]*", html).group(0)
    assert ".." not in message and message.endswith(".")


def iso(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def store(db):
    return StoreFactory(platform="shopify", name="Kyiv Cases", shop_domain="kyiv-cases.myshopify.com")


def test_R31_the_store_links_of_woocommerce_and_cartum_land_on_the_fakes_admin_page_for_that_order():
    import requests

    from fakes.cartum import FakeCartum
    from fakes.cartum import sample_orders as cartum_orders
    from fakes.woocommerce import FakeWooCommerce
    from fakes.woocommerce import sample_orders as wc_orders
    from integrations.platforms import platform_for

    with FakeWooCommerce(orders=wc_orders(2)) as wc, FakeCartum(orders=cartum_orders(2)) as cartum:
        for shop, external_id, title in ((wc, "1001", "Edit order #1001"), (cartum, "101", "Order #101")):
            store = StoreFactory.build(platform=shop.platform, url=shop.url)
            answer = requests.get(platform_for(store).admin_order_url(store, external_id), timeout=10)
            assert answer.status_code == 200 and f"<h1>{title}</h1>" in answer.text
        assert wc.requests == [] and cartum.requests == []  # a browser page, not an API call
