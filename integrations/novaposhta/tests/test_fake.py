"""The fake Nova Poshta itself: scripting, refusals in the fixtures' envelope, data files (R13 test tooling)."""

import json

import requests

from fakes.novaposhta import FakeNovaPoshta


def ask(fake, numbers, *, key="", phone=""):
    body = {
        "apiKey": key,
        "modelName": "TrackingDocument",
        "calledMethod": "getStatusDocuments",
        "methodProperties": {"Documents": [{"DocumentNumber": n, "Phone": phone} for n in numbers]},
    }
    response = requests.post(fake.api_url, json=body, timeout=10)
    assert response.status_code == 200  # always 200, even on errors (PROTOCOLS.md 4)
    return response.json()


def test_R13_fake_statuses_are_scriptable_per_number_and_over_http():
    with FakeNovaPoshta(auto=False) as fake:
        fake.set_status("20450000000001", "7")
        requests.post(f"{fake.url}/_fake/status", json={"number": "20450000000002", "code": "103"}, timeout=10)
        data = ask(fake, ["20450000000001", "20450000000002", "20450000000003"])["data"]
        assert [(d["StatusCode"], d["Status"]) for d in data] == [
            ("7", "Прибув на відділення"),
            ("103", "Відмова одержувача (отримувач відмовився від відправлення)"),
            ("3", "Номер не найден"),  # auto=False: unknown numbers are not found, as in the fixture
        ]
        assert fake.requests == [("POST", "/v2.0/json/")]  # control calls are not API requests


def test_R13_fake_refuses_like_nova_poshta_with_success_false():
    with FakeNovaPoshta(token="right") as fake:
        assert ask(fake, ["20450000000001"], key="wrong")["errors"] == ["API key is not valid"]
        assert ask(fake, ["20450000000001"], key="")["success"] is True  # tracking needs no key
        assert ask(fake, ["2045-ABC"])["errorCodes"] == ["20001401442"]
        too_many = ask(fake, [f"2045{n:010d}" for n in range(101)])
        assert too_many["success"] is False and "100" in too_many["errors"][0]


def test_R13_fake_shows_sender_and_recipient_only_with_a_matching_phone():
    with FakeNovaPoshta() as fake:
        fake.add_waybill("20450000000001", phone="380671234567")
        plain = ask(fake, ["20450000000001"])
        assert "SenderFullNameEW" not in plain["data"][0] and plain["warnings"]
        full = ask(fake, ["20450000000001"], phone="380671234567")
        assert full["data"][0]["SenderFullNameEW"] and not full["warnings"]


def test_R13_fake_loads_waybills_from_json_files(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps([{"number": "20450000000001", "code": "9"}]), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"Number": "20450000000002"}), encoding="utf-8")
    waybills = FakeNovaPoshta.load_orders(tmp_path)
    with FakeNovaPoshta(orders=waybills, auto=False) as fake:
        assert fake.status_of("20450000000001") == ("9", "Відправлення отримано")
        assert fake.status_of("20450000000002")[0] == "1"
    assert len(FakeNovaPoshta.generate(3, seed=1)) == 3
