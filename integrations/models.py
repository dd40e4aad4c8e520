"""Store connections and what the import keeps about them: logs, webhook deliveries, status maps."""

import re

from django.core.validators import MinValueValidator, validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from integrations.crypto import decrypt_json, encrypt_json
from integrations.platforms import platform_choices as registered_platform_choices


def platform_choices() -> list[tuple[str, str]]:
    """The registered platforms, as Store.platform's choices. A callable: Django asks it when it validates or shows
    the field, and a migration names the function, not the platforms, so registering a platform needs no migration.
    """
    return registered_platform_choices()


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


def email_list(text: str) -> list[str]:
    """The addresses in a contact-emails field: one per line, or separated by commas or spaces."""
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


def validate_email_list(text: str) -> None:
    for address in email_list(text):
        validate_email(address)


class Store(models.Model):
    platform = models.CharField(_("platform"), max_length=20, choices=platform_choices)
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
    # A backfill run as one of the platform's bulk exports (R50): the operation, its result file (encrypted: the
    # signed address reads the shop's orders without a token), when that address expires, the lines of the
    # file already imported (the checkpoint) and how many objects the platform had exported at the last look.
    backfill_bulk_id = models.CharField(max_length=255, blank=True, editable=False)
    backfill_bulk_url_encrypted = models.TextField(blank=True, editable=False)
    backfill_bulk_url_expires = models.DateTimeField(null=True, blank=True, editable=False)
    backfill_bulk_line = models.PositiveBigIntegerField(default=0, editable=False)
    backfill_bulk_objects = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    # Incremental poll (R4): changes since this moment, per the platform's clock.
    poll_cursor = models.DateTimeField(_("polled up to"), null=True, blank=True)
    last_sync_at = models.DateTimeField(_("last successful sync"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    last_webhook_at = models.DateTimeField(_("last webhook"), null=True, blank=True)
    # When a drain of this store's webhook deliveries was queued; null once a drain has started (webhooks.py).
    webhook_drain_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    sync_not_before = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Store health (R44): who hears about it, when to worry, and the state last announced.
    contact_emails = models.TextField(
        _("contact emails"),
        blank=True,
        validators=[validate_email_list],
        help_text=_("Told by email when orders stop arriving and when they arrive again; one address per line."),
    )
    health_threshold_minutes = models.PositiveIntegerField(
        _("alert after minutes without a sync"), default=30, validators=[MinValueValidator(1)]
    )
    health_failures_limit = models.PositiveIntegerField(
        _("alert after failed syncs in a row"), default=3, validators=[MinValueValidator(1)]
    )
    healthy = models.BooleanField(_("healthy"), default=True, editable=False)
    health_problems = models.JSONField(default=list, blank=True, editable=False)  # [{"code": ..., params}]
    health_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # last sync + threshold: lets every admin page see a stale store even when no worker runs the check.
    stale_after = models.DateTimeField(null=True, blank=True, editable=False)
    # New orders the poll found that webhooks should have brought, counted since the last webhook.
    poll_missed_count = models.PositiveIntegerField(default=0, editable=False)
    poll_missed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The platform's API budget after the last sync, where it reports one (Shopify's throttleStatus).
    api_budget_available = models.FloatField(null=True, blank=True, editable=False)
    api_budget_maximum = models.FloatField(null=True, blank=True, editable=False)
    api_budget_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The API version the platform's last answer was served as, where it names one (Shopify's
    # X-Shopify-API-Version); the health page warns when it is not the version the client asks for (R47).
    api_version_seen = models.CharField(_("API version answered"), max_length=20, blank=True, editable=False)
    # Webhook subscriptions on the platform (R48, integrations/webhook_subscriptions.py): those the back-office
    # created or found ([{"id", "topic", "address"}]; for Cartum, which cannot list them, the only record),
    # the topics missing at the last check, and why they could not be created.
    webhook_subscriptions = models.JSONField(default=list, blank=True, editable=False)
    webhooks_missing = models.JSONField(default=list, blank=True, editable=False)
    webhooks_error = models.TextField(blank=True, editable=False)
    webhooks_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

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
    def backfill_bulk_url(self) -> str:
        return decrypt_json(self.backfill_bulk_url_encrypted).get("url", "")

    @backfill_bulk_url.setter
    def backfill_bulk_url(self, value: str) -> None:
        self.backfill_bulk_url_encrypted = encrypt_json({"url": value}) if value else ""

    def backfill_phase(self) -> str:
        """Which part of the backfill runs, in words for the store page (R50): a bulk export has two phases (its
        fields are cleared once it is done)."""
        if self.backfill_bulk_id and not self.backfill_bulk_url_encrypted:
            return _("exporting on Shopify: %(count)s objects") % {"count": self.backfill_bulk_objects or 0}
        if self.backfill_bulk_id:
            done, total = self.backfill_done, self.backfill_total or 0
            return _("importing %(done)s of %(total)s") % {"done": done, "total": total}
        return ""

    @property
    def webhook_secret(self) -> str:
        return decrypt_json(self.webhook_secret_encrypted).get("secret", "")

    @webhook_secret.setter
    def webhook_secret(self, value: str) -> None:
        self.webhook_secret_encrypted = encrypt_json({"secret": value}) if value else ""


class ReconcileDay(models.Model):
    """One day of a store's last reconciliation (R43): the platform's own count beside ours."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="reconcile_days")
    day = models.DateField(_("day"))
    on_platform = models.PositiveIntegerField(_("on the platform"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    in_backoffice = models.PositiveIntegerField(_("in the back-office"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)  # open import problems (R2, R10, R40)
    not_imported = models.PositiveIntegerField(default=0)  # left out by a rule on purpose (R3)
    before_window = models.PositiveIntegerField(default=0)  # created before what the store imports
    missing = models.PositiveIntegerField(_("missing"), default=0)
    missing_ids = models.JSONField(default=list, blank=True)  # the first ones, for the page
    extra = models.PositiveIntegerField(default=0)  # ours, no longer on the platform
    checked_at = models.DateTimeField(_("checked"))

    class Meta:
        verbose_name = _("reconciliation day")
        verbose_name_plural = _("reconciliation days")
        ordering = ["store", "day"]
        constraints = [models.UniqueConstraint(fields=["store", "day"], name="reconcileday_unique_store_day")]

    def __str__(self):
        return f"{self.store_id} {self.day}: {self.on_platform} / {self.imported}"

    @property
    def flagged(self) -> bool:
        return self.missing > 0 or self.extra > 0


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
    """One accepted webhook delivery; the undone ones are the store's queue (integrations/webhook_queue.py).

    A delivery is its body: the same body on the same topic again is a replay (a platform's retry, or the same
    signed body sent under new delivery ids) and adds no row. The platform's delivery id alone is not enough:
    WooCommerce gives every delivery of one webhook within a second the same one (R49).
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="webhook_deliveries")
    delivery_id = models.CharField(max_length=255)
    topic = models.CharField(max_length=100, blank=True)
    external_id = models.CharField(max_length=64, blank=True)
    # SHA-256 of the raw body; null on rows recorded before it was kept (nulls never collide).
    body_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    received_at = models.DateTimeField(auto_now_add=True)
    # Set when the order it names has been fetched and imported, or logged as an import problem (R51).
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["store", "topic", "body_digest"], name="webhook_unique_body"),
        ]
        indexes = [
            models.Index(
                fields=["store", "id"], condition=models.Q(processed_at__isnull=True), name="webhook_pending_idx"
            )
        ]

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
