"""API access (R1): tokens are stored as digests and shown once; the schema and docs are for signed-in users."""

import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from apitokens.models import ApiToken

pytestmark = pytest.mark.django_db


def database_text() -> str:
    """Every column of every API token row, as text."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def reader(username="reader", **fields) -> User:
    user = User.objects.create_user(username, password="x", **fields)
    user.user_permissions.set(Permission.objects.filter(codename="view_order"))
    return user


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def issue_with_command(username: str, *args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", username, *args, stdout=out, stderr=err)
    assert "not shown again" in err.getvalue()
    return out.getvalue().strip()


def test_R1_api_token_key_is_printed_once_and_only_its_digest_is_stored():
    reader()
    key = issue_with_command("reader")
    assert len(key) == 64 and ApiToken.objects.count() == 1
    assert key not in database_text() and key[15:] not in database_text()

    assert token_client(key).get("/api/orders/").status_code == 200
    assert token_client(key[:-1] + ("0" if key[-1] != "0" else "1")).get("/api/orders/").status_code == 401
    assert token_client("not-a-token").get("/api/orders/").status_code == 401

    # A second key is another token; the first is not shown again, and revoking ends them all.
    assert issue_with_command("reader", "--days", "30") != key and ApiToken.objects.count() == 2
    call_command("api_token", "reader", "--revoke", stdout=io.StringIO())
    assert token_client(key).get("/api/orders/").status_code == 401


def test_R1_admin_shows_a_new_token_key_on_issue_and_never_again(admin_client):
    owner = reader()
    page = admin_client.post("/admin/apitokens/apitoken/add/", {"user": owner.pk, "expiry_0": "", "expiry_1": ""})
    assert page.status_code == 200 and "not shown again" in page.content.decode()
    key = page.context["key"]
    assert f'<code id="api-token-key" style="font-size: 1.2em; user-select: all;">{key}</code>' in page.content.decode()
    assert key not in database_text()

    token = ApiToken.objects.get()
    listing = admin_client.get("/admin/apitokens/apitoken/").content.decode()
    detail = admin_client.get(f"/admin/apitokens/apitoken/{token.pk}/change/").content.decode()
    assert "reader" in listing and f"{key[:6]}…" in listing
    assert key[:15] not in listing and key[:15] not in detail
    assert token_client(key).get("/api/orders/").status_code == 200

    admin_client.post(f"/admin/apitokens/apitoken/{token.pk}/delete/", {"post": "yes"})  # revoking
    assert token_client(key).get("/api/orders/").status_code == 401


def test_R1_staff_may_issue_tokens_only_for_themselves_unless_superuser(client):
    clerk = reader("clerk", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["add_apitoken", "view_apitoken"]))
    boss = User.objects.create_superuser("boss", password="x")
    client.force_login(clerk)
    refused = client.post("/admin/apitokens/apitoken/add/", {"user": boss.pk})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not ApiToken.objects.exists()
    assert "key" in client.post("/admin/apitokens/apitoken/add/", {"user": clerk.pk}).context


@pytest.mark.postgres  # the migration's schema editor cannot run inside SQLite's test transaction
def test_R1_plain_text_tokens_of_before_become_digests_and_keep_working():
    """Upgrading from rest_framework.authtoken (plain keys): the migration keeps each key working as a digest."""
    owner = reader()
    old_key = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz, user_id int)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, now(), %s)", [old_key, owner.pk])
    migration = importlib.import_module("apitokens.migrations.0001_api_tokens")
    with connection.schema_editor() as editor:
        migration.import_plain_tokens(apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
    assert old_key not in database_text()
    assert token_client(old_key).get("/api/orders/").status_code == 200


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/", "/api/redoc/"])
def test_R1_api_schema_and_docs_are_not_public(client, path):
    answer = APIClient().get(path)
    if path == "/api/schema/":
        assert answer.status_code == 401
    else:
        assert answer.status_code == 302 and answer["Location"].startswith("/admin/login/")


def test_R1_signed_in_users_get_the_api_schema_and_staff_the_docs(client):
    user = reader()
    _token, key = ApiToken.objects.create(user=user, expiry=None)
    schema = token_client(key).get("/api/schema/")
    assert schema.status_code == 200 and b"/api/orders/" in schema.content
    staff = reader("clerk", is_staff=True)
    client.force_login(staff)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200 and client.get("/api/redoc/").status_code == 200
