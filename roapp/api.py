"""Shared API pieces: model permissions that also guard reads and imported orders (R11, R52).

Kept free of DRF view imports: DRF loads this module while it builds APIView (DEFAULT_PERMISSION_CLASSES).
"""

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions

from orders.models import Order
from orders.services import ensure_may_work_with


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions, with `view_<model>` required for reads too.

    Every write to an imported order, or to anything that belongs to one (an item, a comment), also needs
    "Can add products without deduction" (R11, R52): checked here, on the object, so a new action or
    endpoint on orders is guarded without remembering to.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def get_required_permissions(self, method, model_cls):
        # A POST to an action on one object (write-off, set-status, comments) changes that object.
        if method == "POST" and getattr(self, "_detail", False):
            method = "PUT"
        return super().get_required_permissions(method, model_cls)

    def has_permission(self, request, view):
        self._detail = bool(getattr(view, "detail", False))
        return super().has_permission(request, view)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        order = obj if isinstance(obj, Order) else getattr(obj, "order", None)
        if order is not None:
            try:
                ensure_may_work_with(order=order, user=request.user)
            except PermissionDenied as exc:
                self.message = str(exc)  # DRF answers 403 with this reason
                return False
        return True
