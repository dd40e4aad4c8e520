"""The catalog: a category tree, products (always counted in pieces) and a stock ledger."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    name = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name_in_parent"),
            # NULLs are distinct in a unique index, so top-level names need their own constraint.
            models.UniqueConstraint(fields=["name"], condition=Q(parent=None), name="category_unique_root_name"),
        ]

    def __str__(self):
        return self.name


class Unit(models.TextChoices):
    PIECE = "pcs", _("piece")


class Product(models.Model):
    name = models.CharField(_("name"), max_length=255, db_index=True)
    description = models.TextField(_("description"), blank=True)
    sku = models.CharField(_("SKU"), max_length=255, blank=True, db_index=True)
    # The platform's product id for imported products (R17).
    code = models.CharField(_("code"), max_length=255, blank=True, db_index=True)
    # Always "piece", whatever a platform says (R17).
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.PIECE, editable=False)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL, related_name="products"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class StockMovement(models.Model):
    """One change of a product's stock; the stock is the sum of its movements (may go below zero)."""

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="movements")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    order_item = models.ForeignKey(
        "orders.OrderItem", verbose_name=_("order item"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.product}: {self.quantity:+}"
