"""Telling a platform about a back-office status change (R9): whether to, and the feed's note of what was sent.

A change that came from the platform is not echoed back to it, and a platform that takes no statuses
(`Platform.pushes_status`) is not asked. The push itself runs in a task after the commit (tasks.push_status),
so a slow platform never holds the change up.
"""

from integrations import task_queue
from integrations.platforms import platform_for
from orders.models import EventKind, Order
from orders.services import SOURCE_PLATFORM, event_add


def status_push_queue(*, order: Order, source: str) -> bool:
    """Queue the push of the order's new status for after the commit; True when one was queued."""
    if source == SOURCE_PLATFORM or not order.store_id or not platform_for(order.store).pushes_status:
        return False
    task_queue.enqueue("integrations.tasks.push_status", order.pk)
    return True


def order_status_push(*, order: Order) -> str:
    """Tell the order's platform its current status (the platform decides what that means); what was sent goes
    into the order's feed. Returns what happened, in the task's words."""
    if order.store is None or not order.store.enabled:
        return "skipped"
    text = platform_for(order.store).push_status(order)
    if text:
        event_add(order=order, kind=EventKind.PLATFORM_PUSH, text=text)
    return text or "nothing to push"
