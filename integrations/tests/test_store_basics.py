"""Store connections without a platform: URLs, the backfill window, credentials at rest, webhooks."""

import json
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from graphql import parse, validate

from fakes.shopify_schema import get_schema
from integrations.connecting import two_calendar_months_before, validate_shop_url
from integrations.models import Store, WebhookDelivery
from integrations.platforms.shopify.queries import ALL_QUERIES
from integrations.platforms.signatures import hmac_sha256_base64
from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import aware


@pytest.mark.parametrize(
    ("connected", "since"),
    [
        ("2026-11-23T14:00:00+00:00", "2026-09-23T14:00:00+00:00"),
        ("2026-12-31T08:30:00+00:00", "2026-10-31T08:30:00+00:00"),
        ("2026-04-30T00:00:00+00:00", "2026-02-28T00:00:00+00:00"),
        ("2027-01-15T10:00:00+00:00", "2026-11-15T10:00:00+00:00"),
    ],
)
def test_R3_backfill_window_is_two_calendar_months(connected, since):
    assert two_calendar_months_before(datetime.fromisoformat(connected)) == datetime.fromisoformat(since)


@pytest.mark.parametrize(
    "url",
    ["http://shop.example.com", "https://localhost", "https://127.0.0.1", "https://10.0.0.5", "https://shop", "x"],
)
def test_shop_url_must_be_https_on_a_public_host(settings, url):
    settings.ROAPP_ALLOW_INSECURE_PLATFORM_URLS = False
    with pytest.raises(ValidationError):
        validate_shop_url(url)


# Accepting a public address needs no network either: integrations/tests/test_outbound.py (R52).


@pytest.mark.django_db
def test_R1_credentials_are_encrypted_at_rest():
    store = StoreFactory()
    store.credentials = {"token": "shpat_supersecret_1234"}
    store.webhook_secret = "whsec_hush"
    store.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM integrations_store WHERE id = %s", [store.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert "shpat_supersecret_1234" not in row and "whsec_hush" not in row
    fresh = Store.objects.get(pk=store.pk)
    assert fresh.credentials == {"token": "shpat_supersecret_1234"} and fresh.webhook_secret == "whsec_hush"


@pytest.mark.django_db
def test_R1_store_page_never_shows_the_credentials_in_full(admin_client):
    store = StoreFactory()
    store.credentials = {"token": "shpat_supersecret_1234"}
    store.webhook_secret = "whsec_hush"
    store.save()
    html = admin_client.get(f"/admin/integrations/store/{store.pk}/change/").content.decode()
    assert "shpat_supersecret_1234" not in html and "whsec_hush" not in html
    assert "1234" in html  # the last characters identify which token it is


@pytest.mark.parametrize("name", sorted(ALL_QUERIES))
def test_every_shopify_query_is_valid_against_the_admin_schema(name):
    assert validate(get_schema(), parse(ALL_QUERIES[name])) == []


@pytest.fixture
def signed_store(db):
    store = StoreFactory(connected_at=aware("2026-11-23T14:00:00Z"))
    store.webhook_secret = "whsec_test"
    store.save()
    return store


def post_webhook(client, store, body: bytes, *, secret="whsec_test", webhook_id="d-1", signature=None):
    headers = {
        "HTTP_X_SHOPIFY_TOPIC": "orders/create",
        "HTTP_X_SHOPIFY_WEBHOOK_ID": webhook_id,
        "HTTP_X_SHOPIFY_HMAC_SHA256": signature
        if signature is not None
        else hmac_sha256_base64(secret=secret, body=body),
    }
    return client.post(f"/hooks/{store.pk}/", data=body, content_type="application/json", **headers)


def test_R42_unsigned_or_wrongly_signed_webhooks_get_401_and_change_nothing(client, signed_store):
    body = json.dumps({"id": 450789469}).encode()
    assert post_webhook(client, signed_store, body, signature="").status_code == 401
    assert post_webhook(client, signed_store, body, secret="wrong").status_code == 401
    tampered = json.dumps({"id": 450789470}).encode()
    good_sig = hmac_sha256_base64(secret="whsec_test", body=body)
    assert post_webhook(client, signed_store, tampered, signature=good_sig).status_code == 401
    assert WebhookDelivery.objects.count() == 0


def test_webhook_for_an_unknown_store_is_404(client, db):
    assert client.post("/hooks/999/", data=b"{}", content_type="application/json").status_code == 404
