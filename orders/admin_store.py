"""The orders list's store pieces (R30, R31, R13): the Store filter, the Store column, the NP mark.

This is the admin layer, the one place allowed to compose orders with integrations (DESIGN.md).
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from integrations.models import Store
from integrations.platforms import platform_for
from orders.models import Waybill

BACK_OFFICE = "back-office"
DELETED = "2"  # Nova Poshta's own code for a deleted waybill
INTEGRATIONS = "integrations"


class StoreFilter(admin.SimpleListFilter):
    """All (default), created in the back-office, from integrations, or one connected store (R30)."""

    title = _("store")
    parameter_name = "store"

    def lookups(self, request, model_admin):
        stores = [(str(pk), name) for pk, name in Store.objects.order_by("name").values_list("pk", "name")]
        return [(BACK_OFFICE, _("Created in the back-office")), (INTEGRATIONS, _("From integrations")), *stores]

    def queryset(self, request, queryset):
        value = self.value()
        if value == BACK_OFFICE:
            return queryset.filter(store__isnull=True)
        if value == INTEGRATIONS:
            return queryset.filter(store__isnull=False)
        if value is None:
            return queryset
        if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit(), not to int()
            return queryset.filter(store_id=int(value))
        # As Django's admin does for a bad lookup: back to the list (?e=1), here with the reason (R52).
        messages.error(request, _("Unknown store filter “%(value)s”: the list shows all orders.") % {"value": value})
        raise IncorrectLookupParameters(value)


def with_waybill_mark(queryset):
    """The page's Nova Poshta waybills, fetched in one query for the orders shown (no per-row query).

    Not an EXISTS in the list's own query: PostgreSQL answered that by scanning every waybill (~40 ms
    at a million orders, bench.admin_list), while this reads the page's 50 orders by index.
    """
    np_waybills = Waybill.objects.filter(carrier="novaposhta").only("id", "order_id")
    return queryset.prefetch_related(Prefetch("waybills", queryset=np_waybills, to_attr="np_waybills"))


@admin.display(description=_("number"), ordering="number")
def number_with_mark(order):
    if getattr(order, "np_waybills", None):
        return format_html('{} <span class="np-mark" title="{}">NP</span>', order.number, _("Nova Poshta waybill"))
    return order.number


@admin.display(description=_("store"), ordering="store__name")
def store_link(order):
    """The store's name, opening the order in the platform's own admin in a new tab (R31)."""
    if order.store is None:
        return "—"
    url = platform_for(order.store).admin_order_url(order.store, order.external_id)
    if not url:
        return order.store.name
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, order.store.name)
