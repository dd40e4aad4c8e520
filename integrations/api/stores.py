"""/api/stores/: each store's connection, import and health state, as the store pages of the admin show it.

Never the credentials or the webhook secret, not even masked: no field reads them, and the serializer
lists its fields one by one so a new model field cannot leak in by default.
"""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from integrations.api.filters import IdFilter
from integrations.api.permissions import ReadOnlyModelPermissions
from integrations.health.alerts import describe, problems_now
from integrations.models import BackfillState, Store, email_list

HEALTHY, UNHEALTHY, DISABLED = "healthy", "unhealthy", "disabled"
HEALTH_CHOICES = [(HEALTHY, _("healthy")), (UNHEALTHY, _("unhealthy")), (DISABLED, _("disabled"))]


def store_backfill_progress(store: Store) -> str:
    """The backfill's progress in the words of the store list ("running: 120 / 400")."""
    if store.backfill_total:
        return f"{store.get_backfill_state_display()}: {store.backfill_done} / {store.backfill_total}"
    return f"{store.get_backfill_state_display()}: {store.backfill_done}"


class BackfillSerializer(serializers.Serializer):
    state = serializers.ChoiceField(source="backfill_state", choices=BackfillState.choices)
    since = serializers.DateTimeField(source="backfill_since", allow_null=True)
    done = serializers.IntegerField(source="backfill_done", help_text=_("Orders checked so far."))
    total = serializers.IntegerField(
        source="backfill_total", allow_null=True, help_text=_("Orders to check; null while not yet known.")
    )
    progress = serializers.SerializerMethodField(help_text=_("As the store list shows it."))

    def get_progress(self, store) -> str:
        return store_backfill_progress(store)


class HealthProblemSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["stale", "failing", "webhooks"])
    message = serializers.CharField(help_text=_("The reason in plain words, as the admin banner shows it."))


class HealthSerializer(serializers.Serializer):
    state = serializers.SerializerMethodField(
        help_text=_("disabled: not synced and not checked; unhealthy: orders may not be arriving.")
    )
    problems = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=HEALTH_CHOICES))
    def get_state(self, store) -> str:
        if not store.enabled:
            return DISABLED
        return UNHEALTHY if self._problems(store) else HEALTHY

    @extend_schema_field(HealthProblemSerializer(many=True))
    def get_problems(self, store) -> list[dict]:
        return [{"code": p.get("code"), "message": describe(p)} for p in self._problems(store)]

    def _problems(self, store) -> list[dict]:
        if not store.enabled:
            return []
        # One moment for the whole page, so every store is judged against the same clock.
        now = self.context.setdefault("now", timezone.now())
        return problems_now(store, now)


class ApiBudgetSerializer(serializers.Serializer):
    available = serializers.FloatField(source="api_budget_available")
    maximum = serializers.FloatField(source="api_budget_maximum")
    at = serializers.DateTimeField(source="api_budget_at", allow_null=True)


class StoreSerializer(serializers.ModelSerializer):
    order_type_name = serializers.CharField(source="order_type.name", read_only=True)
    backfill = BackfillSerializer(source="*", read_only=True)
    health = HealthSerializer(source="*", read_only=True)
    api_budget = serializers.SerializerMethodField(
        help_text=_("The platform's API budget left after the last sync; null where the platform reports none.")
    )
    open_import_problems = serializers.IntegerField(read_only=True)
    contact_emails = serializers.SerializerMethodField(help_text=_("Told by email when orders stop arriving."))

    class Meta:
        model = Store
        fields = [
            "id",
            "platform",
            "name",
            "url",
            "enabled",
            "order_type",
            "order_type_name",
            "identify_products_by",
            "state",
            "last_error",
            "shop_domain",
            "shop_currency",
            "shop_plan",
            "connected_at",
            "backfill",
            "poll_cursor",
            "last_sync_at",
            "last_webhook_at",
            "open_import_problems",
            "health",
            "health_threshold_minutes",
            "health_failures_limit",
            "contact_emails",
            "api_budget",
        ]
        read_only_fields = fields

    @extend_schema_field(ApiBudgetSerializer(allow_null=True))
    def get_api_budget(self, store) -> dict | None:
        if store.api_budget_available is None or not store.api_budget_maximum:
            return None  # the health page says "not reported by this platform"
        return ApiBudgetSerializer(store).data

    def get_contact_emails(self, store) -> list[str]:
        return email_list(store.contact_emails)


class StoreFilter(filters.FilterSet):
    order_type = IdFilter(field_name="order_type_id")
    health = filters.ChoiceFilter(choices=HEALTH_CHOICES, method="filter_health")

    class Meta:
        model = Store
        fields = ["platform", "enabled", "state", "order_type"]

    def filter_health(self, queryset, name, value):
        # The same test as the banner's: flagged by the last check, or past its deadline with no check since.
        unhealthy = Q(healthy=False) | Q(stale_after__lt=timezone.now())
        if value == DISABLED:
            return queryset.filter(enabled=False)
        if value == UNHEALTHY:
            return queryset.filter(unhealthy, enabled=True)
        return queryset.filter(enabled=True).exclude(unhealthy)


class StoreViewSet(viewsets.ReadOnlyModelViewSet):
    """Connected stores: connection, backfill, sync and health; read-only (`integrations.view_store`)."""

    queryset = Store.objects.select_related("order_type").annotate(
        open_import_problems=Count("import_logs", filter=Q(import_logs__resolved=False))
    )
    serializer_class = StoreSerializer
    permission_classes = [ReadOnlyModelPermissions]
    filterset_class = StoreFilter
    ordering_fields = ["name", "last_sync_at", "connected_at", "open_import_problems"]
    ordering = ["name"]
    search_fields = ["name"]
