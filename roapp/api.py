"""Shared API pieces: model permissions that also guard reads."""

from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions, with `view_<model>` required for reads too."""

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
