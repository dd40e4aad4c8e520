"""The admin form that connects a store: it checks the connection against the platform first, then shows
what the first backfill would do and saves only once that is confirmed (R45).

The confirming submit comes back without the secrets (password inputs never render them again, R1), so
the first submit keeps them encrypted in the staff member's session under a random key that the form
carries in a hidden field; they are used only for the same platform and shop URL, and dropped on save.
"""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from integrations.connecting import store_prepare
from integrations.crypto import decrypt_json, encrypt_json
from integrations.health.preview import store_backfill_preview
from integrations.models import IdentifyBy, Store
from integrations.platforms import PLATFORMS, platform_choices
from integrations.platforms.credentials import WEBHOOK_SECRET, credential_fields, credentials_from
from integrations.platforms.http import PlatformError
from orders.models import OrderType

STASH = "integrations.connect.%s"


def credential_inputs(platform: str) -> dict[str, forms.Field]:
    """The credential inputs of the chosen platform, from its declarations (platforms/credentials.py); while none is
    chosen, every registered platform's, each once (their labels name the platform)."""
    chosen = [PLATFORMS[platform]] if platform in PLATFORMS else list(PLATFORMS.values())
    declared = {}
    for each in chosen:
        for field in credential_fields(each):
            declared.setdefault(field.name, []).append(field)
    return {name: _input(fields) for name, fields in declared.items()}


def _input(declarations) -> forms.Field:
    first = declarations[0]
    help_texts = list(dict.fromkeys(field.help_text for field in declarations if field.help_text))
    return forms.CharField(
        label=first.label,
        required=False,  # which ones a platform needs is checked in clean(), per credential set
        # A secret is never rendered back (R1); the confirming submit takes it from the session instead.
        widget=forms.PasswordInput(render_value=False) if first.secret else None,
        help_text=format_lazy(" ".join(["{}"] * len(help_texts)), *help_texts) if help_texts else "",
    )


class StoreConnectForm(forms.Form):
    """The connect form; the credential inputs between the shop URL and the order type are those the chosen platform
    declares (the posted one, or ?platform= on the add page's address), every platform's while none is chosen."""

    platform = forms.ChoiceField(label=_("platform"), choices=platform_choices)
    name = forms.CharField(label=_("name"), max_length=100)
    url = forms.URLField(label=_("shop URL"), assume_scheme="https")
    order_type = forms.ModelChoiceField(label=_("order type"), queryset=OrderType.objects.all())
    identify_products_by = forms.ChoiceField(
        label=_("identify products by"), choices=IdentifyBy.choices, initial=IdentifyBy.SKU
    )
    backfill = forms.BooleanField(label=_("import the orders of the last two months"), required=False, initial=True)
    # Shown (as a checkbox) only once the preview is on the page.
    confirm = forms.BooleanField(
        label=_("I have checked the preview: connect the store and import these orders"),
        required=False,
        widget=forms.HiddenInput,
    )
    preview_token = forms.CharField(required=False, widget=forms.HiddenInput)

    request = None  # set by StoreAdmin.get_form: the session keeps the secrets between the two submits

    @classmethod
    def field_names(cls, platform: str) -> list[str]:
        """The form's fields in order, for the chosen platform (the admin's fieldsets list them)."""
        names = list(cls.base_fields)
        at = names.index("order_type")
        return [*names[:at], *credential_inputs(platform), *names[at:]]

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        chosen = self.data.get(self.add_prefix("platform")) if self.is_bound else self.initial.get("platform")
        chosen = chosen if isinstance(chosen, str) else ""
        inputs = credential_inputs(chosen)
        self.fields = {name: inputs.get(name) or self.fields[name] for name in self.field_names(chosen)}
        self.fields["order_type"].initial = OrderType.objects.filter(name="Online order").first()
        self.store = None
        self.preview = None
        self.preview_error = ""
        self.instance = Store()  # the admin reads form.instance; the checked store replaces it in clean()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        platform = PLATFORMS[data["platform"]]
        names = [field.name for field in credential_fields(platform)]
        self._restore_secrets(data, names)
        try:
            credentials = credentials_from(platform, data)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
            return data
        try:
            self.store = store_prepare(
                platform=data["platform"],
                name=data["name"],
                url=data["url"],
                credentials=credentials,
                webhook_secret=data.get(WEBHOOK_SECRET, ""),
                order_type=data["order_type"],
                identify_products_by=data["identify_products_by"],
            )
            self.instance = self.store
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, exc)
        if self.store is not None and data.get("backfill") and not data.get("confirm"):
            self._show_preview(data, names)
        return data

    def _show_preview(self, data, names):
        try:
            self.preview = store_backfill_preview(store=self.store)
        except PlatformError as exc:
            self.preview_error = _("The preview could not be read from the platform: %(error)s") % {"error": exc}
        self.fields["confirm"].widget = forms.CheckboxInput()
        session = getattr(self.request, "session", None)
        if session is not None:
            token = data.get("preview_token") or secrets.token_urlsafe(16)
            stash = {n: data[n] for n in names if data.get(n)}
            session[STASH % token] = encrypt_json({"platform": data["platform"], "url": data["url"], "secrets": stash})
            self.data = self.data.copy()
            self.data["preview_token"] = token
        self.add_error(None, _("Check what the first import will do (below), tick the confirmation and save again."))

    def _restore_secrets(self, data, names):
        """On the confirming submit, take the secrets typed on the first one (same platform and URL only)."""
        session, token = getattr(self.request, "session", None), data.get("preview_token")
        if session is None or not token or STASH % token not in session:
            return
        stash = decrypt_json(session[STASH % token])
        if (stash.get("platform"), stash.get("url")) != (data["platform"], data["url"]):
            return
        for name, value in stash.get("secrets", {}).items():
            if not data.get(name):
                data[name] = value

    # ModelAdmin calls these on its form.
    def save(self, commit=True):
        session, token = getattr(self.request, "session", None), self.cleaned_data.get("preview_token")
        if session is not None and token:
            session.pop(STASH % token, None)  # the secrets are in the store now, encrypted at rest
        return self.store

    def save_m2m(self):
        pass
