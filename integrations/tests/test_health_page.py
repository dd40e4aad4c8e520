"""The store health page (R43, R44): a server-drawn SVG chart, the facts, and links to it."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from integrations.health.reconcile import store_reconcile
from integrations.health.svg import ChartDay, daily_chart
from integrations.models import Store
from integrations.services import store_poll
from integrations.sync import import_payloads
from integrations.tests.nodes import order_node

pytestmark = pytest.mark.django_db


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def reconciled(shopify_store, fake_shopify):
    now = timezone.now()
    Store.objects.filter(pk=shopify_store.pk).update(connected_at=now - timedelta(days=20))
    store = Store.objects.select_related("order_type__initial_status").get(pk=shopify_store.pk)
    nodes = [
        order_node(8000 + n, created=iso(now - timedelta(days=2, minutes=n)), phone=f"+38067120000{n}")
        for n in range(4)
    ]
    for node in nodes:
        fake_shopify.add_order(node)
    import_payloads(store=store, payloads=nodes[:1])
    store_poll(store=store)  # records the API budget; the poll cursor is "now", so it imports nothing old
    store_reconcile(store=store)
    return store


def test_R43_R44_health_page_shows_the_chart_the_facts_and_the_flagged_day(admin_client, reconciled):
    html = admin_client.get(f"/admin/integrations/store/{reconciled.pk}/health/").content.decode()
    svg = re.search(r"<svg [^>]*role=\"img\".*?</svg>", html, re.S)[0]
    assert f'aria-labelledby="store-{reconciled.pk}-chart-title store-{reconciled.pk}-chart-desc"' in svg
    assert "<title id=" in svg and "<desc id=" in svg and "Orders per day of Kyiv Cases" in svg
    assert "On the platform" in svg and "Imported" in svg and svg.count("<rect") > 28
    flagged_day = (timezone.localtime() - timedelta(days=2)).date()
    day_label = f"{flagged_day.day} {flagged_day.strftime('%b')}"
    assert f"{day_label}: 4 on the platform" in svg and f"{day_label} !" in svg
    assert "4 on the platform, 1 imported, 3 missing" in html
    for fact in ("Last successful sync", "Last webhook", "Import problems", "API budget left", "of 1000 points"):
        assert fact in html
    assert f"store__id__exact={reconciled.pk}" in html  # the import log, filtered to this store
    assert "Import missing" in html and "<script" not in html.split('id="content-main"')[1]


def test_health_page_is_linked_from_the_store_and_the_stores_list(admin_client, reconciled):
    health = f"/admin/integrations/store/{reconciled.pk}/health/"
    assert health in admin_client.get(f"/admin/integrations/store/{reconciled.pk}/change/").content.decode()
    listing = admin_client.get("/admin/integrations/store/").content.decode()
    assert "/admin/integrations/store/health/" in listing and health in listing
    page = admin_client.get("/admin/integrations/store/health/").content.decode()
    assert "Kyiv Cases" in page and "<svg" in page


def test_health_page_before_any_reconciliation_and_for_staff_only(admin_client, client, shopify_store):
    html = admin_client.get(f"/admin/integrations/store/{shopify_store.pk}/health/").content.decode()
    assert "not reconciled yet" in html and "Healthy: orders are arriving." in html
    assert client.get(f"/admin/integrations/store/{shopify_store.pk}/health/").status_code == 302  # to the login
    assert admin_client.get("/admin/integrations/store/999999/health/").status_code == 404


def test_chart_labels_follow_the_language_and_escape_names():
    days = [
        ChartDay(day=date(2026, 11, 20) + timedelta(days=n), imported=n, on_platform=n + (n == 2)) for n in range(3)
    ]
    days[2].flagged = True
    with translation.override("uk"):
        svg = daily_chart(days=days, title="<Kyiv & Co>", desc="d", uid="c")
    assert "&lt;Kyiv &amp; Co&gt;" in svg and "<Kyiv" not in svg
    assert "22 лис" in svg.lower()  # Ukrainian month abbreviation for November, from Django's own locale
