"""Clients of the business: people who place orders, by hand or through an online store."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.fields import PhoneField
from contacts.phones import normalize_email


class Client(models.Model):
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    # E.164 or empty; unique so that concurrent importers can never create one number twice.
    phone = PhoneField(_("phone"))
    email = models.EmailField(_("email"), blank=True)
    address = models.TextField(_("address"), blank=True)
    # The single "Not specified" client of orders whose platform hides client data (R22).
    is_placeholder = models.BooleanField(_("placeholder"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="client_unique_phone"),
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="client_unique_email"),
            models.UniqueConstraint(
                fields=["is_placeholder"], condition=Q(is_placeholder=True), name="client_single_placeholder"
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"], name="client_name_idx")]

    def __str__(self):
        if self.is_placeholder:
            return str(_("Not specified"))
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or self.phone or self.email or f"#{self.pk}"

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)
