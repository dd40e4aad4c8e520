"""Store connections and what the import keeps about them: logs, webhook deliveries, status maps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from integrations.crypto import decrypt_json, encrypt_json


class Platform(models.TextChoices):
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    CARTUM = "cartum", "Cartum"


class IdentifyBy(models.TextChoices):
    NAME = "name", _("name")
    SKU = "sku", _("SKU")
    ID = "id", _("ID (code)")


class ConnectionState(models.TextChoices):
    CONNECTED = "connected", _("connected")
    FAILING = "failing", _("failing")
    DISABLED = "disabled", _("disabled")


class BackfillState(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed, will resume")
    SKIPPED = "skipped", _("not requested")


class Store(models.Model):
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("shop URL"))
    # Encrypted JSON of the platform's credentials; never rendered or logged (R1).
    credentials_encrypted = models.TextField(editable=False, blank=True)
    webhook_secret_encrypted = models.TextField(editable=False, blank=True)
    order_type = models.ForeignKey(
        "orders.OrderType", verbose_name=_("order type"), on_delete=models.PROTECT, related_name="+"
    )
    identify_products_by = models.CharField(
        _("identify products by"), max_length=8, choices=IdentifyBy.choices, default=IdentifyBy.SKU
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    state = models.CharField(
        _("connection state"), max_length=16, choices=ConnectionState.choices, default=ConnectionState.CONNECTED
    )
    # What the platform told us about the shop when connecting.
    shop_domain = models.CharField(_("shop domain"), max_length=255, blank=True)
    shop_currency = models.CharField(_("shop currency"), max_length=3, blank=True)
    shop_plan = models.CharField(_("shop plan"), max_length=64, blank=True)
    connected_at = models.DateTimeField(_("connected"), null=True, blank=True)
    # One-time backfill (R3): the window start, where it got to, and how far along it is.
    backfill_state = models.CharField(
        _("backfill"), max_length=16, choices=BackfillState.choices, default=BackfillState.PENDING
    )
    backfill_since = models.DateTimeField(_("backfill since"), null=True, blank=True)
    backfill_cursor = models.TextField(blank=True, editable=False)
    backfill_total = models.PositiveIntegerField(_("orders to check"), null=True, blank=True)
    backfill_done = models.PositiveIntegerField(_("orders checked"), default=0)
    # Incremental poll (R4): changes since this moment, per the platform's clock.
    poll_cursor = models.DateTimeField(_("polled up to"), null=True, blank=True)
    last_sync_at = models.DateTimeField(_("last successful sync"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    last_webhook_at = models.DateTimeField(_("last webhook"), null=True, blank=True)
    sync_not_before = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def credentials(self) -> dict:
        return decrypt_json(self.credentials_encrypted)

    @credentials.setter
    def credentials(self, value: dict) -> None:
        self.credentials_encrypted = encrypt_json(value or {})

    @property
    def webhook_secret(self) -> str:
        return decrypt_json(self.webhook_secret_encrypted).get("secret", "")

    @webhook_secret.setter
    def webhook_secret(self, value: str) -> None:
        self.webhook_secret_encrypted = encrypt_json({"secret": value}) if value else ""


class ImportLog(models.Model):
    """A skipped or failed import of one platform order (R40); seen again, it is counted, not repeated."""

    store = models.ForeignKey(Store, verbose_name=_("store"), on_delete=models.CASCADE, related_name="import_logs")
    external_id = models.CharField(_("external ID"), max_length=64)
    reason = models.TextField(_("reason"))
    payload = models.JSONField(_("payload"), null=True, blank=True)
    count = models.PositiveIntegerField(_("times seen"), default=1)
    resolved = models.BooleanField(_("resolved"), default=False)
    created_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now=True)

    class Meta:
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        ordering = ["-last_seen_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["store", "external_id"], name="importlog_unique_order")]

    def __str__(self):
        return f"{self.store} {self.external_id}: {self.reason[:60]}"


class WebhookDelivery(models.Model):
    """A webhook delivery already accepted, so a replay of the same delivery id does nothing (R7, R42)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="webhook_deliveries")
    delivery_id = models.CharField(max_length=255)
    topic = models.CharField(max_length=100, blank=True)
    external_id = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["store", "delivery_id"], name="webhook_unique_delivery")]

    def __str__(self):
        return f"{self.store_id}:{self.delivery_id}"


class StatusMapping(models.Model):
    """Cartum status <-> back-office status, per store (R9)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="status_mappings")
    platform_status = models.CharField(_("platform status"), max_length=64)
    platform_title = models.CharField(_("platform status title"), max_length=255, blank=True)
    status = models.ForeignKey("orders.Status", verbose_name=_("back-office status"), on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("status mapping")
        verbose_name_plural = _("status mappings")
        constraints = [
            models.UniqueConstraint(fields=["store", "platform_status"], name="statusmap_unique_platform_status"),
        ]

    def __str__(self):
        return f"{self.platform_title or self.platform_status} <-> {self.status_id}"
