"""Nova Poshta settings (one row), the user's status rules, and what tracking learns about a waybill (R13)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from integrations import crypto
from orders.models import Waybill

CARRIER = "novaposhta"
DELETED = "2"

# TrackingDocument StatusCode -> meaning (PROTOCOLS.md 4, "StatusCode list": two Go clients agree).
STATUS_CODES = {
    "1": _("Created by the sender, not handed over yet"),
    "2": _("Deleted"),
    "3": _("Number not found"),
    "4": _("In the sender's city"),
    "41": _("In the city (local delivery)"),
    "5": _("Heading to the destination city"),
    "6": _("In the destination city"),
    "7": _("Arrived at the branch"),
    "8": _("Arrived at the parcel locker"),
    "9": _("Received"),
    "10": _("Received; money transfer pending"),
    "11": _("Received; money transfer paid out"),
    "12": _("Nova Poshta is assembling the shipment"),
    "101": _("On the way to the recipient"),
    "102": _("Refused; the sender created a return"),
    "103": _("Refused by the recipient"),
    "104": _("Address changed"),
    "105": _("Storage stopped"),
    "106": _("Received; return-delivery waybill created"),
    "111": _("Failed delivery attempt"),
    "112": _("Delivery date moved by the recipient"),
}
# No longer polled: received (9, 10, 11), deleted (2), not found (3), refused or returned (102, 103,
# 105, 106). PROTOCOLS.md 4 gives this grouping as an inference; R13 needs a point where polling stops.
FINAL_STATUSES = frozenset({"2", "3", "9", "10", "11", "102", "103", "105", "106"})
STATUS_CHOICES = [(code, f"{code} — {text}") for code, text in STATUS_CODES.items()]


class NovaPoshtaSettings(models.Model):
    """The integration's one settings row: key (encrypted at rest), switch, status rules."""

    api_key_encrypted = models.TextField(blank=True, editable=False)
    enabled = models.BooleanField(
        _("enabled"),
        default=False,
        help_text=_("Track waybill statuses and apply the status rules. When off, waybills are still shown."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("Nova Poshta settings")
        verbose_name_plural = _("Nova Poshta settings")

    def __str__(self):
        return str(_("Nova Poshta settings"))

    @classmethod
    def load(cls) -> "NovaPoshtaSettings":
        """The one settings row, created on first use."""
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def api_key(self) -> str:
        return crypto.decrypt_json(self.api_key_encrypted).get("api_key", "")

    @api_key.setter
    def api_key(self, value: str) -> None:
        value = (value or "").strip()
        self.api_key_encrypted = crypto.encrypt_json({"api_key": value}) if value else ""

    @property
    def api_key_masked(self) -> str:
        return crypto.mask(self.api_key) or "—"

    def rules(self) -> dict:
        """Waybill status code -> orders.Status."""
        return {r.waybill_status: r.status for r in self.status_rules.select_related("status")}


class StatusRule(models.Model):
    """When a waybill reaches `waybill_status`, its order moves to `status` (R13)."""

    settings = models.ForeignKey(NovaPoshtaSettings, on_delete=models.CASCADE, related_name="status_rules")
    waybill_status = models.CharField(_("waybill status"), max_length=16, choices=STATUS_CHOICES)
    status = models.ForeignKey(
        "orders.Status", verbose_name=_("order status"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("status rule")
        verbose_name_plural = _("status rules")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["settings", "waybill_status"], name="np_rule_unique_waybill_status")
        ]

    def __str__(self):
        return f"{self.waybill_status} -> {self.status}"


class WaybillDetails(models.Model):
    """What tracking learns beyond the status (the sender: shown only while the integration is on, R13)."""

    waybill = models.OneToOneField(Waybill, on_delete=models.CASCADE, related_name="np_details")
    sender = models.CharField(_("sender"), max_length=255, blank=True)
    sender_address = models.TextField(_("sender address"), blank=True)
    # Dates as Nova Poshta sends them: the same answer mixes "06-04-2023 12:47:40" and "2023-04-06 18:47:40".
    scheduled_delivery = models.CharField(_("scheduled delivery"), max_length=32, blank=True)
    actual_delivery = models.CharField(_("actual delivery"), max_length=32, blank=True)
    document_cost = models.CharField(_("delivery cost (Nova Poshta)"), max_length=32, blank=True)
    # When the order's delivery method stopped being Nova Poshta (R14). Such a waybill is history: a later
    # switch back starts a new one. A waybill Nova Poshta itself reports deleted (status 2) stays current,
    # so a corrected TTN on the platform updates it instead of piling up copies.
    replaced_at = models.DateTimeField(_("delivery method changed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("waybill details")
        verbose_name_plural = _("waybill details")

    def __str__(self):
        return str(self.waybill)


class NovaPoshtaWaybill(Waybill):
    """Nova Poshta waybills as their own admin screen (the details behind the NP mark)."""

    class Meta:
        proxy = True
        verbose_name = _("Nova Poshta waybill")
        verbose_name_plural = _("Nova Poshta waybills")
