"""Signals orders sends so that other apps (integrations) hear of changes without orders knowing them."""

from django.dispatch import Signal

# Sent after an order's status changed, inside the transaction that changed it.
# kwargs: order, old_status, new_status, user, source ("back-office" or "platform").
order_status_changed = Signal()
