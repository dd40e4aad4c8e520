"""A webhook body that came chunked (no Content-Length), read from the stream its server framed (R42):
accepted when signed, refused 413 past the upload limit, and never read when the server did not frame it.
The same as test_webhook_chunked.py's granian run (PostgreSQL only), on the view's own WSGI request."""

import io
import json

import pytest
from django.test import RequestFactory

from integrations.models import WebhookDelivery
from integrations.platforms.signatures import hmac_sha256_base64
from integrations.tests.factories import StoreFactory
from integrations.webhooks import webhook

pytestmark = pytest.mark.django_db

SECRET = "s3cret"


class FramedInput(io.BytesIO):
    """The stream of a body its server framed: read(n) gives up to n bytes; read() without a size, as
    granian's does, stops short: it gives what has arrived so far (here the first 1,000 bytes) as if that
    were all, and nothing after."""

    short = False

    def read(self, size=-1):
        if size is not None and size >= 0:
            return super().read(size)
        if self.short:
            return b""
        self.short = True
        return super().read(1000)


@pytest.fixture
def store(db):
    store = StoreFactory()
    store.webhook_secret = SECRET
    store.save()
    return store


def post_chunked(store, body: bytes, *, framed: bool = True):
    request = RequestFactory().post(
        f"/hooks/{store.pk}/",
        data=b"",
        content_type="application/json",
        HTTP_X_SHOPIFY_TOPIC="orders/create",
        HTTP_X_SHOPIFY_WEBHOOK_ID=f"chunked-{len(body)}",
        HTTP_X_SHOPIFY_HMAC_SHA256=hmac_sha256_base64(secret=SECRET, body=body),
    )
    request.META.pop("CONTENT_LENGTH", None)  # Transfer-Encoding: chunked
    request.META["wsgi.input"] = FramedInput(body)
    if framed:
        request.META["wsgi.input_terminated"] = True
    return webhook(request, store.pk)


def order_body(order_id: int, size: int) -> bytes:
    body = json.dumps({"id": order_id, "note": ""}).encode()
    return json.dumps({"id": order_id, "note": "x" * (size - len(body))}).encode()


def test_R42_a_signed_chunked_webhook_is_read_whole_up_to_the_limit_and_refused_413_past_it(store, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    assert post_chunked(store, order_body(5000000000001, 100_000)).status_code == 202  # exactly the limit
    assert post_chunked(store, order_body(5000000000002, 150_000)).status_code == 413  # in 64 KiB reads
    assert list(WebhookDelivery.objects.values_list("external_id", flat=True)) == ["5000000000001"]


def test_R42_a_chunked_body_the_server_did_not_frame_is_not_read_and_fails_its_signature(store):
    assert post_chunked(store, order_body(5000000000003, 5_000), framed=False).status_code == 401
    assert not WebhookDelivery.objects.exists()
