"""Query filters that answer a bad value with 400 or an empty page, never with a database error."""

from datetime import UTC

from django import forms
from django.core.exceptions import ValidationError
from django_filters import fields
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


class UtcIsoDateTimeField(fields.IsoDateTimeField):
    """An ISO 8601 moment, taken to UTC: PostgreSQL refuses offsets beyond ±15:59 ("+21:50") that Python
    parses, and a moment that leaves the calendar on the way (year 9999 at -10:00) is refused as invalid."""

    def to_python(self, value):
        moment = super().to_python(value)
        try:
            return moment.astimezone(UTC) if moment is not None else None
        except OverflowError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    """A related object's id: an id that matches nothing gives an empty page, not a 400 "choose a valid
    option" as a model choice would, and nothing but whole numbers is accepted."""

    field_class = forms.IntegerField
