"""/api/import-problems/: orders a store could not import, and why (R40), as the import log of the admin shows.

The payload is included: the admin shows it to everyone who may view the import log (`view_importlog`).
"""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from integrations.api.filters import IdFilter, UtcIsoDateTimeFilter
from integrations.api.permissions import ReadOnlyModelPermissions
from integrations.models import ImportLog
from integrations.platforms import platform_choices


class ImportProblemSerializer(serializers.ModelSerializer):
    store_name = serializers.CharField(source="store.name", read_only=True)
    platform = serializers.ChoiceField(source="store.platform", choices=platform_choices(), read_only=True)
    payload = serializers.JSONField(
        read_only=True, allow_null=True, help_text=_("The order as the platform sent it, kept for a retry.")
    )

    class Meta:
        model = ImportLog
        fields = [
            "id",
            "store",
            "store_name",
            "platform",
            "external_id",
            "reason",
            "count",
            "resolved",
            "created_at",
            "last_seen_at",
            "payload",
        ]
        read_only_fields = fields


class ImportProblemFilter(filters.FilterSet):
    store = IdFilter(field_name="store_id")
    platform = filters.ChoiceFilter(field_name="store__platform", choices=platform_choices)
    seen_after = UtcIsoDateTimeFilter(field_name="last_seen_at", lookup_expr="gte")

    class Meta:
        model = ImportLog
        fields = ["store", "resolved", "external_id"]


class ImportProblemViewSet(viewsets.ReadOnlyModelViewSet):
    """Import problems, newest first; read-only (`integrations.view_importlog`)."""

    queryset = ImportLog.objects.select_related("store")
    serializer_class = ImportProblemSerializer
    permission_classes = [ReadOnlyModelPermissions]
    filterset_class = ImportProblemFilter
    ordering_fields = ["last_seen_at", "created_at", "count"]
    ordering = ["-last_seen_at", "-id"]
    search_fields = ["=external_id"]
