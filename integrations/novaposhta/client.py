"""Nova Poshta API v2.0: TrackingDocument.getStatusDocuments (PROTOCOLS.md 4).

Transport: POST JSON {apiKey, modelName, calledMethod, methodProperties} to ROAPP_NOVAPOSHTA_URL.
The API answers HTTP 200 even on logical errors ("Завжди повертає код 200 навіть при логічних
помилках", developers.novaposhta.ua), so `success` is always checked; HTTP-level trouble (429, 5xx,
timeouts, bad JSON) is retried by HttpClient.
"""

from dataclasses import dataclass, field

from django.conf import settings

from integrations.platforms.http import HttpClient

MAX_DOCUMENTS = 100  # per getStatusDocuments call (NP docs as quoted by sirkostya009/go-novapost)


class NovaPoshtaError(Exception):
    """Nova Poshta answered `success: false`; `errors` and `codes` are its own."""

    def __init__(self, errors: list, codes: list | None = None):
        self.errors = [str(e) for e in errors or []] or ["success: false without an error text"]
        self.codes = [str(c) for c in codes or []]
        super().__init__("; ".join(self.errors) + (f" (codes {', '.join(self.codes)})" if self.codes else ""))


@dataclass(frozen=True)
class Document:
    """One `data[]` item: `StatusCode` is a string in the API ("9"), `Status` text is UA or RU."""

    number: str
    status_code: str
    status_text: str
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_item(cls, item: dict) -> "Document":
        return cls(
            number=str(item.get("Number") or "").strip(),
            status_code=str(item.get("StatusCode") or "").strip(),
            status_text=str(item.get("Status") or "").strip(),
            raw=item,
        )


def parse_status_documents(data) -> list[Document]:
    """The documents of a getStatusDocuments answer; NovaPoshtaError on `success: false`."""
    if not isinstance(data, dict):
        raise NovaPoshtaError(["the answer is not a JSON object"])
    if not data.get("success"):
        raise NovaPoshtaError(data.get("errors") or [], data.get("errorCodes"))
    return [Document.from_item(item) for item in data.get("data") or [] if isinstance(item, dict)]


def tracking_phone(phone: str) -> str:
    """The recipient's phone as NP expects it (380XXXXXXXXX), or "" when it cannot be one."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if len(digits) == 10 and digits.startswith("0"):
        digits = "38" + digits
    return digits if len(digits) == 12 and digits.startswith("380") else ""


class NovaPoshtaClient:
    def __init__(self, *, api_key: str = "", url: str | None = None, **http_options):
        self.api_key = api_key
        self.http = HttpClient(base_url=url or settings.ROAPP_NOVAPOSHTA_URL, label="Nova Poshta", **http_options)

    def call(self, model: str, method: str, properties: dict):
        payload = {"apiKey": self.api_key, "modelName": model, "calledMethod": method, "methodProperties": properties}
        data, _response = self.http.call("POST", "/", json=payload)
        return data

    def status_documents(self, documents: list[tuple[str, str]]) -> list[Document]:
        """Statuses of up to 100 (number, phone) pairs; a phone returns the sender and recipient too."""
        if len(documents) > MAX_DOCUMENTS:
            raise ValueError(f"at most {MAX_DOCUMENTS} documents per call, got {len(documents)}")
        items = [{"DocumentNumber": n, **({"Phone": p} if p else {})} for n, p in documents]
        return parse_status_documents(self.call("TrackingDocument", "getStatusDocuments", {"Documents": items}))
