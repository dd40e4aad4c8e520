"""The parts of the order page: its items, its waybills and the order's own form."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from orders import services
from orders.admin_display import OrderItemForm, quantity_shown
from orders.models import Order, OrderItem, Waybill


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    form = OrderItemForm
    extra = 0
    fields = ["product", "quantity", "price", "deducted"]
    readonly_fields = ["deducted"]
    autocomplete_fields = ["product"]

    def get_fields(self, request, obj=None):
        if self._frozen(request, obj):  # shown read-only: the quantity as a whole number where it is one
            return ["product", quantity_shown, "price", "deducted"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), quantity_shown]

    def _frozen(self, request, obj):
        return obj is not None and (obj.is_written_off or not services.may_work_with(order=obj, user=request.user))

    def has_add_permission(self, request, obj=None):
        return not self._frozen(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(request, obj) and super().has_delete_permission(request, obj)


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
