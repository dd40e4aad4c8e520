"""What integrations must push back to the platforms when the back-office changes (R9)."""

from django.dispatch import receiver

from orders.services import SOURCE_PLATFORM
from orders.signals import order_status_changed


@receiver(order_status_changed, dispatch_uid="integrations.push_status")
def push_status_to_platform(sender, order, source, **kwargs):
    """Queue a push of the new status after commit; a change that came from the platform is not echoed."""
    if source == SOURCE_PLATFORM or not order.store_id:
        return
    from integrations import tasks
    from integrations.platforms import platform_for

    if platform_for(order.store).pushes_status:
        tasks.enqueue("integrations.tasks.push_status", order.pk)
