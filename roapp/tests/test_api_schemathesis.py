"""R52: the API against its own OpenAPI schema, with schemathesis: no server errors, every status code and
body as the schema documents it.

Generated requests go to the Django WSGI application in-process, as a superuser (token), over a database
with an imported order, a back-office order and what they reference; ids in paths are drawn from those rows
(and from schemathesis's own numbers, for the 404s). The schema comes from drf-spectacular's generator, the
same document /api/schema/ serves, so the test does not depend on whether that address needs a login. It is
built at collection, as schemathesis's per-operation parametrization needs (its fixture-based loader does
not run under pytest 9). Bounded: a few examples per operation.
"""

import json

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apitokens.services import token_issue
from catalog.tests.factories import CategoryFactory, StockMovementFactory
from contacts.tests.factories import ClientFactory
from integrations.tests.factories import StoreFactory
from orders.tests.factories import EventFactory, OrderFactory, OrderItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def in_process_wsgi():
    """Django's WSGI handler runs in the test's own transaction: its per-request connection cleanup is off,
    as Django's test client turns it off (it would close the connection that holds the transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def auth_headers(db):
    user = User.objects.create_superuser("schemathesis", "st@example.com", "x")
    _token, key = token_issue(user=user)
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def api_rows(db):
    store = StoreFactory()
    imported = OrderFactory(store=store, external_id="8001", number="SH-8001")
    for order in (imported, OrderFactory()):
        OrderItemFactory(order=order)
        EventFactory(order=order)
    StockMovementFactory()
    parent = CategoryFactory(name="Phones")
    CategoryFactory(name="Cases", parent=parent)
    ClientFactory()  # one no order references, so a DELETE may succeed


def load_schema():
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half of the ids are rows of the path's own model that exist now, half schemathesis's own values."""
    if not path_parameters or "id" not in path_parameters:
        return st.just(path_parameters)
    model = resolve(context.operation.path.replace("{id}", "1")).func.cls.queryset.model

    def existing(index: int) -> dict:
        # The rows are read when the case is drawn (a DELETE may have removed some); the draw itself is an
        # index of fixed range, so Hypothesis sees the same choices whatever the table holds.
        ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        return {**path_parameters, "id": ids[index % len(ids)]} if ids else path_parameters

    return st.one_of(st.just(path_parameters), st.integers(min_value=0, max_value=63).map(existing))


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_R52_api_answers_as_its_schema_says_and_never_500(case, api_rows, auth_headers):
    case.call_and_validate(headers=auth_headers, checks=CHECKS)
