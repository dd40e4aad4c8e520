"""The orders API: orders with their items and feed; write-off, status and comments as actions."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from orders import services
from orders.models import Event, Order, OrderItem, Status


class OrderItemSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = OrderItem
        fields = ["id", "product", "product_name", "quantity", "price", "deducted"]
        read_only_fields = ["deducted"]


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "kind", "text", "user", "created_at"]


class OrderSerializer(serializers.ModelSerializer):
    items = OrderItemSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    # Back-office orders have no store: null, and the schema says so.
    store_name = serializers.CharField(source="store.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "order_type",
            "status",
            "client",
            "total",
            "currency",
            "created_at",
            "store",
            "store_name",
            "external_id",
            "external_created_at",
            "last_synced_at",
            "written_off_at",
            "items",
            "events",
        ]
        read_only_fields = [
            "status",
            "total",
            "store",
            "external_id",
            "external_created_at",
            "last_synced_at",
            "written_off_at",
        ]

    def create(self, validated_data):
        return services.order_create(**validated_data)


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.PrimaryKeyRelatedField(queryset=Status.objects.all())


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)


class ItemAddSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ["product", "quantity", "price"]
        # The model's defaults are for imports; a person adding a line says how many and at what price.
        extra_kwargs = {
            "quantity": {"required": True, "min_value": Decimal("0.001")},
            "price": {"required": True, "min_value": Decimal("0")},
        }


class OrderFilter(filters.FilterSet):
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    from_integrations = filters.BooleanFilter(field_name="store", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Order
        fields = ["number", "status", "order_type", "client", "store", "external_id"]


def _service_call(fn, **kwargs):
    """Turn the services' Django errors into API errors (400 with messages, 403)."""
    try:
        return fn(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}) from exc


class OrderViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Order.objects.select_related("store").prefetch_related("items__product", "events")
    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    ordering_fields = ["created_at", "total", "number"]
    search_fields = ["=number", "=external_id"]

    # Each action loads the order first: the object permission (R11, R52) answers before the body is read.
    @extend_schema(request=StatusChangeSerializer, responses=OrderSerializer)
    @action(detail=True, methods=["post"], url_path="set-status")
    def set_status(self, request, pk=None):
        order = self.get_object()
        data = StatusChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _service_call(services.order_set_status, order=order, status=data.validated_data["status"], user=request.user)
        return Response(OrderSerializer(self.get_object()).data)

    @extend_schema(request=None, responses=OrderSerializer)
    @action(detail=True, methods=["post"], url_path="write-off")
    def write_off(self, request, pk=None):
        _service_call(services.order_write_off, order=self.get_object(), user=request.user)
        return Response(OrderSerializer(self.get_object()).data)

    @extend_schema(request=CommentSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        order = self.get_object()
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = data.validated_data["text"]
        event = _service_call(services.order_add_comment, order=order, text=text, user=request.user)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ItemAddSerializer, responses={201: OrderItemSerializer})
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        order = self.get_object()
        data = ItemAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = _service_call(services.order_item_add, order=order, user=request.user, **data.validated_data)
        return Response(OrderItemSerializer(item).data, status=status.HTTP_201_CREATED)
