"""Platform webhooks: verify first, record the delivery, queue a fetch, answer fast (R42, R7).

Webhooks are hints and the API is the truth: the body only tells which order changed; the
`sync_orders` task fetches its current state, so late, repeated or out-of-order deliveries are
harmless. Fixed answers: 401 bad signature (or key), 404 unknown store, 400 unreadable body, 204
nothing to do (a replay, a ping, a topic without an order, Cartum's DELETE on unsubscribing),
202 accepted. Cartum delivers by PUT, the others by POST.
"""

import hashlib
import hmac
import json
import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from integrations import tasks
from integrations.models import Store, WebhookDelivery
from integrations.platforms import platform_for

logger = logging.getLogger("integrations.webhooks")


@csrf_exempt
@require_http_methods(["POST", "PUT", "DELETE"])
def webhook(request, store_id: int):
    store = Store.objects.filter(pk=store_id, enabled=True).first()
    if store is None:
        return HttpResponse(status=404)
    platform = platform_for(store)
    if request.method == "DELETE":
        return HttpResponse(status=204)  # Cartum: the subscription was removed on its side; nothing to undo
    body = request.body
    if not _authentic(platform, store, request, body):
        logger.warning("%s: webhook refused: missing or wrong signature", store)
        return HttpResponse("invalid signature", status=401)
    if platform.is_webhook_ping(headers=request.headers, body=body):
        return HttpResponse(status=204)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse("unreadable body", status=400)
    external_id = platform.webhook_order_id(headers=request.headers, payload=payload)
    if not external_id:
        return HttpResponse(status=204)
    delivery_id = platform.webhook_delivery_id(headers=request.headers, body=body) or hashlib.sha256(body).hexdigest()
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(
                store=store,
                delivery_id=delivery_id[:255],
                topic=request.headers.get(platform.topic_header, "")[:100] if platform.topic_header else "",
                external_id=external_id[:64],
            )  # fmt: skip
            _note_webhook(store)
            tasks.enqueue("integrations.tasks.sync_orders", store.pk, [external_id])
    except IntegrityError:
        return HttpResponse(status=204)  # the same delivery again: already queued once
    return HttpResponse(status=202)


def _authentic(platform, store, request, body: bytes) -> bool:
    secret = store.webhook_secret
    if not platform.signs_webhooks:
        # Unsigned platform: the secret travels in the address registered with it (constant-time check).
        key = request.GET.get("key", "")
        if not secret or not hmac.compare_digest(key.encode(), secret.encode()):
            return False
    return platform.verify_webhook(secret=secret, body=body, headers=request.headers)


def _note_webhook(store) -> None:
    """Record that webhooks arrive, at most once a minute: every delivery updating the one store row
    would serialize all deliveries of a store on that row's lock."""
    now = timezone.now()
    Store.objects.filter(pk=store.pk).filter(
        Q(last_webhook_at__isnull=True) | Q(last_webhook_at__lt=now - timedelta(minutes=1))
    ).update(last_webhook_at=now)
