"""R13 tracking: the real fixtures, batches of 100, `success: false`, final statuses, rules, disabled."""

import logging

import pytest
from django.utils import timezone

from fakes.server import Faults
from integrations.novaposhta.client import NovaPoshtaClient, NovaPoshtaError, parse_status_documents
from integrations.novaposhta.models import NovaPoshtaSettings, WaybillDetails
from integrations.novaposhta.services import settings_configure, waybill_mark_replaced
from integrations.novaposhta.tracking import apply_documents, track_waybills
from orders.models import Event, Order, Status, Waybill
from orders.tests.factories import OrderFactory, WaybillFactory

from .conftest import API_KEY, fixture

pytestmark = pytest.mark.django_db


def waybill(number, status="", phone="", **fields):
    return WaybillFactory(number=number, status=status, recipient_phone=phone, **fields)


def no_sleep(seconds):
    pass


# --- the real fixtures ------------------------------------------------------------------------------------
def test_R13_the_fixture_response_parses_into_numbers_codes_and_texts():
    documents = parse_status_documents(fixture("response_GetStatusDocumentsDefault"))
    assert [(d.number, d.status_code, d.status_text) for d in documents] == [
        ("20400048799000", "3", "Номер не найден"),
        ("20400048799001", "9", "Відправлення отримано"),
    ]


def test_R13_the_fixture_error_envelope_is_an_error_despite_http_200():
    with pytest.raises(NovaPoshtaError) as caught:
        parse_status_documents(fixture("response_GetStatusDocumentsError"))
    assert caught.value.errors == ["Document number is not correct"] and caught.value.codes == ["20001401442"]


def test_R13_the_fixture_response_is_applied_status_text_sender_and_check_time():
    received = Status.objects.create(name="Completed (test)")
    rules = {"9": received}
    lost, delivered = waybill("20400048799000"), waybill("20400048799001", status="7")
    now = timezone.now()
    documents = parse_status_documents(fixture("response_GetStatusDocumentsDefault"))
    changes = apply_documents([lost.number, delivered.number], documents, rules, now)
    lost.refresh_from_db(), delivered.refresh_from_db()
    assert (lost.status, lost.status_text, lost.last_checked_at) == ("3", "Номер не найден", now)
    assert (delivered.status, delivered.status_text) == ("9", "Відправлення отримано")
    details = WaybillDetails.objects.get(waybill=delivered)
    assert (details.sender, details.sender_address) == (
        "Сидоренко Сидор Сидорович",
        "м. Київ, Відділення №2: вул. Богатирська, 11",
    )
    assert (details.scheduled_delivery, details.actual_delivery, details.document_cost) == (
        "06-04-2023 12:47:40",
        "2023-04-06 18:47:40",
        "96",
    )
    assert [(c.old, c.new) for c in changes] == [("", "3"), ("7", "9")]
    assert Order.objects.get(pk=delivered.order_id).status == received
    assert Event.objects.filter(order=delivered.order, kind="waybill").get().text == (
        "Nova Poshta waybill 20400048799001: Відправлення отримано (status 9)"
    )


def test_R13_the_request_has_the_fixture_s_shape(np_enabled, fake_np):
    waybill("20400048799001", phone="+380600000000")
    track_waybills()
    expected = fixture("request_GetStatusDocumentsDefault")
    request = fake_np.last_request
    assert request.keys() == expected.keys()
    assert (request["apiKey"], request["modelName"], request["calledMethod"]) == (
        API_KEY,
        "TrackingDocument",
        "getStatusDocuments",
    )
    assert request["methodProperties"]["Documents"] == [{"DocumentNumber": "20400048799001", "Phone": "380600000000"}]


# --- batches, errors, final statuses ----------------------------------------------------------------------
def test_R13_230_waybills_are_asked_in_3_requests_of_at_most_100(np_enabled, fake_np):
    for n in range(230):
        waybill(f"2045{n:010d}")
    result = track_waybills()
    assert [len(c) for c in fake_np.calls] == [100, 100, 30]
    assert len(fake_np.requests) == 3 and result.asked == 230 and len(result.changes) == 230
    assert set(Waybill.objects.values_list("status", flat=True)) == {"1"}


