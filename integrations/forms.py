"""The admin form that connects a store: it checks the connection against the platform first, then shows
what the first backfill would do and saves only once that is confirmed (R45).

The confirming submit comes back without the secrets (password inputs never render them again, R1), so
the first submit keeps them encrypted in the staff member's session under a random key that the form
carries in a hidden field; they are used only for the same platform and shop URL, and dropped on save.
"""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integrations.crypto import decrypt_json, encrypt_json
from integrations.health.preview import store_backfill_preview
from integrations.models import IdentifyBy, Platform, Store
from integrations.platforms.http import PlatformError
from integrations.services import credential_fields, credentials_from, store_prepare
from orders.models import OrderType

STASH = "integrations.connect.%s"

SECRET = forms.PasswordInput(render_value=False)  # a credential is never rendered back (R1)


class StoreConnectForm(forms.Form):
    platform = forms.ChoiceField(label=_("platform"), choices=Platform.choices)
    name = forms.CharField(label=_("name"), max_length=100)
    url = forms.URLField(label=_("shop URL"), assume_scheme="https")
    client_id = forms.CharField(label=_("client ID (Shopify, app made in the Dev Dashboard)"), required=False)
    client_secret = forms.CharField(label=_("client secret (Shopify, app made in the Dev Dashboard)"), required=False,
                                    widget=SECRET)  # fmt: skip
    token = forms.CharField(
        label=_("Admin API access token (Shopify, app created in the admin before 2026)"),
        required=False,
        widget=SECRET,
        help_text=_("Only for an app created in the Shopify admin before 2026; leave the client ID and secret empty."),
    )
    consumer_key = forms.CharField(label=_("consumer key (WooCommerce)"), required=False, widget=SECRET)
    consumer_secret = forms.CharField(label=_("consumer secret (WooCommerce)"), required=False, widget=SECRET)
    login = forms.CharField(label=_("API login (Cartum)"), required=False)
    password = forms.CharField(label=_("API password (Cartum)"), required=False, widget=SECRET)
    webhook_secret = forms.CharField(
        label=_("webhook signing secret"),
        required=False,
        widget=SECRET,
        help_text=_("Not for a Shopify app made in the Dev Dashboard: its client secret signs its webhooks."),
    )
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

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.fields["order_type"].initial = OrderType.objects.filter(name="Online order").first()
        self.store = None
        self.preview = None
        self.preview_error = ""
        self.instance = Store()  # the admin reads form.instance; the checked store replaces it in clean()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        names = credential_fields(data["platform"])
        self._restore_secrets(data, names)
        try:
            credentials = credentials_from(data["platform"], data)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field, errors)
            return data
        try:
            self.store = store_prepare(
                platform=data["platform"],
                name=data["name"],
                url=data["url"],
                credentials=credentials,
                webhook_secret=data.get("webhook_secret", ""),
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
            stash = {n: data[n] for n in [*names, "webhook_secret"] if data.get(n)}
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
