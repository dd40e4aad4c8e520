"""A page with orders the database itself refuses (R40), on SQLite and PostgreSQL alike: the page's batch
fails, its orders are replayed one by one, only the refused ones are left out, each with an import problem that
quotes the database's first 300 characters, and the page's counts still include the orders refused before
saving.

The database is made to refuse one order by a trigger, the database's own way to refuse a row; on PostgreSQL
`test_sync_rules.py` also has a value PostgreSQL refuses by itself (a NUL in an address)."""

import pytest
from django.db import connection

from contacts.models import Client
from integrations.models import ImportLog
from integrations.sync import import_payloads
from integrations.tests.nodes import line, order_node
from orders.models import Order

pytestmark = pytest.mark.django_db

SQLITE_TRIGGER = """
CREATE TRIGGER refuse_order BEFORE INSERT ON {table} WHEN NEW.external_id IN ({external_ids})
BEGIN SELECT RAISE(ABORT, '{message}'); END
"""
POSTGRESQL_TRIGGER = """
CREATE FUNCTION refuse_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.external_id IN ({external_ids}) THEN
    RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER refuse_order BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_order();
"""


REFUSAL = "order refused by the database: " + "the check of this order failed " * 12  # over 300 characters


def database_refuses(*external_ids: int) -> None:
    table = connection.ops.quote_name(Order._meta.db_table)
    listed = ", ".join(f"'{int(external_id)}'" for external_id in external_ids)  # numbers: nothing to escape
    with connection.cursor() as cursor:
        trigger = POSTGRESQL_TRIGGER if connection.vendor == "postgresql" else SQLITE_TRIGGER
        cursor.execute(trigger.format(table=table, external_ids=listed, message=REFUSAL))


def test_R40_an_order_the_database_refuses_is_logged_and_the_rest_of_its_page_still_counts(store):
    database_refuses(1002, 1007)
    page = [
        order_node(1001),
        order_node(1005, lines=[line(1, qty="lots")]),  # refused while mapped
        order_node(1006, lines=[line(1, qty="many")]),
        order_node(1004, address1="Khreshchatyk\ud800 1"),  # refused before saving: no database stores it
        order_node(1002, phone="+380501112233", email="taras@example.com"),  # refused by the database
        order_node(1003, phone="+380679998877"),
        order_node(1007, phone="+380631234567"),  # refused by the database
    ]
    result = import_payloads(store=store, payloads=page)
    assert (result.created, result.failed) == (2, 5)
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["1001", "1003"]
    assert not Client.objects.filter(phone="+380501112233").exists()  # nothing of the refused order is half-written
    log = ImportLog.objects.get(external_id="1002")
    assert log.reason == "The order could not be saved: " + REFUSAL[:300]
    assert log.payload["legacyResourceId"] == "1002"
    assert sorted(ImportLog.objects.values_list("external_id", flat=True)) == ["1002", "1004", "1005", "1006", "1007"]
