"""Nova Poshta screens: the settings (key masked, never rendered back; status rules inline) and waybills."""

from django import forms
from django.contrib import admin
from django.db.models import Subquery
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from integrations.novaposhta.models import CARRIER, NovaPoshtaSettings, NovaPoshtaWaybill, StatusRule


class SettingsForm(forms.ModelForm):
    api_key = forms.CharField(
        label=_("API key"),
        required=False,
        widget=forms.PasswordInput(render_value=False),  # a credential is never rendered back (R1)
        help_text=_("Leave empty to keep the current key."),
    )
    clear_api_key = forms.BooleanField(label=_("Remove the API key"), required=False)

    class Meta:
        model = NovaPoshtaSettings
        fields = ["enabled"]

    def save(self, commit=True):
        obj = super().save(commit=False)
        if self.cleaned_data.get("clear_api_key"):
            obj.api_key = ""
        elif self.cleaned_data.get("api_key"):
            obj.api_key = self.cleaned_data["api_key"]
        if commit:
            obj.save()
        return obj


class StatusRuleInline(admin.TabularInline):
    model = StatusRule
    extra = 1
    fields = ["waybill_status", "status"]
    verbose_name_plural = _("Status rules: when a waybill reaches this status, the order moves to that status")


@admin.register(NovaPoshtaSettings)
class NovaPoshtaSettingsAdmin(admin.ModelAdmin):
    form = SettingsForm
    inlines = [StatusRuleInline]
    readonly_fields = ["api_key_masked", "updated_at"]
    fields = ["enabled", "api_key_masked", "api_key", "clear_api_key", "updated_at"]

    @admin.display(description=_("current API key"))
    def api_key_masked(self, obj):
        return obj.api_key_masked

    def changelist_view(self, request, extra_context=None):
        """One settings row: the list goes straight to it."""
        obj = NovaPoshtaSettings.load()
        return HttpResponseRedirect(reverse("admin:novaposhta_novaposhtasettings_change", args=[obj.pk]))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _detail_column(name: str, description, *, sender=False):
    """A read-only column of what tracking learned (WaybillDetails); with the integration disabled, everything
    but the sender is shown (R13)."""

    @admin.display(description=description)
    def column(model_admin, obj):
        if sender and not getattr(obj, "np_enabled", False):
            return "—"
        details = getattr(obj, "np_details", None)
        return getattr(details, name, "") or "—"

    return column


@admin.register(NovaPoshtaWaybill)
class NovaPoshtaWaybillAdmin(admin.ModelAdmin):
    """Read-only: waybills come from the platforms and from tracking, never from typing."""

    list_display = [
        "number",
        "order_link",
        "status",
        "status_text",
        "recipient_name",
        "recipient_address",
        "sender",
        "last_checked_at",
    ]
    list_filter = ["status"]
    search_fields = ["number", "order__number"]
    fields = [
        "number",
        "order_link",
        "status",
        "status_text",
        "service",
        "cost",
        "recipient_name",
        "recipient_phone",
        "recipient_address",
        "sender",
        "sender_address",
        "scheduled_delivery",
        "actual_delivery",
        "last_checked_at",
        "created_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # The switch rides along in the list's own query (no query per row).
        enabled = NovaPoshtaSettings.objects.filter(pk=1).values("enabled")[:1]
        queryset = super().get_queryset(request).filter(carrier=CARRIER).select_related("order", "np_details")
        return queryset.annotate(np_enabled=Subquery(enabled))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("order"), ordering="order__number")
    def order_link(self, obj):
        url = reverse("admin:orders_order_change", args=[obj.order_id])
        return format_html('<a href="{}">{}</a>', url, obj.order)

    sender = _detail_column("sender", _("sender"), sender=True)
    sender_address = _detail_column("sender_address", _("sender address"), sender=True)
    scheduled_delivery = _detail_column("scheduled_delivery", _("scheduled delivery"))
    actual_delivery = _detail_column("actual_delivery", _("actual delivery"))
