"""Admin screens for orders: the list, the order page with items and its event feed."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from integrations.refresh import orders_refresh
from orders import services
from orders.admin_display import (
    arrived_at,
    feed_rows,
    order_date,
    short_moment,
    status_badge,
    total_with_currency,
)
from orders.admin_order_parts import OrderForm, OrderItemInline, WaybillInline
from orders.admin_status import OrderTypeAdmin, StatusAdmin
from orders.admin_store import StoreFilter, number_with_mark, store_link, with_waybill_mark
from orders.models import ADD_WITHOUT_DEDUCTION, Order, OrderType, Status
from roapp.paginator import CappedCountPaginator

admin.site.register(Status, StatusAdmin)
admin.site.register(OrderType, OrderTypeAdmin)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    form = OrderForm
    list_display = [number_with_mark, order_date, "client", status_badge, total_with_currency, store_link]
    list_select_related = ["client", "status", "store"]
    list_filter = [StoreFilter, "status", "order_type"]
    search_fields = ["=number", "=external_id"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 50
    autocomplete_fields = ["client"]
    inlines = [OrderItemInline, WaybillInline]  # the event feed is drawn by the template, beside the comment box
    actions = ["refresh_orders", "write_off", "delete_selected"]
    change_form_template = "admin/orders/order/change_form.html"
    readonly_fields = [
        "total",
        "store",
        "external_id",
        "external_created_at",
        "last_synced_at",
        "written_off_at",
        arrived_at,
        store_link,
    ]
    fieldsets = [
        (None, {"fields": ["number", "order_type", "status", "client", "total", "currency", "created_at"]}),
        (_("Write-off"), {"fields": ["written_off_at"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None or not obj.is_imported:
            return self.fieldsets
        # An imported order's dates are the platform's and the import's; "created here" would say neither.
        main = ["number", "order_type", "status", "client", "total", "currency"]
        store = [store_link, "external_id", "external_created_at", arrived_at, "last_synced_at"]
        return [(None, {"fields": main}), (_("Online store"), {"fields": store}), self.fieldsets[1]]

    def get_inline_instances(self, request, obj=None):
        # No waybill yet: no empty waybill table (its header alone says nothing).
        has_waybills = obj is not None and obj.waybills.exists()
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if has_waybills or not isinstance(inline, WaybillInline)
        ]

    def get_queryset(self, request):
        return with_waybill_mark(super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        # Server-side, not only hidden: a POST to an imported order without the permission is refused.
        return super().has_change_permission(request, obj) and services.may_work_with(order=obj, user=request.user)

    def has_delete_permission(self, request, obj=None):
        # Deleting an imported order needs what working with it needs (R11, R52); the button is not offered.
        return super().has_delete_permission(request, obj) and services.may_work_with(order=obj, user=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        order = self.get_object(request, object_id)
        if order is not None and not services.may_work_with(order=order, user=request.user):
            self.message_user(request, _IMPORTED_DELETE_REFUSAL, messages.ERROR)
            return redirect(reverse("admin:orders_order_change", args=[order.pk]))
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description=django_delete_selected.short_description, permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Django's bulk delete, leaving out the imported orders the user may not delete, and saying so (R52)."""
        if not request.user.has_perm(ADD_WITHOUT_DEDUCTION):
            imported = queryset.filter(store__isnull=False).count()
            if imported:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d order from an online store was left out: %(reason)s",
                        "%(n)d orders from online stores were left out: %(reason)s",
                        imported,
                    )
                    % {"n": imported, "reason": _IMPORTED_DELETE_REFUSAL},
                    messages.WARNING,
                )
                queryset = queryset.filter(store__isnull=True)
                if not queryset.exists():
                    return None
        return django_delete_selected(self, request, queryset)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["order_type", "created_at"]
            if obj.is_imported:
                fields += ["number", "currency"]
        return fields

    def save_model(self, request, obj, form, change):
        chosen = form.cleaned_data.get("status")
        status_changed = change and "status" in form.changed_data
        if status_changed:
            # The status moves through the service, so the feed and the platforms hear of it.
            obj.status_id = Order.objects.values_list("status_id", flat=True).get(pk=obj.pk)
        if not change:
            obj.status = services.order_initial_status(order_type=obj.order_type, chosen=chosen)
        super().save_model(request, obj, form, change)
        if status_changed:
            services.order_set_status(order=obj, status=chosen, user=request.user)
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

    # --- Refresh from the platform (R32) ---------------------------------------------------------
    def has_refresh_permission(self, request, obj=None):
        # Refreshing only concerns imported orders, so it needs what working with them needs (R11).
        return request.user.has_perm(ADD_WITHOUT_DEDUCTION)

    @admin.action(description=_("Refresh orders"), permissions=["refresh"])
    def refresh_orders(self, request, queryset):
        outcome = orders_refresh(orders=list(queryset.select_related("store")), user=request.user)
        if outcome.queued:
            n = len(outcome.queued)
            self.message_user(
                request,
                ngettext(
                    "%(n)d order queued for a refresh from its store.",
                    "%(n)d orders queued for a refresh from their stores.",
                    n,
                )
                % {"n": n},
                messages.SUCCESS,
            )
        if outcome.refused:
            details = ", ".join(
                _("%(number)s at %(time)s") % {"number": order.number, "time": _when(next_at)}
                for order, next_at in outcome.refused
            )
            n = len(outcome.refused)
            self.message_user(
                request,
                ngettext(
                    "%(n)d order was refreshed less than 10 minutes ago; next refresh possible: %(details)s.",
                    "%(n)d orders were refreshed less than 10 minutes ago; next refresh possible: %(details)s.",
                    n,
                )
                % {"n": n, "details": details},
                messages.WARNING,
            )
        if outcome.not_imported:
            n = len(outcome.not_imported)
            self.message_user(
                request,
                ngettext(
                    "%(n)d order was created in the back-office and has no store to refresh from.",
                    "%(n)d orders were created in the back-office and have no store to refresh from.",
                    n,
                )
                % {"n": n},
                messages.INFO,
            )

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/refresh/",
                self.admin_site.admin_view(self.refresh_view),
                name="orders_order_refresh",
            )
        ]
        return urls + super().get_urls()

    def refresh_view(self, request, object_id):
        """The order page's Refresh button: POST only, same permission and 10-minute rule."""
        order = get_object_or_404(Order.objects.select_related("store"), pk=object_id)
        if request.method != "POST":
            return redirect(reverse("admin:orders_order_change", args=[order.pk]))
        if not self.has_refresh_permission(request, order):
            self.message_user(
                request,
                _('Refreshing orders from online stores requires the permission "Can add products without deduction".'),
                messages.ERROR,
            )
        else:
            self.refresh_orders(request, Order.objects.filter(pk=order.pk))
        return redirect(reverse("admin:orders_order_change", args=[order.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_refresh"] = bool(obj and obj.is_imported and self.has_refresh_permission(request, obj))
        context["feed"] = feed_rows(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


_IMPORTED_DELETE_REFUSAL = _(
    'Deleting orders from online stores requires the permission "Can add products without deduction".'
)


def _when(moment) -> str:
    return short_moment(moment)
