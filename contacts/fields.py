"""A model field that stores phones in E.164 and rejects invalid ones on validation."""

from django.db import models

from contacts.phones import normalize_phone


class PhoneField(models.CharField):
    """CharField that normalizes to E.164 in `full_clean()` (admin, API and importer alike)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalize_phone(super().to_python(value))
