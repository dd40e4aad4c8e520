"""Admin screens for orders: the list, the order page with items and its event feed."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from orders import services
from orders.models import ADD_WITHOUT_DEDUCTION, Event, Order, OrderItem, OrderType, Status, Waybill


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ["name", "is_completed", "position"]
    list_editable = ["is_completed", "position"]
    search_fields = ["name"]


@admin.register(OrderType)
class OrderTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "initial_status"]
    list_select_related = ["initial_status"]


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    fields = ["product", "quantity", "price", "deducted"]
    readonly_fields = ["deducted"]
    autocomplete_fields = ["product"]

    def _frozen(self, request, obj):
        return obj is not None and (obj.is_written_off or not may_work_with(request, obj))

    def has_add_permission(self, request, obj=None):
        return not self._frozen(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(request, obj) and super().has_delete_permission(request, obj)


class EventInline(admin.TabularInline):
    """The order's event feed, oldest first, read-only (R33)."""

    model = Event
    extra = 0
    fields = ["created_at", "kind", "text", "user"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("event feed")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").order_by("created_at", "id")

    def has_add_permission(self, request, obj=None):
        return False


class WaybillInline(admin.TabularInline):
    model = Waybill
    extra = 0
    fields = ["number", "carrier", "status", "status_text", "recipient_name", "recipient_address", "last_checked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OrderForm(forms.ModelForm):
    new_comment = forms.CharField(
        label=_("Add a comment"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 80})
    )

    class Meta:
        model = Order
        fields = ["number", "order_type", "status", "client", "currency", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "status" in self.fields:
            self.fields["status"].required = False
            self.fields["status"].help_text = _("Leave empty to start in the order type's initial status.")


def may_work_with(request, order) -> bool:
    """Imported orders need "Can add products without deduction" to be worked with (R11)."""
    return order is None or not order.is_imported or request.user.has_perm(ADD_WITHOUT_DEDUCTION)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    form = OrderForm
    list_display = ["number", "created_at", "client", "status", "total", "currency", "store"]
    list_select_related = ["client", "status", "store"]
    list_filter = ["status", "order_type"]
    search_fields = ["=number", "=external_id"]
    date_hierarchy = None
    show_full_result_count = False
    autocomplete_fields = ["client"]
    inlines = [OrderItemInline, WaybillInline, EventInline]
    actions = ["write_off"]
    readonly_fields = [
        "total",
        "store",
        "external_id",
        "external_created_at",
        "last_synced_at",
        "written_off_at",
    ]
    fieldsets = [
        (None, {"fields": ["number", "order_type", "status", "client", "total", "currency", "created_at"]}),
        (_("Online store"), {"fields": ["store", "external_id", "external_created_at", "last_synced_at"]}),
        (_("Write-off"), {"fields": ["written_off_at"]}),
        (_("Event feed"), {"fields": ["new_comment"]}),
    ]

    def has_change_permission(self, request, obj=None):
        # Server-side, not only hidden: a POST to an imported order without the permission is refused.
        return super().has_change_permission(request, obj) and may_work_with(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["order_type", "created_at"]
            if obj.is_imported:
                fields += ["number", "currency"]
        return fields

    def save_model(self, request, obj, form, change):
        new_status = obj.status
        status_changed = change and "status" in form.changed_data
        if status_changed:
            # The status moves through the service, so the feed and the platforms hear of it.
            obj.status_id = Order.objects.values_list("status_id", flat=True).get(pk=obj.pk)
        if not change and not obj.status_id:
            obj.status = obj.order_type.initial_status
        super().save_model(request, obj, form, change)
        if status_changed:
            services.order_set_status(order=obj, status=new_status, user=request.user)
        if form.cleaned_data.get("new_comment"):
            services.order_add_comment(order=obj, text=form.cleaned_data["new_comment"], user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.order_recalculate_total(order=form.instance)

    @admin.action(description=_("Write off products"), permissions=["change"])
    def write_off(self, request, queryset):
        done, refused = 0, []
        for order in queryset:
            try:
                services.order_write_off(order=order, user=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                refused.append(f"{order}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        if done:
            self.message_user(
                request,
                ngettext("%(n)d order written off.", "%(n)d orders written off.", done) % {"n": done},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, line, messages.WARNING)
