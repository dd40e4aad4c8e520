"""API errors a client can act on: a database refusal becomes a 4xx with its reason, never a 500 (R52); and the
schema documents every 4xx answer, so a client (and schemathesis) finds each status code in it.

Serializers validate what they can (unique names, required fields); this handler is the backstop for what
only the database knows at the moment of writing: a row still referenced (ProtectedError) and a unique
constraint lost to a concurrent writer (IntegrityError).
"""

from django.apps import apps
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError, UniqueConstraint
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

EXAMPLES_SHOWN = 3
# Any path segment as the object id of a viewset's URL: "abc" or "1.5" reach the view, which answers a JSON
# 404 as the schema documents, instead of falling through the router to Django's HTML "Not Found" page.
ANY_ID = "[^/]+"


def api_exception_handler(exc, context):
    if isinstance(exc, (ProtectedError, RestrictedError)):
        return _conflict(referenced_reason(exc))
    if isinstance(exc, IntegrityError):
        return _conflict(integrity_reason(exc))
    return drf_exception_handler(exc, context)


def _conflict(reason: str) -> Response:
    set_rollback()
    return Response({"detail": reason}, status=status.HTTP_409_CONFLICT)


def referenced_reason(exc: ProtectedError | RestrictedError) -> str:
    """ "Cannot delete: it is still referenced by 2 order items (of orders 12, 13)." — what holds the row."""
    blockers: dict[type, list] = {}
    for obj in exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects:
        blockers.setdefault(type(obj), []).append(obj)
    parts = []
    for model, objs in blockers.items():
        name = model._meta.verbose_name if len(objs) == 1 else model._meta.verbose_name_plural
        # A line of an order means little alone; the order it belongs to is what a person can look up.
        examples = sorted({str(getattr(o, "order", o)) for o in objs})
        shown = ", ".join(examples[:EXAMPLES_SHOWN]) + (", …" if len(examples) > EXAMPLES_SHOWN else "")
        parts.append(f"{len(objs)} {name} ({shown})")
    return _("Cannot delete: it is still referenced by %(what)s.") % {"what": get_text_list(parts, _("and"))}


def integrity_reason(exc: IntegrityError) -> str:
    """Name the fields of the unique constraint that refused the row, when the database says which one."""
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if name and constraint.name == name and isinstance(constraint, UniqueConstraint) and constraint.fields:
                fields = [str(model._meta.get_field(f).verbose_name) for f in constraint.fields]
                return _("A %(model)s with the same %(fields)s already exists.") % {
                    "model": model._meta.verbose_name,
                    "fields": get_text_list(fields, _("and")),
                }
    return _("The change conflicts with existing data (a duplicate or a missing reference).")


class ApiErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused.")


FIELD_ERRORS = {
    "type": "object",
    "description": "Field name (or `detail`, `non_field_errors`) -> what is wrong with it.",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}


class DocumentedErrorsSchema(AutoSchema):
    """drf-spectacular's schema plus the 4xx answers the API gives, so clients (and schemathesis) can rely
    on every status code being in the schema (R52). Descriptions are for developers reading the schema."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        detail = "{" in self.path
        errors = {
            "401": "Not authenticated.",
            "403": "Not allowed: a missing permission, or an imported order without the right to work with it.",
            "404": "No such object (or page).",
        }
        if self.method in ("POST", "PUT", "PATCH") or (self.method == "GET" and not detail):
            errors["400"] = "Invalid input: the reason per field."
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            errors["409"] = "Refused by the data: still referenced by other records, or a duplicate."
        for code, description in errors.items():
            body = FIELD_ERRORS if code == "400" else ApiErrorSerializer
            responses.setdefault(code, self._get_response_for_code(OpenApiResponse(body, description), code))
        return responses
