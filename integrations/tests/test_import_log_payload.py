"""The payload an import problem keeps (R40) is strict JSON the database accepts, whatever the platform sent:
the staff open it in the import log to see what the order looked like."""

from decimal import Decimal

import pytest

from integrations.sync import _jsonable as logged_payload


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (
            {"total": float("nan"), "rates": [float("inf"), float("-inf"), 1.5]},
            {"total": "nan", "rates": ["inf", "-inf", 1.5]},
        ),
        ({"note": "gift\x00wrap", "name": "Ol\ud800ena"}, {"note": "gift\\u0000wrap", "name": "Ol\\ud800ena"}),
        ({"lines": ("Case", ("Glass", 2))}, {"lines": ["Case", ["Glass", 2]]}),
        ({1: "one", None: "none"}, {"1": "one", "None": "none"}),
        ({"price": Decimal("12.50"), "paid": True, "left": None}, {"price": "12.50", "paid": True, "left": None}),
        ([{"id": 7}, "x\x00"], [{"id": 7}, "x\\u0000"]),
    ],
)
def test_R40_the_logged_payload_is_strict_json_with_unstorable_values_written_as_text(sent, kept):
    assert logged_payload(sent) == kept


def test_R40_a_payload_too_deep_to_write_as_json_is_kept_as_its_first_10000_characters():
    payload = {"note": "x" * 20_000}
    payload["self"] = payload  # no JSON can hold it; the text of it still tells the staff what came
    assert logged_payload(payload) == {"unreadable": str(payload)[:10_000]}
