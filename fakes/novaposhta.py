"""A local fake of Nova Poshta API v2.0 tracking (TrackingDocument.getStatusDocuments), over real HTTP.

Speaks the real transport (PROTOCOLS.md 4): POST JSON {apiKey, modelName, calledMethod, methodProperties}
to any path of the endpoint, answered with HTTP 200 and `success` true or false, in the envelope and
item shape of shared/fixtures/novaposhta (platx/go-nova-poshta testdata).

Scriptable statuses: a waybill advances along `progression` (default 1 -> 5 -> 7 -> 9) one step per
call that asks about it, so successive tracking passes see it created, in transit, arrived, received;
`set_status(number, code, text)` pins a status instead (and `POST /_fake/status` does the same for demo
scripts). With `auto=False` unknown numbers are "not found" (code 3) as in the fixture.
Refusals, as `success: false`: a non-digit or missing number (the fixture's error envelope), more than
100 documents, and an API key other than `token` when one is set (an empty key is accepted: tracking
does not require a key, PROTOCOLS.md 4). The texts of the last two are not documented ([U]).
Plus the HTTP faults of server.Faults. `calls` lists the numbers asked in each API call.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from .server import FakeServer, Faults, json_response

PROGRESSION = ("1", "5", "7", "9")
MAX_DOCUMENTS = 100
# Official UA texts of PROTOCOLS.md 4 "StatusCode list", with its placeholders filled in.
TEXTS = {
    "1": "Відправник самостійно створив цю накладну, але ще не надав до відправки",
    "2": "Видалено",
    "3": "Номер не знайдено",
    "4": "Відправлення у місті Київ",
    "41": "Відправлення у місті Київ",
    "5": "Відправлення прямує до міста Львів",
    "6": "Відправлення у місті Львів, орієнтовна доставка до ВІДДІЛЕННЯ-1",
    "7": "Прибув на відділення",
    "8": "Прибув на відділення (завантажено в Поштомат)",
    "9": "Відправлення отримано",
    "10": "Відправлення отримано. Грошовий переказ очікує на видачу",
    "11": "Відправлення отримано. Грошовий переказ видано одержувачу.",
    "12": "Нова Пошта комплектує ваше відправлення",
    "101": "На шляху до одержувача",
    "102": "Відмова від отримання (Відправником створено замовлення на повернення)",
    "103": "Відмова одержувача (отримувач відмовився від відправлення)",
    "104": "Змінено адресу",
    "105": "Припинено зберігання",
    "106": "Одержано і створено ЄН зворотньої доставки",
    "111": "Невдала спроба доставки через відсутність Одержувача на адресі або зв'язку з ним",
    "112": "Дата доставки перенесена Одержувачем",
}
NOT_FOUND_TEXT = "Номер не найден"  # the fixture's own (Russian) text for code 3
PHONE_WARNING = "Please enter a valid phone number from the express invoice to show full information"
SENDER_PHONE = "380600000000"


def envelope(success: bool, data=(), errors=(), warnings=(), error_codes=()) -> dict:
    """The answer envelope of every API v2.0 call (fixture GetStatusDocumentsDefault/Error)."""
    return {
        "success": success,
        "data": list(data),
        "errors": list(errors),
        "warnings": list(warnings),
        "info": [],
        "messageCodes": [],
        "errorCodes": list(error_codes),
        "warningCodes": [],
        "infoCodes": [],
    }


class FakeNovaPoshta(FakeServer):
    """Use as `with FakeNovaPoshta() as np: settings.ROAPP_NOVAPOSHTA_URL = np.api_url`."""

    platform = "novaposhta"

    def __init__(
        self,
        *,
        port: int = 0,
        faults: Faults | None = None,
        seed: int = 0,
        token: str | None = None,
        orders: list[dict] | None = None,
        progression=PROGRESSION,
        auto: bool = True,
    ):
        super().__init__(port=port, faults=faults, seed=seed)
        self.token = token  # the API key clients must send; None accepts any
        self.progression = tuple(progression)
        self.auto = auto
        self.calls: list[list[str]] = []  # numbers asked, per accepted getStatusDocuments call
        self.last_request: dict | None = None  # the last API request body, parsed
        self._waybills: dict[str, dict] = {}
        for waybill in orders or ():
            self.add_waybill(**waybill)

    # -- data hooks for `manage.py fake_platform novaposhta` -------------------------------------------------
    @classmethod
    def load_orders(cls, path) -> list[dict]:
        """Waybills from *.json files: objects (or lists of them) with `number` and optional `code`, `text`, `phone`."""
        found = []
        for file in sorted(Path(path).glob("*.json")):
            data = json.loads(file.read_text(encoding="utf-8"))
            for item in data if isinstance(data, list) else [data]:
                if not isinstance(item, dict) or not str(item.get("number") or item.get("Number") or "").isdigit():
                    raise ValueError(f"{file.name}: every waybill needs a numeric `number`")
                found.append(
                    {
                        "number": str(item.get("number") or item["Number"]),
                        "code": item.get("code"),
                        "text": item.get("text"),
                        "phone": item.get("phone", ""),
                    }
                )
        return found

    @classmethod
    def generate(cls, n: int, *, seed: int = 0, currency: str = "UAH") -> list[dict]:
        rng = random.Random(seed)
        return [
            {"number": f"2045{rng.randrange(10**10):010d}", "phone": f"38067{rng.randrange(10**7):07d}"}
            for _ in range(n)
        ]

    # -- scripting, for tests and the demo ------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return f"{self.url}/v2.0/json/"

    def add_waybill(
        self,
        number: str,
        *,
        code: str | None = None,
        text: str | None = None,
        phone: str = "",
        recipient: str = "Шевченко Олена",
        sender: str = "Сидоренко Сидор Сидорович",
    ) -> None:
        """A waybill the fake knows; with `code` it is pinned there, otherwise it follows the progression."""
        with self._lock:
            self._waybills[str(number)] = {
                "step": 0,
                "pinned": None,
                "phone": phone,
                "recipient": recipient,
                "sender": sender,
            }
            if code is not None:
                self.set_status(number, code, text)

    def set_status(self, number: str, code: str, text: str | None = None) -> None:
        """Pin this waybill's status: every call answers it until the next set_status."""
        with self._lock:
            if str(number) not in self._waybills:
                self.add_waybill(number)
            self._waybills[str(number)]["pinned"] = (str(code), text or TEXTS.get(str(code), ""))

    def status_of(self, number: str) -> tuple[str, str] | None:
        """What the next call would answer, without advancing."""
        with self._lock:
            waybill = self._waybills.get(str(number))
            return self._current(waybill) if waybill else None

    @property
    def documents_asked(self) -> int:
        return sum(len(c) for c in self.calls)

    # -- protocol -------------------------------------------------------------------------------------------
    def handle(self, method, path, headers, body):
        if path.startswith("/_fake/status") and method == "POST":
            data = json.loads(body or b"{}")
            self.set_status(str(data["number"]), str(data["code"]), data.get("text"))
            return json_response(200, {"ok": True})
        if method != "POST":
            return json_response(405, {"errors": ["POST only"]})
        try:
            request = json.loads(body or b"")
        except ValueError:
            return json_response(200, envelope(False, errors=["Invalid JSON"]))
        if not isinstance(request, dict):
            return json_response(200, envelope(False, errors=["Invalid request"]))
        self.last_request = request
        if self.token is not None and request.get("apiKey") not in ("", None, self.token):
            return json_response(200, envelope(False, errors=["API key is not valid"]))
        if (request.get("modelName"), request.get("calledMethod")) != ("TrackingDocument", "getStatusDocuments"):
            return json_response(200, envelope(False, errors=["Method is not supported by the fake"]))
        return json_response(200, self._status_documents((request.get("methodProperties") or {}).get("Documents")))

    def _status_documents(self, documents) -> dict:
        numbers = [str((d or {}).get("DocumentNumber") or "").strip() for d in documents or []]
        if not numbers or not all(n.isdigit() for n in numbers):
            # The fixture's answer to `Documents: null` (GetStatusDocumentsError).
            return envelope(False, errors=["Document number is not correct"], error_codes=["20001401442"])
        if len(numbers) > MAX_DOCUMENTS:
            return envelope(False, errors=[f"Too many documents: at most {MAX_DOCUMENTS} per call"])
        data, warnings = [], []
        with self._lock:
            self.calls.append(numbers)
            for number, document in zip(numbers, documents, strict=True):
                if number not in self._waybills and self.auto:  # learns the recipient's phone from its first ask
                    self.add_waybill(number, phone=str(document.get("Phone") or ""))
                waybill = self._waybills.get(number)
                if waybill is None:
                    data.append(self._not_found(number))
                    warnings.append({f"ID_{number}": PHONE_WARNING})
                    continue
                full = str(document.get("Phone") or "") in {waybill["phone"], SENDER_PHONE} - {""}
                data.append(self._item(number, waybill, full))
                if not full:
                    warnings.append({f"ID_{number}": PHONE_WARNING})
                if waybill["pinned"] is None:
                    waybill["step"] = min(waybill["step"] + 1, len(self.progression) - 1)
        return envelope(True, data=data, warnings=warnings)

    def _current(self, waybill: dict) -> tuple[str, str]:
        if waybill["pinned"] is not None:
            return waybill["pinned"]
        code = self.progression[waybill["step"]]
        return code, TEXTS.get(code, "")

    @staticmethod
    def _not_found(number: str) -> dict:
        return {
            "Number": number,
            "StatusCode": "3",
            "Status": NOT_FOUND_TEXT,
            "RecipientFullName": "",
            "SenderAddress": "",
            "RecipientAddress": "",
            "CounterpartySenderDescription": "",
        }

    def _item(self, number: str, waybill: dict, full: bool) -> dict:
        code, text = self._current(waybill)
        item = {
            "Number": number,
            "StatusCode": code,
            "Status": text,
            "ServiceType": "WarehouseWarehouse",
            "DocumentCost": "96",
            "AmountToPay": "96",
            "PaymentMethod": "Cash",
            "CargoType": "Parcel",
            "ScheduledDeliveryDate": "06-04-2023 12:47:40",
            "CitySender": "Київ",
            "CityRecipient": "Львів",
            "WarehouseSender": "Відділення №2: вул. Богатирська, 11",
            "WarehouseRecipient": "Відділення №1",
            "ActualDeliveryDate": "2023-04-06 18:47:40" if code in {"9", "10", "11"} else "",
            "RecipientDateTime": "07.04.2023 13:35:58" if code in {"9", "10", "11"} else "",
        }
        if full:  # a matching phone shows the sender and the recipient (PROTOCOLS.md 4)
            item.update(
                {
                    "SenderFullNameEW": waybill["sender"],
                    "PhoneSender": SENDER_PHONE,
                    "SenderAddress": "м. Київ, Відділення №2: вул. Богатирська, 11",
                    "RecipientFullName": waybill["recipient"],
                    "PhoneRecipient": waybill["phone"],
                    "RecipientAddress": "м. Львів, Відділення №1",
                }
            )
        return item
