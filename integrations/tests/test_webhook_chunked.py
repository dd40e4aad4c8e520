"""Webhook bodies sent chunked (Transfer-Encoding: chunked, no Content-Length) under the production server,
and the body-size limit on them and on bodies with a Content-Length (R42, docs/webhooks.md)."""

import json
from pathlib import Path

import pytest
import requests

from integrations.models import WebhookDelivery
from integrations.platforms.signatures import hmac_sha256_base64
from integrations.tests.factories import StoreFactory
from roapp.tests.served import granian_serving

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret"
LIMIT = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, which the product leaves at its default


def chunked(body: bytes, size: int = 1000):
    """A generator body: requests sends it with Transfer-Encoding: chunked and no Content-Length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def headers_for(body: bytes, delivery_id: str) -> dict:
    return {
        "Content-Type": "application/json",
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Webhook-Id": delivery_id,
        "X-Shopify-Hmac-Sha256": hmac_sha256_base64(secret=SECRET, body=body),
    }


@pytest.fixture
def served():
    """The production server (granian) on the test database."""
    with granian_serving() as url:
        yield url


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the seed rows come back for later tests
def test_R42_a_chunked_signed_webhook_is_accepted_and_an_oversize_one_refused_413(served):
    store = StoreFactory(name="served shop")
    store.webhook_secret = SECRET
    store.save()
    hook = f"{served}/hooks/{store.pk}/"

    body = json.dumps({"id": 5000000000001, "name": "#1001", "note": "x" * 20_000}).encode()
    answer = requests.post(hook, data=chunked(body), headers=headers_for(body, "chunked-1"), timeout=10)
    sent = answer.request.headers
    assert sent.get("Transfer-Encoding") == "chunked" and "Content-Length" not in sent
    assert answer.status_code == 202
    assert list(WebhookDelivery.objects.values_list("external_id", flat=True)) == ["5000000000001"]
    again = requests.post(hook, data=chunked(body), headers=headers_for(body, "chunked-1"), timeout=10)
    assert again.status_code == 204  # the same body again: a replay

    forged = requests.post(hook, data=chunked(body), headers=headers_for(body + b" ", "chunked-2"), timeout=10)
    assert forged.status_code == 401  # the body read is the body signed: one byte more does not pass

    big = json.dumps({"id": 5000000000002, "note": "x" * LIMIT}).encode()
    too_big = requests.post(hook, data=chunked(big, 64 * 1024), headers=headers_for(big, "chunked-3"), timeout=30)
    assert too_big.status_code == 413
    with_length = requests.post(hook, data=big, headers=headers_for(big, "sized-3"), timeout=30)
    assert with_length.status_code == 413
    assert WebhookDelivery.objects.count() == 1


def test_R42_a_body_over_the_limit_with_a_content_length_is_refused_413(db, client, settings):
    store = StoreFactory()
    store.webhook_secret = SECRET
    store.save()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"id": 5000000000003, "note": "x" * 1000}).encode()
    headers = headers_for(body, "sized-4")
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    assert client.post(f"/hooks/{store.pk}/", data=body, content_type="application/json", **meta).status_code == 413
    assert not WebhookDelivery.objects.exists()
