"""Insert many new rows fast: PostgreSQL's COPY where we run on it, bulk_create elsewhere.

The import writes thousands of orders, lines and feed events a minute during a backfill. bulk_create
builds one INSERT with a parameter per value, which costs more in SQL compilation (Python) and parsing
(server) than the rows themselves; COPY streams the same values. The primary keys are taken from the
table's sequence first, so the objects come back with their ids, as bulk_create's do.

Same contract as bulk_create: no save() and no signals; field defaults and pre_save (auto_now_add)
apply; a constraint violation fails the whole statement and is raised as Django's IntegrityError, so
callers' transactions and savepoints behave as with bulk_create.
"""

from datetime import datetime
from decimal import Decimal
from functools import cache

from django.db import connections, models, router

# Django's own field classes (exactly these: a subclass such as contacts' PhoneField may convert) and the
# value types that their get_db_prep_save hands to psycopg unchanged on PostgreSQL. Such values skip the
# call, which was a fifth of an import's time; every other value goes through get_db_prep_save.
_PLAIN = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.SmallIntegerField: int,
    models.ForeignKey: int,
    models.BooleanField: bool,
    models.DecimalField: Decimal,
    models.DateTimeField: datetime,
}


def insert_many(objs: list) -> list:
    """Insert unsaved model instances of one model; they get their primary keys. Returns `objs`."""
    if not objs:
        return objs
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    if connection.vendor != "postgresql" or not isinstance(meta.pk, models.AutoField):  # ids from a sequence
        return model.objects.bulk_create(objs)
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    with connection.wrap_database_errors, connection.cursor() as cursor:
        # The sequence's name is looked up once: per row, pg_get_serial_sequence cost 4x the nextval itself.
        sequence = _sequence(alias, meta.db_table, meta.pk.column)
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(objs)])
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(_copy_statement(connection, meta, [meta.pk, *fields])) as copy:
            convert = [_converter(f, connection) for f in fields]
            for obj, pk in zip(objs, ids, strict=True):
                obj._prepare_related_fields_for_save(operation_name="insert_many")  # as bulk_create does
                obj.pk = pk
                copy.write_row([pk, *(c(obj) for c in convert)])
    for obj in objs:
        obj._state.adding, obj._state.db = False, alias
    return objs


def insert_rows(model, rows: list[dict]) -> None:
    """Insert new rows given as {field attname: value}, for rows nobody reads back in the same breath (an
    import's order lines, waybills and feed events): no model instances are built (their __init__ was about
    a tenth of an import) and the ids come from the column's default. Keys are column attnames (`order_id`,
    not `order`); a field left out gets its default, and every value is converted exactly as insert_many /
    bulk_create would convert it."""
    if not rows:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    names = {f.attname for f in fields}
    for row in rows:  # the same rule on every database, checked before anything is written
        if not row.keys() <= names:
            raise TypeError(f"{model.__name__} has no column(s) {sorted(row.keys() - names)}; use attnames (order_id)")
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql" or not isinstance(meta.pk, models.AutoField):
        model.objects.bulk_create([model(**row) for row in rows])
        return
    convert = [_converter(f, connection) for f in fields]
    with connection.wrap_database_errors, connection.cursor() as cursor:
        with cursor.cursor.copy(_copy_statement(connection, meta, fields)) as copy:
            for row in rows:
                obj = _Row()
                obj.__dict__.update(row)
                for f in fields:
                    if f.attname not in row:
                        setattr(obj, f.attname, f.get_default())
                copy.write_row([c(obj) for c in convert])


class _Row:
    """A row's values as attributes, which is all the converters (and a field's pre_save) read."""


def _copy_statement(connection, meta, fields) -> str:
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    return f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"


@cache  # a migration that recreates a table's sequence needs the workers restarted, as every deploy does
def _sequence(alias: str, table: str, column: str) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        name = cursor.fetchone()[0]
    if name is None:  # raised, not remembered
        raise LookupError(f"{table}.{column} has no sequence to take ids from")
    return name


def _converter(field, connection):
    """obj -> the column's value, as bulk_create computes it (pre_save, then get_db_prep_save)."""
    plain = _PLAIN.get(type(field))
    if plain is None or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
    attname = field.attname

    def convert(obj):
        value = getattr(obj, attname)
        if value is None or (type(value) is plain and (plain is not datetime or value.tzinfo is not None)):
            return value
        return field.get_db_prep_save(value, connection)

    return convert
