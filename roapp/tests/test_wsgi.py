"""The WSGI entry point operators serve (docs/operations.md): webhooks through the lean
handler, everything else through the full middleware, and the production server really answering."""

import json
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from integrations.models import WebhookDelivery
from integrations.platforms.signatures import hmac_sha256_base64
from integrations.tests.factories import StoreFactory
from roapp.tests.served import granian_serving

ROOT = Path(__file__).resolve().parents[2]
BODY = json.dumps({"id": 5000000000001, "name": "#1001"}).encode()


def call(environ) -> tuple[str, dict, bytes]:
    """One request through roapp.wsgi.application, the way a WSGI server calls it."""
    from roapp.wsgi import application

    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    # As Django's test client does: the test's transaction must survive the request's end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = application(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


def hook_environ(store, secret="s3cret"):
    signature = hmac_sha256_base64(secret=secret, body=BODY)
    request = RequestFactory().post(
        f"/hooks/{store.pk}/",
        data=BODY,
        content_type="application/json",
        HTTP_X_SHOPIFY_TOPIC="orders/create",
        HTTP_X_SHOPIFY_HMAC_SHA256=signature,
        HTTP_X_SHOPIFY_WEBHOOK_ID=uuid.uuid4().hex,
    )
    return request.environ


@pytest.fixture
def hook_store(db, settings):
    settings.ROAPP_TASKS_SYNC = False  # accepting a webhook only queues work
    store = StoreFactory(name="wsgi shop")
    store.webhook_secret = "s3cret"
    store.save()
    return store


def test_R42_webhooks_skip_the_browser_middleware_and_are_still_verified(hook_store):
    status, headers, _ = call(hook_environ(hook_store))
    assert status.startswith("202")
    assert "X-Frame-Options" not in headers and "Set-Cookie" not in headers and "Content-Language" not in headers
    assert "X-Content-Type-Options" in headers  # SecurityMiddleware still runs
    status, _, _ = call(hook_environ(hook_store, secret="forged"))
    assert status.startswith("401")
    assert WebhookDelivery.objects.filter(store=hook_store).count() == 1


def test_the_admin_keeps_the_full_middleware(db):
    status, headers, _ = call(RequestFactory().get("/admin/login/").environ)
    assert status.startswith("200")
    assert headers["X-Frame-Options"] == "DENY" and "csrftoken" in headers.get("Set-Cookie", "")
    assert settings.MIDDLEWARE != settings.HOOKS_MIDDLEWARE  # swapped only while the hooks handler was built


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the seed rows come back for later tests
def test_R42_the_production_server_answers_webhooks_and_serves_the_admin():
    """`granian --interface wsgi roapp.wsgi:application`, as docs/operations.md tells operators, on this database."""
    store = StoreFactory(name="served shop")
    store.webhook_secret = "s3cret"
    store.save()
    with granian_serving() as url:
        login = requests.get(f"{url}/admin/login/", timeout=5)
        assert login.status_code == 200 and "csrftoken" in login.cookies
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Hmac-Sha256": hmac_sha256_base64(secret="s3cret", body=BODY),
            "X-Shopify-Webhook-Id": "delivery-1",
        }
        first = requests.post(f"{url}/hooks/{store.pk}/", data=BODY, headers=headers, timeout=10)
        again = requests.post(f"{url}/hooks/{store.pk}/", data=BODY, headers=headers, timeout=10)
        assert (first.status_code, again.status_code) == (202, 204)  # a replayed delivery is recorded once
        assert list(WebhookDelivery.objects.values_list("delivery_id", flat=True)) == ["delivery-1"]
