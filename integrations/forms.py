"""The admin form that connects a store: it checks the connection against the platform first."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from integrations.models import IdentifyBy, Platform, Store
from integrations.services import store_prepare
from orders.models import OrderType

SECRET = forms.PasswordInput(render_value=False)  # a credential is never rendered back (R1)

CREDENTIAL_FIELDS = {
    "shopify": ["token"],
    "woocommerce": ["consumer_key", "consumer_secret"],
    "cartum": ["login", "password"],
}


class StoreConnectForm(forms.Form):
    platform = forms.ChoiceField(label=_("platform"), choices=Platform.choices)
    name = forms.CharField(label=_("name"), max_length=100)
    url = forms.URLField(label=_("shop URL"), assume_scheme="https")
    token = forms.CharField(label=_("Admin API access token (Shopify)"), required=False, widget=SECRET)
    consumer_key = forms.CharField(label=_("consumer key (WooCommerce)"), required=False, widget=SECRET)
    consumer_secret = forms.CharField(label=_("consumer secret (WooCommerce)"), required=False, widget=SECRET)
    login = forms.CharField(label=_("API login (Cartum)"), required=False)
    password = forms.CharField(label=_("API password (Cartum)"), required=False, widget=SECRET)
    webhook_secret = forms.CharField(label=_("webhook signing secret"), required=False, widget=SECRET)
    order_type = forms.ModelChoiceField(label=_("order type"), queryset=OrderType.objects.all())
    identify_products_by = forms.ChoiceField(
        label=_("identify products by"), choices=IdentifyBy.choices, initial=IdentifyBy.SKU
    )
    backfill = forms.BooleanField(label=_("import the orders of the last two months"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.fields["order_type"].initial = OrderType.objects.filter(name="Online order").first()
        self.store = None
        self.instance = Store()  # the admin reads form.instance; the checked store replaces it in clean()

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        names = CREDENTIAL_FIELDS[data["platform"]]
        missing = [n for n in names if not data.get(n)]
        for n in missing:
            self.add_error(n, _("Required for this platform."))
        if missing:
            return data
        try:
            self.store = store_prepare(
                platform=data["platform"],
                name=data["name"],
                url=data["url"],
                credentials={n: data[n] for n in names},
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
        return data

    # ModelAdmin calls these on its form.
    def save(self, commit=True):
        return self.store

    def save_m2m(self):
        pass
