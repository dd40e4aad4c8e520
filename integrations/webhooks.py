"""Platform webhooks: verify first, record the delivery, answer fast (R42, R7, R51; docs/webhooks.md).

The request only records the delivery in the store's queue and makes sure a drain is on its way
(integrations/webhook_queue.py); the drain fetches the orders' current state in batches. A burst of
webhooks costs two queries each (the store, the row) instead of a task apiece.

Fixed answers: 401 bad signature (or key), 404 unknown store, 400 unreadable body, 413 body over
DATA_UPLOAD_MAX_MEMORY_SIZE, 204 nothing to do (a replay, a topic without an order, Cartum's DELETE on
unsubscribing), 202 accepted, and exactly 200 for WooCommerce's creation ping, which counts any other answer as
an error (R49). Cartum delivers by PUT, the others by POST.
"""

import hmac
import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from integrations import webhook_queue, webhook_subscriptions
from integrations.models import Store
from integrations.platforms import platform_for

logger = logging.getLogger("integrations.webhooks")

# What answering a webhook reads of its store. Plain SQL on this hot path: the ORM's query building was a
# fifth of each request (bench.webhooks); raw() still returns a Store, so the rest reads as usual.
WEBHOOK_FIELDS = ("id", "name", "platform", "enabled", "webhook_secret_encrypted", "webhook_drain_queued_at")
STORE_SQL = f"SELECT {', '.join(WEBHOOK_FIELDS)} FROM {Store._meta.db_table} WHERE id = %s AND enabled"
READ_CHUNK = 64 * 1024


@csrf_exempt
@require_http_methods(["POST", "PUT", "DELETE"])
def webhook(request, store_id: int):
    store = next(iter(Store.objects.raw(STORE_SQL, [store_id])), None)
    if store is None:
        return HttpResponse(status=404)
    platform = platform_for(store)
    if request.method == "DELETE":
        # Cartum: the subscription was removed on its side. With the store's key it is missing now (R48).
        if not platform.signs_webhooks and _key_matches(store, request):
            webhook_subscriptions.store_subscriptions_dropped(store=store)
        return HttpResponse(status=204)
    try:
        body = request_body(request)
    except RequestDataTooBig:
        return HttpResponse("body too large", status=413)
    if not _authentic(platform, store, request, body):
        logger.warning("%s: webhook refused: missing or wrong signature", store)
        return HttpResponse("invalid signature", status=401)
    if platform.is_webhook_ping(headers=request.headers, body=body):
        return HttpResponse(status=200)  # R49: WooCommerce's deliver_ping() takes nothing but exactly 200
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse("unreadable body", status=400)
    external_id = platform.webhook_order_id(headers=request.headers, payload=payload)
    if not external_id:
        return HttpResponse(status=204)
    topic = request.headers.get(platform.topic_header, "") if platform.topic_header else ""
    digest = webhook_queue.body_digest(body)
    delivery_id = platform.webhook_delivery_id(headers=request.headers, body=body) or digest
    if webhook_queue.delivery_record(
        store=store, delivery_id=delivery_id, topic=topic, external_id=external_id, digest=digest
    ):
        webhook_queue.drain_enqueue(store=store)
        return HttpResponse(status=202)
    # A replay. Its first delivery may still wait because queuing its drain failed: make sure one is on its way.
    if webhook_queue.delivery_waiting(store=store, topic=topic, digest=digest):
        webhook_queue.drain_enqueue(store=store)
    return HttpResponse(status=204)


def request_body(request) -> bytes:
    """The raw body, also when it came chunked (Transfer-Encoding: chunked, no Content-Length).

    Django reads a WSGI body only as far as CONTENT_LENGTH says, and without one reads nothing, so a chunked
    webhook looked empty and failed its signature. A server that has the whole body framed for us says so
    with `wsgi.input_terminated` (granian, gunicorn): then the stream is read to its end here, up to the same
    DATA_UPLOAD_MAX_MEMORY_SIZE that Django holds a body with a Content-Length to (RequestDataTooBig beyond).
    """
    meta = request.META
    if meta.get("CONTENT_LENGTH") or not meta.get("wsgi.input_terminated") or "wsgi.input" not in meta:
        return request.body
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    stream, parts, size = meta["wsgi.input"], [], 0
    while chunk := stream.read(READ_CHUNK):  # read(n) only: granian's read() without a size stops short
        size += len(chunk)
        if limit is not None and size > limit:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        parts.append(chunk)
    return b"".join(parts)


def _authentic(platform, store, request, body: bytes) -> bool:
    if not platform.signs_webhooks and not _key_matches(store, request):
        return False
    return platform.verify_webhook(secret=store.webhook_secret, body=body, headers=request.headers)


def _key_matches(store, request) -> bool:
    """Unsigned platform: the secret travels in the address registered with it (constant-time check)."""
    secret, key = store.webhook_secret, request.GET.get("key", "")
    return bool(secret) and hmac.compare_digest(key.encode(), secret.encode())
