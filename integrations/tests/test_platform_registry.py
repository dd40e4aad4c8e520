"""A platform declares itself once (docs/adding-a-platform.md): registering a class is all the Store field, the
admin's connect form and `connect_store` need. Proven with a platform that exists only in this module."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils.translation import gettext_lazy as _

from integrations.management.commands.connect_store import Command as ConnectStore
from integrations.models import Store
from integrations.platforms import PLATFORMS
from integrations.platforms.base import Platform
from integrations.platforms.credentials import Credential
from integrations.tests.factories import StoreFactory
from orders.models import OrderType

DOCUMENTED_FLAGS = [
    "--token",
    "--consumer-key",
    "--consumer-secret",
    "--login",
    "--password",
    "--webhook-secret",
    "--client-id",
    "--client-secret",
]


class Shoplet(Platform):
    """A fourth platform, as its package's __init__.py would declare it."""

    key = "shoplet"
    label = "Shoplet"
    credential_sets = (
        (
            Credential("shop_handle", _("shop handle (Shoplet)"), secret=False),
            Credential("api_key", _("API key (Shoplet)"), help_text=_("Shoplet > Settings > API.")),
        ),
    )

    def client(self, store):
        raise AssertionError("these tests never reach the shop")

    def map_order(self, payload):
        raise AssertionError("these tests import nothing")


@pytest.fixture
def shoplet(monkeypatch):
    """Registered the way its one registry line does it, for this test only."""
    monkeypatch.setitem(PLATFORMS, Shoplet.key, Shoplet())
    return PLATFORMS[Shoplet.key]


def inputs(html: str) -> dict[str, str]:
    """name -> type of the connect page's typed inputs."""
    return {name: kind for kind, name in re.findall(r'<input type="(text|url|password)" name="(\w+)"', html)}


@pytest.mark.django_db
def test_R1_a_registered_platform_is_a_store_platform_without_a_migration(shoplet):
    online = OrderType.objects.get(name="Online order")
    store = StoreFactory.build(platform="shoplet", url="https://shoplet.example", order_type=online)
    store.full_clean()  # the field takes the new platform
    assert store.get_platform_display() == "Shoplet"
    with pytest.raises(ValidationError, match="is not a valid choice"):
        StoreFactory.build(platform="nowhere", order_type=online).full_clean()
    # `makemigrations --check` exits non-zero when the models differ from the migrations: they do not.
    call_command("makemigrations", "integrations", check=True, dry_run=True, stdout=io.StringIO())
    assert "shoplet" not in repr(Store._meta.get_field("platform").deconstruct())


@pytest.mark.django_db
def test_R1_the_connect_form_asks_for_a_registered_platforms_declared_credentials(shoplet, admin_client):
    html = admin_client.get("/admin/integrations/store/add/?platform=shoplet").content.decode()
    assert inputs(html) == {
        "name": "text",
        "url": "url",
        "shop_handle": "text",
        "api_key": "password",  # a secret: never rendered back (R1)
        "webhook_secret": "password",  # every platform's unless it declares none
    }
    assert '<option value="shoplet" selected>Shoplet</option>' in html and "Shoplet > Settings > API." in html
    # Until a platform is chosen, the page offers every platform's inputs, this one's among them.
    assert {"api_key", "shop_handle", "client_id", "consumer_key", "login"} <= set(
        inputs(admin_client.get("/admin/integrations/store/add/").content.decode())
    )
    form = {
        "platform": "shoplet",
        "name": "Lviv Shoplet",
        "url": "https://shoplet.example",
        "shop_handle": "lviv",
        "order_type": OrderType.objects.get(name="Online order").pk,
        "identify_products_by": "sku",
    }
    html = admin_client.post("/admin/integrations/store/add/", form).content.decode()
    assert "Required for this platform." in html and "form-row errors field-api_key" in html
    assert "errors field-shop_handle" not in html and not Store.objects.exists()


@pytest.mark.django_db
def test_R1_connect_store_offers_a_registered_platforms_flags_and_keeps_the_documented_ones(shoplet):
    options = ConnectStore().create_parser("manage.py", "connect_store")._option_string_actions
    assert {"--shop-handle", "--api-key", *DOCUMENTED_FLAGS} <= set(options)
    assert options["--api-key"].help == "API key (Shoplet). Shoplet > Settings > API."
    with pytest.raises(CommandError, match=r"^Shoplet needs --api-key\.$"):
        call_command(
            "connect_store",
            "--platform",
            "shoplet",
            "--name",
            "Lviv Shoplet",
            "--url",
            "https://shoplet.example",
            "--shop-handle",
            "lviv",
        )
    assert not Store.objects.exists()
