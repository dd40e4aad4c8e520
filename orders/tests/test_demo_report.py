"""`demo_data --report`: the demo's account of what each store's backfill made of its shop's sample orders."""

import re
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from fakes.woocommerce import FakeWooCommerce, sample_orders
from integrations.models import Store

SYNC_SUMMARY = re.compile(r"imported (\d+), .* skipped (\d+) \(finished before connecting (\d+)\), .* failed (\d+)")


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_R3_R10_demo_report_accounts_for_every_sample_order_as_the_backfill_counted_it():
    orders = sample_orders(80, seed=1)  # created over three months, some finished, some without contact (R10)
    with FakeWooCommerce(orders=orders) as shop:
        run(
            "connect_store",
            "--platform",
            "woocommerce",
            "--name",
            "Lviv Tees",
            "--url",
            shop.url,
            "--consumer-key",
            "ck_test",
            "--consumer-secret",
            "cs_test",
            "--no-backfill",
        )
        summary = run("sync_store", "Lviv Tees", "--backfill")
        imported, skipped, finished, failed = map(int, SYNC_SUMMARY.search(summary).groups())
        report = run("demo_data", "--report", "Lviv Tees=80")

    store = Store.objects.get(name="Lviv Tees")
    older = sum(datetime.fromisoformat(o["date_created_gmt"] + "+00:00") < store.backfill_since for o in orders)
    counts = {line.split(maxsplit=1)[1]: int(line.split()[0]) for line in report.splitlines()[1:]}
    heading = f"Lviv Tees (store id {store.pk}): 80 sample orders in the shop, created over three months"
    assert report.splitlines()[0] == heading
    assert counts["imported"] == imported > 0
    window = f"not read: created before the backfill window, which starts at {store.backfill_since:%Y-%m-%d %H:%M} UTC"
    assert counts[f"{window} (R3)"] == older > 0
    finished_line = "not imported: finished before connecting (completed, cancelled, refunded, failed or trashed, R3)"
    assert counts[finished_line] == finished > 0
    no_contact = "not imported: The client has neither an email nor a phone number, so the order was not imported."
    assert counts[no_contact] > 0
    assert sum(counts.values()) == 80
    assert sum(n for line, n in counts.items() if line.startswith("not imported")) == skipped + failed
