import pytest
from django.core.exceptions import ValidationError

from contacts.models import Client
from contacts.phones import normalize_phone
from contacts.services import ClientData, client_match_or_create, client_placeholder
from contacts.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

SAME_NUMBER = [
    "067 123 45 67",
    "+380671234567",
    "+380 67 123 4567",
    "80671234567",
    "380-67-123-4567",
    "(067) 123-45-67",
]


@pytest.mark.parametrize("raw", SAME_NUMBER)
def test_R21_phone_notations_normalize_to_one_e164_number(raw):
    assert normalize_phone(raw) == "+380671234567"


@pytest.mark.parametrize("raw", ["12345", "not a phone", "+380 67 123", "0000000000000000"])
def test_invalid_phone_is_rejected_with_a_field_error_never_stored_raw(raw):
    client = Client(first_name="Ann", phone=raw)
    with pytest.raises(ValidationError) as exc:
        client.full_clean()
    assert "phone" in exc.value.message_dict


def test_full_clean_stores_the_phone_in_e164():
    client = Client(first_name="Ann", phone="067 123 45 67")
    client.full_clean()
    client.save()
    assert Client.objects.get().phone == "+380671234567"


def test_R21_same_phone_in_another_notation_is_the_same_client():
    existing = ClientFactory(phone="+380671234567", email="")
    found = client_match_or_create(data=ClientData(first_name="Other", phone="067 123 45 67"))
    assert found == existing
    assert Client.objects.count() == 1


def test_R21_email_matches_without_regard_to_case_when_no_phone_matches():
    existing = ClientFactory(phone="", email="ann@example.com")
    found = client_match_or_create(data=ClientData(email="ANN@Example.COM", phone="+380501112233"))
    assert found == existing
    found.refresh_from_db()
    assert found.phone == "+380501112233"  # the empty phone was filled from the order


def test_R21_phone_wins_over_email():
    by_phone = ClientFactory(phone="+380671234567", email="a@example.com")
    ClientFactory(phone="+380501112233", email="b@example.com")
    assert client_match_or_create(data=ClientData(phone="0671234567", email="b@example.com")) == by_phone


def test_R21_reused_contact_keeps_its_own_data_and_only_fills_blanks():
    existing = ClientFactory(first_name="Olena", last_name="", phone="+380671234567", email="", address="")
    client_match_or_create(
        data=ClientData(first_name="Helen", last_name="Shevchenko", phone="0671234567", email="o@x.ua", address="Kyiv")
    )
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name, existing.email, existing.address) == (
        "Olena",
        "Shevchenko",
        "o@x.ua",
        "Kyiv",
    )


def test_R20_new_client_is_created_with_names_phone_email():
    client = client_match_or_create(
        data=ClientData(first_name="Taras", last_name="Koval", phone="050 111 22 33", email="T@K.UA")
    )
    assert (client.first_name, client.last_name, client.phone, client.email) == (
        "Taras",
        "Koval",
        "+380501112233",
        "t@k.ua",
    )


def test_no_phone_and_no_email_gives_no_client():
    assert client_match_or_create(data=ClientData(first_name="Ghost")) is None
    assert Client.objects.count() == 0


def test_R22_placeholder_client_is_single_and_shows_not_specified():
    a, b = client_placeholder(), client_placeholder()
    assert a == b and a.is_placeholder
    assert str(a) == "Not specified"


def test_client_admin_rejects_an_invalid_phone(admin_client):
    response = admin_client.post(
        "/admin/contacts/client/add/", {"first_name": "Ann", "phone": "12345", "email": "", "address": ""}
    )
    assert response.status_code == 200
    assert "Enter a valid phone number" in response.content.decode()
    assert Client.objects.count() == 0


def test_client_admin_finds_a_phone_typed_in_any_notation(admin_client):
    ClientFactory(first_name="Findme", phone="+380671234567")
    response = admin_client.get("/admin/contacts/client/", {"q": "067 123 45 67"})
    assert "Findme" in response.content.decode()


@pytest.mark.postgres
def test_R21_a_batch_lookup_of_hundreds_of_contacts_can_use_the_unique_indexes():
    """An import batch looks up ~250 phones and emails at once. PostgreSQL only uses the partial unique
    indexes when the query repeats their "not blank" conditions; without them every batch reads every client."""
    from django.db import connection

    from contacts.services import _phone_or_email_q

    phones = {f"+38067{i:07d}" for i in range(250)}
    emails = {f"buyer{i}@example.com" for i in range(250)}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # what the planner picks once the table is large
    plan = Client.objects.filter(_phone_or_email_q(phones, emails)).order_by().explain()
    assert "client_unique_phone" in plan and "client_unique_email" in plan, plan


def test_R21_batch_fills_blanks_without_a_query_per_client_and_never_takes_anothers_email(django_assert_num_queries):
    from contacts.services import clients_match_or_create

    ann = ClientFactory(phone="+380671234567", email="", first_name="Ann")
    bob = ClientFactory(phone="+380501112233", email="bob@example.com", first_name="Bob")
    items = [
        ClientData(phone="067 123 45 67", email="BOB@example.com"),  # Ann's phone, Bob's email: Ann keeps no email
        ClientData(phone="+380501112233", address="Kyiv"),  # Bob's blank address is filled
    ]
    with django_assert_num_queries(2):  # the one lookup for the batch, and Bob's update
        assert clients_match_or_create(items=items) == [ann, bob]
    ann.refresh_from_db()
    bob.refresh_from_db()
    assert (ann.email, bob.email, bob.address) == ("", "bob@example.com", "Kyiv")
