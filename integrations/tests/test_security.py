"""Credentials never in plain text (logs, pages, API, exports); actions refused without permission (R1, R11)."""

import io
import logging

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from fakes.shopify_samples import sample_orders
from integrations.models import Store
from integrations.services import store_backfill

pytestmark = pytest.mark.django_db

TOKEN = "shpat_test"
SECRET = "whsec_test"


def test_R1_credentials_never_appear_in_logs_pages_api_or_exports(shopify_store, fake_shopify, admin_client, caplog):
    for node in sample_orders(30, seed=4, now=timezone.now(), months=1):
        fake_shopify.add_order(node)
    fake_shopify.fail_next("5xx")  # a retry is logged too
    with caplog.at_level(logging.DEBUG):
        store_backfill(store=Store.objects.get(pk=shopify_store.pk))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "retry" in logged and TOKEN not in logged and SECRET not in logged

    pages = [
        admin_client.get("/admin/integrations/store/").content.decode(),
        admin_client.get(f"/admin/integrations/store/{shopify_store.pk}/change/").content.decode(),
        admin_client.get("/admin/orders/order/").content.decode(),
        admin_client.get("/api/orders/").content.decode(),
    ]
    assert all(TOKEN not in page and SECRET not in page for page in pages)

    export = io.StringIO()
    call_command("dumpdata", "integrations", stdout=export)
    assert TOKEN not in export.getvalue() and SECRET not in export.getvalue()


def test_R11_store_actions_are_refused_without_the_change_permission(client, shopify_store):
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__in=["view_store", "view_importlog"]))
    client.force_login(viewer)
    listing = client.get("/admin/integrations/store/").content.decode()
    assert 'value="sync_now"' not in listing
    client.post("/admin/integrations/store/", {"action": "sync_now", "_selected_action": [shopify_store.pk]})
    assert Store.objects.get(pk=shopify_store.pk).sync_not_before is None
    assert client.post("/admin/integrations/store/add/", {"name": "x"}).status_code == 403


def test_R11_api_refuses_writes_without_model_permissions():
    reader = User.objects.create_user("reader", password="x")
    reader.user_permissions.set(Permission.objects.filter(codename__in=["view_order", "view_client"]))
    api = APIClient()
    api.force_authenticate(reader)
    assert api.get("/api/orders/").status_code == 200
    assert api.post("/api/clients/", {"first_name": "X", "phone": "+380671234567"}, format="json").status_code == 403
    assert api.post("/api/orders/", {}, format="json").status_code == 403
