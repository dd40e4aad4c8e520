"""Permissions of the read-only endpoints: the admin's `view_<model>`, and nothing may be written."""

from rest_framework.permissions import BasePermission

from roapp.api import ModelPermissions

READS = ("GET", "HEAD", "OPTIONS")


class ReadOnlyModelPermissions(ModelPermissions):
    """`view_<model>` for reads; any other method is answered 405, whatever the user's permissions.

    DjangoModelPermissions raises MethodNotAllowed for a method missing from the map, after the 401 for an
    anonymous request, so a write is never mistaken for a lack of permission (403).
    """

    perms_map = {method: ModelPermissions.perms_map[method] for method in READS}


class CanViewOrders(BasePermission):
    """Waybills are shown on the order's page only: reading them takes `orders.view_order` too."""

    def has_permission(self, request, view):
        return request.user.has_perm("orders.view_order")
