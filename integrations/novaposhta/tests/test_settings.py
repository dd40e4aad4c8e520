"""R13 settings: key encrypted and masked, the switch, status rules — through the command and the admin."""

import json
import subprocess
import sys
import urllib.request

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from fakes.novaposhta import FakeNovaPoshta
from fakes.registry import FAKES
from integrations.novaposhta.management.commands.novaposhta import Command
from integrations.novaposhta.models import NovaPoshtaSettings, StatusRule, WaybillDetails
from orders.models import Status
from orders.tests.factories import WaybillFactory

pytestmark = pytest.mark.django_db

KEY = "secret-np-key-987654"


def configure(*args, capsys=None) -> str:
    call_command("novaposhta", "configure", *args)
    return capsys.readouterr().out if capsys else ""


def test_R13_help_shows_both_subcommands():
    text = Command().create_parser("manage.py", "novaposhta").format_help()
    assert "configure" in text and "track" in text


def test_R13_configure_stores_the_key_encrypted_and_prints_it_masked(capsys):
    out = configure("--api-key", KEY, "--enabled", "--rule", "9=completed", capsys=capsys)
    assert KEY not in out and "••••••••7654" in out
    assert "Nova Poshta: enabled" in out and "Rules: 9 -> Completed" in out
    conf = NovaPoshtaSettings.load()
    assert KEY not in conf.api_key_encrypted and conf.api_key == KEY
    out = configure("--disabled", "--rule", "9=", capsys=capsys)
    assert "Nova Poshta: disabled" in out and "Rules: none" in out and NovaPoshtaSettings.load().api_key == KEY


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("77=Completed", "Unknown Nova Poshta status code 77; known codes: 1, 2, 3"),
        ("9=No such status", "There is no order status called No such status."),
        ("Completed", "--rule 'Completed': expected CODE=STATUS, e.g. 9=Completed"),
    ],
)
def test_R13_configure_refuses_a_bad_rule_in_one_line_and_changes_nothing(rule, message):
    with pytest.raises(CommandError) as caught:
        configure("--enabled", "--rule", rule)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)
    assert not NovaPoshtaSettings.load().enabled and not StatusRule.objects.exists()


def test_R13_track_says_so_when_the_integration_is_disabled(capsys):
    call_command("novaposhta", "track")
    assert "disabled: nothing tracked" in capsys.readouterr().out


def test_R13_track_fails_in_one_line_when_nova_poshta_refuses_everything(fake_np):
    configure("--enabled", "--api-key", "wrong-key-123456")
    WaybillFactory(number="20450000000001", status="")
    with pytest.raises(CommandError, match="^tracking failed: API key is not valid$"):
        call_command("novaposhta", "track")


# --- admin ------------------------------------------------------------------------------------------------
def test_R13_settings_admin_masks_the_key_and_edits_rules_inline(admin_client):
    configure("--api-key", KEY)
    response = admin_client.get("/admin/novaposhta/novaposhtasettings/")
    assert response.status_code == 302
    page = admin_client.get(response.url).content.decode()
    assert KEY not in page and "••••••••7654" in page and 'type="password"' in page
    completed = Status.objects.get(name="Completed")
    form = {
        "enabled": "on",
        "api_key": "",
        "status_rules-TOTAL_FORMS": "1",
        "status_rules-INITIAL_FORMS": "0",
        "status_rules-0-waybill_status": "9",
        "status_rules-0-status": str(completed.pk),
    }
    response = admin_client.post(response.url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    conf = NovaPoshtaSettings.load()
    assert conf.enabled and conf.api_key == KEY  # an empty key field keeps the key
    assert {code: s.name for code, s in conf.rules().items()} == {"9": "Completed"}


def test_R13_waybill_admin_shows_everything_but_the_sender_while_disabled(admin_client):
    waybill = WaybillFactory(number="20450000000001", recipient_name="Olena Shevchenko")
    WaybillDetails.objects.create(waybill=waybill, sender="Сидоренко Сидор", scheduled_delivery="06-04-2023")
    url = f"/admin/novaposhta/novaposhtawaybill/{waybill.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "Olena Shevchenko" in page and "06-04-2023" in page and "Сидоренко Сидор" not in page
    configure("--enabled")
    assert "Сидоренко Сидор" in admin_client.get(url).content.decode()
    listing = admin_client.get("/admin/novaposhta/novaposhtawaybill/").content.decode()
    assert "20450000000001" in listing and "Сидоренко Сидор" in listing


# --- the fake, as `manage.py fake_platform novaposhta` serves it -------------------------------------------
def test_R13_fake_platform_serves_the_tracking_api_with_a_progression():
    assert FAKES["novaposhta"] is FakeNovaPoshta
    process = subprocess.Popen(
        [sys.executable, "manage.py", "fake_platform", "novaposhta", "--port", "0", "--orders", "2"],
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().split("listening on ")[1].strip()
        body = {
            "apiKey": "",
            "modelName": "TrackingDocument",
            "calledMethod": "getStatusDocuments",
            "methodProperties": {"Documents": [{"DocumentNumber": "20450000000009", "Phone": ""}]},
        }
        codes = []
        for _ in range(5):
            request = urllib.request.Request(url + "/v2.0/json/", json.dumps(body).encode(), method="POST")
            with urllib.request.urlopen(request, timeout=10) as response:
                codes.append(json.loads(response.read())["data"][0]["StatusCode"])
        assert codes == ["1", "5", "7", "9", "9"]
        body["methodProperties"]["Documents"] = None
        request = urllib.request.Request(url + "/v2.0/json/", json.dumps(body).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read())["errors"] == ["Document number is not correct"]
    finally:
        process.terminate()
        process.wait(timeout=10)
