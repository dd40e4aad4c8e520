"""Orders and what hangs off them: items, the event feed and delivery waybills."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from orders.labels import label

ADD_WITHOUT_DEDUCTION = "orders.add_products_without_deduction"


def default_currency():
    return settings.ROAPP_CURRENCY


class Status(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    is_completed = models.BooleanField(_("completed"), default=False, help_text=_("The order is closed."))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        ordering = ["position", "id"]

    def __str__(self):
        return label(self.name)  # a default status in the reader's language; its name stays (R55)


class OrderType(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    initial_status = models.ForeignKey(
        Status, verbose_name=_("initial status"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("order type")
        verbose_name_plural = _("order types")
        ordering = ["name"]

    def __str__(self):
        return label(self.name)


class Order(models.Model):
    number = models.CharField(_("number"), max_length=64, blank=True, db_index=True)
    order_type = models.ForeignKey(OrderType, verbose_name=_("order type"), on_delete=models.PROTECT)
    status = models.ForeignKey(Status, verbose_name=_("status"), on_delete=models.PROTECT)
    client = models.ForeignKey(
        "contacts.Client", verbose_name=_("client"), null=True, blank=True, on_delete=models.PROTECT
    )
    # The cost of all goods: sum of quantity x price of the lines; delivery is not in it (R5).
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    created_at = models.DateTimeField(_("created in the back-office"), default=timezone.now, db_index=True)
    # The four extra fields of an imported order (R6). Declared by name: orders never imports
    # integrations (DESIGN.md).
    store = models.ForeignKey(
        "integrations.Store",
        verbose_name=_("store"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    external_id = models.CharField(_("external ID"), max_length=64, blank=True)
    external_created_at = models.DateTimeField(_("placed on the platform"), null=True, blank=True)
    # The order's own date (R53): when the platform says it was placed, or when it was made here. Stored
    # (not a Coalesce at query time) so the list sorts by an index at a million orders; filled by save()
    # and by the import's bulk insert.
    placed_at = models.DateTimeField(_("date"), editable=False)
    last_synced_at = models.DateTimeField(_("last update"), null=True, blank=True)
    written_off_at = models.DateTimeField(_("written off"), null=True, blank=True)
    # Fingerprint of the platform's state as last applied; an unchanged re-sync writes nothing (R7).
    sync_digest = models.CharField(max_length=64, blank=True, editable=False)
    # When a manual refresh from the platform may next run (R32); set atomically by the refresh.
    refresh_not_before = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at", "-id"]
        permissions = [("add_products_without_deduction", _("Can add products without deduction"))]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "external_id"], condition=Q(store__isnull=False), name="order_unique_store_external_id"
            ),
        ]
        # The orders list sorts by -placed_at, -id (R53); the Store filter adds store_id in front; the
        # API may sort by created_at; the admin's "=number" search compares UPPER(number) (iexact),
        # hence the expression indexes.
        indexes = [
            models.Index(fields=["store", "-placed_at", "-id"], name="order_store_placed_idx"),
            models.Index(fields=["-placed_at", "-id"], name="order_placed_id_idx"),
            models.Index(fields=["-created_at", "-id"], name="order_created_id_idx"),
            models.Index(Upper("number"), name="order_number_upper_idx"),
            models.Index(Upper("external_id"), name="order_external_id_upper_idx"),
        ]

    def __str__(self):
        return self.number or f"#{self.pk}"

    def save(self, *args, **kwargs):
        if self.placed_at is None:
            self.placed_at = self.external_created_at or self.created_at
        super().save(*args, **kwargs)
        if not self.number:
            # Orders made in the back-office are numbered by their id.
            self.number = str(self.pk)
            type(self).objects.filter(pk=self.pk).update(number=self.number)

    @property
    def is_imported(self) -> bool:
        return self.store_id is not None

    @property
    def is_written_off(self) -> bool:
        return self.written_off_at is not None


class OrderItem(models.Model):
    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, default=1)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2, default=0)
    # False until the order is written off: imported lines come "without deduction" (R19).
    deducted = models.BooleanField(_("deducted"), default=False)
    # The platform's line id, so a re-sync updates the same line.
    external_id = models.CharField(_("external ID"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["id"]

    def __str__(self):
        return f"{self.product} x {self.quantity.normalize():f}"  # 2, not 2.000 (R55)

    @property
    def amount(self):
        return self.quantity * self.price


class EventKind(models.TextChoices):
    # The values are a contract (DESIGN.md): add kinds, never rename them. The labels are what staff read.
    COMMENT = "comment", _("Comment")
    STATUS = "status", _("Status change")
    WRITE_OFF = "write_off", _("Write-off")
    DELIVERY = "delivery", _("Delivery")
    IGNORED_CHANGE = "ignored_change", _("Platform change not applied")
    PLATFORM_PUSH = "platform_push", _("Sent to the platform")
    WAYBILL = "waybill", _("Waybill")
    IMPORT = "import", _("Import")
    REFRESH = "refresh", pgettext_lazy("event kind", "Refresh")  # the noun; "Refresh" alone is the button


class Event(models.Model):
    """One line of an order's event feed."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    text = models.TextField(_("text"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["order", "kind", "-id"], name="event_order_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Waybill(models.Model):
    """A carrier's shipping document (Nova Poshta TTN) of an order (R13)."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="waybills")
    number = models.CharField(_("number"), max_length=64, blank=True, db_index=True)
    carrier = models.CharField(_("carrier"), max_length=32, default="novaposhta")
    # The carrier's status code as text, e.g. "9"; "2" is Nova Poshta's code for deleted.
    status = models.CharField(_("status"), max_length=16, blank=True)
    status_text = models.CharField(_("status text"), max_length=255, blank=True)
    service = models.CharField(_("delivery service"), max_length=255, blank=True)
    cost = models.DecimalField(_("delivery cost"), max_digits=14, decimal_places=2, null=True, blank=True)
    recipient_name = models.CharField(_("recipient"), max_length=255, blank=True)
    recipient_phone = models.CharField(_("recipient phone"), max_length=32, blank=True)
    recipient_address = models.TextField(_("recipient address"), blank=True)
    last_checked_at = models.DateTimeField(_("last check"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("waybill")
        verbose_name_plural = _("waybills")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.number or str(_("waybill without a number yet"))
