"""The 10-minute refresh limit holds under simultaneous clicks (R32) — on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from integrations.refresh import orders_refresh
from integrations.tests.factories import StoreFactory
from orders.models import Order
from orders.tests.factories import OrderFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_R32_two_managers_clicking_refresh_at_the_same_moment_queue_it_once():
    order = OrderFactory(store=StoreFactory(enabled=False), external_id="450789469")
    now = timezone.now()
    barrier = threading.Barrier(8)
    outcomes, errors = [], []

    def click():
        try:
            barrier.wait(timeout=10)
            outcomes.append(orders_refresh(orders=[Order.objects.get(pk=order.pk)], now=now))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sum(len(o.queued) for o in outcomes) == 1
    assert sum(len(o.refused) for o in outcomes) == 7
    assert all(next_at is not None for o in outcomes for _, next_at in o.refused)