def test_R13_success_false_is_logged_and_the_waybills_kept_for_next_time(np_enabled, fake_np, caplog):
    settings_configure(api_key="a-wrong-key")
    kept = waybill("20450000000001", status="5")
    with caplog.at_level(logging.WARNING, logger="integrations.novaposhta"):
        result = track_waybills()
    assert result.errors == ["API key is not valid"] and "API key is not valid" in caplog.text
    kept.refresh_from_db()
    assert (kept.status, kept.last_checked_at) == ("5", None)
    assert not Event.objects.filter(kind="waybill").exists()
    settings_configure(api_key=API_KEY)
    track_waybills()
    kept.refresh_from_db()
    assert kept.status == "1" and kept.last_checked_at is not None  # asked again on the next pass


def test_R13_final_statuses_are_not_polled_again(np_enabled, fake_np):
    for n, code in enumerate(["2", "3", "9", "10", "11", "102", "103", "105", "106"]):
        waybill(f"2045000000010{n}", status=code)
    moving = waybill("20450000000200")
    fake_np.set_status("20450000000200", "9")
    track_waybills()
    assert fake_np.calls == [["20450000000200"]]
    moving.refresh_from_db()
    assert moving.status == "9"
    track_waybills()  # received: final, nothing left to ask
    assert len(fake_np.calls) == 1


def test_R13_waybills_without_a_number_or_replaced_by_another_method_are_not_polled(np_enabled, fake_np):
    waybill("")
    replaced = waybill("20450000000001", status="7")
    waybill_mark_replaced(waybill=replaced, service="Укрпошта", now=timezone.now())
    track_waybills()
    assert fake_np.calls == []


def test_R13_status_rules_move_the_order_once_per_change(np_enabled, fake_np):
    shipped, done = Status.objects.create(name="Shipped"), Status.objects.get(name="Completed")
    settings_configure(rules={"5": "shipped", "9": "Completed"})
    tracked = waybill("20450000000001", order=OrderFactory())
    statuses = []
    for _ in range(5):  # 1 -> 5 -> 7 -> 9, then final
        track_waybills()
        tracked.order.refresh_from_db()
        statuses.append(tracked.order.status.name)
    assert statuses == ["New", shipped.name, shipped.name, done.name, done.name]
    texts = list(Event.objects.filter(order=tracked.order).order_by("id").values_list("kind", "text"))
    assert [k for k, _ in texts] == ["waybill", "waybill", "status", "waybill", "waybill", "status"]
    assert "New -> Shipped" in texts[2][1] and "Shipped -> Completed" in texts[5][1]


def test_R13_disabled_integration_tracks_nothing(fake_np):
    settings_configure(api_key=API_KEY, enabled=False)
    waybill("20450000000001")
    result = track_waybills()
    assert not result.enabled and fake_np.requests == []
    assert Waybill.objects.get().status == ""


def test_R41_http_faults_are_retried_and_a_dead_api_stops_the_pass(np_enabled, fake_np, settings):
    waybill("20450000000001")
    fake_np.fail_next("5xx"), fake_np.fail_next("429"), fake_np.fail_next("truncated")
    client = NovaPoshtaClient(api_key=API_KEY, sleep=no_sleep)
    assert len(track_waybills(client=client).changes) == 1
    before = Waybill.objects.values_list("status", "last_checked_at").get()
    fake_np.fault_rates = Faults(rate_5xx=1.0)
    result = track_waybills(client=NovaPoshtaClient(api_key=API_KEY, sleep=no_sleep, attempts=2))
    assert result.asked == 0 and "gave up after 2 attempts" in result.errors[0]
    assert Waybill.objects.values_list("status", "last_checked_at").get() == before


def test_R13_the_schedule_exists_and_calls_the_task():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="integrations.novaposhta.tasks.track_waybills")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == ("I", 30, -1)


def test_R13_the_task_is_a_thin_wrapper(np_enabled, fake_np):
    from integrations.novaposhta.tasks import track_waybills as task

    waybill("20450000000001")
    assert task() == "asked 1, requests 1, changed 1, errors 0"
    NovaPoshtaSettings.objects.update(enabled=False)
    assert task() == "disabled"
