"""Platform requests go to the platform only (R52): public addresses, and no redirect to another host.

Real HTTP: the servers below are the fakes' own threaded HTTP server on 127.0.0.1, and host names are
resolved by the machine's real resolver ("localhost" from /etc/hosts; "127.1" and "0x7f.1" are the
resolver's shorthand for 127.0.0.1, host names that no IP-literal check recognises).
"""

import pytest
from django.core.exceptions import ValidationError

from fakes.server import FakeServer, json_response
from integrations.connecting import validate_shop_url
from integrations.platforms.cartum.client import CartumClient
from integrations.platforms.http import PlatformError
from integrations.platforms.shopify.client import ShopifyClient
from integrations.platforms.woocommerce.client import WooCommerceClient


class Recorder(FakeServer):
    """Answers every request with an empty JSON object; `requests` lists what it received."""

    platform = "recorder"

    def handle(self, method, path, headers, body):
        return json_response(200, {})


class Redirector(FakeServer):
    """Answers every request with a redirect to the same path on `target`."""

    platform = "redirector"

    def __init__(self, target: str, status: int):
        super().__init__()
        self.target, self.status = target, status

    def handle(self, method, path, headers, body):
        return self.status, {"Location": self.target + path}, b""


@pytest.fixture
def no_insecure_urls(settings):
    settings.ROAPP_ALLOW_INSECURE_PLATFORM_URLS = False


@pytest.mark.parametrize("host", ["localhost", "127.1", "0x7f.1", "10.1"])
def test_R52_a_shop_host_name_resolving_to_a_private_or_loopback_address_is_refused(no_insecure_urls, host):
    with pytest.raises(ValidationError) as refused:
        validate_shop_url(f"https://{host}/")
    [message] = refused.value.message_dict["url"]
    assert f"The shop address {host} leads to a private or local network address" in message
    assert ("10.0.0.1" if host == "10.1" else "127.0.0.1") in message


def test_R52_a_shop_host_that_does_not_resolve_is_refused_with_a_clear_message(no_insecure_urls):
    with pytest.raises(ValidationError) as refused:
        validate_shop_url("https://no-such-shop.invalid")
    assert refused.value.message_dict["url"] == [
        "The shop address no-such-shop.invalid could not be found; check its spelling."
    ]


def test_R52_a_public_address_passes_and_local_ones_only_when_insecure_urls_are_allowed(settings):
    settings.ROAPP_ALLOW_INSECURE_PLATFORM_URLS = False
    assert validate_shop_url("https://93.184.215.14/") == "https://93.184.215.14"
    settings.ROAPP_ALLOW_INSECURE_PLATFORM_URLS = True
    assert validate_shop_url("http://localhost:8001") == "http://localhost:8001"


def test_R52_a_bad_port_is_a_validation_error_not_a_crash(no_insecure_urls):
    with pytest.raises(ValidationError):
        validate_shop_url("https://shop.example.com:99999")


def test_R52_at_request_time_a_host_resolving_to_loopback_is_not_connected_to(settings):
    """DNS may answer differently after the store was connected (rebinding): each connection is checked."""
    with Recorder() as server:
        port = server.url.rsplit(":", 1)[1]
        settings.ROAPP_ALLOW_INSECURE_PLATFORM_URLS = False
        client = ShopifyClient(url=f"http://localhost:{port}", token="shpat_secret", sleep=lambda s: None)
        with pytest.raises(PlatformError) as refused:
            client.shop_info()
        assert "localhost resolves to 127.0.0.1, a private or local network address" in str(refused.value)
        assert server.requests == []

        settings.ROAPP_ALLOW_INSECURE_PLATFORM_URLS = True  # the demo's and the tests' setting
        ShopifyClient(url=f"http://localhost:{port}", token="shpat_secret").http.call("GET", "shop.json")
        assert len(server.requests) == 1


CLIENTS = {
    "shopify": lambda url: ShopifyClient(url=url, token="shpat_secret"),
    "woocommerce": lambda url: WooCommerceClient(url=url, consumer_key="ck_secret", consumer_secret="cs_secret"),
    "cartum": lambda url: CartumClient(url=url, login="manager", password="secret"),
}


@pytest.mark.parametrize("status", [302, 307])
@pytest.mark.parametrize("platform", sorted(CLIENTS))
def test_R52_a_redirect_to_another_host_is_not_followed_with_credentials(platform, status):
    with Recorder() as elsewhere, Redirector(elsewhere.url, status) as shop:
        client = CLIENTS[platform](shop.url)
        with pytest.raises(PlatformError) as refused:
            client.shop_info()
        assert len(shop.requests) == 1  # asked once, not retried
        assert elsewhere.requests == []  # the other host never heard a thing, credentials least of all
        assert "redirected /" in str(refused.value) and f"to another host ({elsewhere.url})" in str(refused.value)


def test_R52_a_redirect_within_the_same_host_is_still_followed():
    class MovedPath(FakeServer):
        def handle(self, method, path, headers, body):
            if path.startswith("/moved/"):
                return json_response(200, {"token": headers.get("X-Shopify-Access-Token")})
            return 307, {"Location": "/moved" + path}, b""

    with MovedPath() as shop:
        data, _response = ShopifyClient(url=shop.url, token="shpat_secret").http.call("GET", "shop.json")
    assert data == {"token": "shpat_secret"}
