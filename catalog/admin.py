from django.contrib import admin
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, Product, StockMovement


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


class StockMovementInline(admin.TabularInline):
    model = StockMovement
    extra = 0
    fields = ["created_at", "quantity", "reason", "order_item"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "code", "category", "unit", "stock"]
    list_select_related = ["category"]
    search_fields = ["name", "=sku", "=code"]
    list_filter = ["category"]
    autocomplete_fields = ["category"]
    readonly_fields = ["unit", "stock"]
    inlines = [StockMovementInline]
    show_full_result_count = False

    def get_queryset(self, request):
        zero = Value(0, output_field=DecimalField(max_digits=14, decimal_places=3))
        return super().get_queryset(request).annotate(_stock=Coalesce(Sum("movements__quantity"), zero))

    @admin.display(description=_("stock"), ordering="_stock")
    def stock(self, obj):
        # May be below zero: goods were written off before they were received.
        return obj._stock.normalize() if obj._stock is not None else 0


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    list_display = ["created_at", "product", "quantity", "reason"]
    list_select_related = ["product"]
    autocomplete_fields = ["product"]
    raw_id_fields = ["order_item"]
    search_fields = ["product__name", "reason"]
