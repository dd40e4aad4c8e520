"""/api/waybills/: the carriers' shipping documents of orders (R13), as the order page of the admin shows them.

The admin shows waybills on the order's page, so reading them takes both `orders.view_waybill` and
`orders.view_order`.
"""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from integrations.api.filters import IdFilter
from integrations.api.permissions import CanViewOrders, ReadOnlyModelPermissions
from orders.models import Waybill


class WaybillSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text=_('The carrier\'s status code as text, e.g. "9"; empty until first tracked.')
    )

    class Meta:
        model = Waybill
        fields = [
            "id",
            "order",
            "order_number",
            "number",
            "carrier",
            "status",
            "status_text",
            "recipient_name",
            "recipient_address",
            "last_checked_at",
            "created_at",
        ]
        read_only_fields = fields


class WaybillFilter(filters.FilterSet):
    order = IdFilter(field_name="order_id")
    order_number = filters.CharFilter(field_name="order__number")

    class Meta:
        model = Waybill
        fields = ["order", "number", "status", "carrier"]


class WaybillViewSet(viewsets.ReadOnlyModelViewSet):
    """Waybills, newest first; read-only (`orders.view_waybill` and `orders.view_order`)."""

    queryset = Waybill.objects.select_related("order")
    serializer_class = WaybillSerializer
    permission_classes = [ReadOnlyModelPermissions, CanViewOrders]
    filterset_class = WaybillFilter
    ordering_fields = ["created_at", "last_checked_at", "number"]
    ordering = ["-created_at", "-id"]
    search_fields = ["=number", "=order__number"]
