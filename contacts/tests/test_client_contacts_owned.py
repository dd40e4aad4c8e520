"""A phone or an email belongs to one client (R21): a reused contact's blanks are filled from the order except
with a phone or email another client already has, and a platform that does not match on email (a platform
option, `match_clients_by_email`) never takes an email away from the client that owns it."""

import pytest

from contacts.models import Client
from contacts.services import ClientData, clients_match_or_create
from contacts.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def fields(client) -> tuple:
    client.refresh_from_db()
    return client.first_name, client.last_name, client.phone, client.email, client.address


@pytest.mark.parametrize("by_email", [True, False])
def test_R21_a_reused_contact_is_not_given_an_email_another_client_owns_and_its_other_blanks_are_filled(by_email):
    owner = ClientFactory(first_name="Taras", phone="", email="taras@example.com")
    reused = ClientFactory(first_name="", last_name="", phone="+380671234567", email="", address="")
    order = ClientData(
        first_name="Olena", last_name="Koval", phone="067 123 45 67", email="Taras@Example.com", address="Kyiv"
    )
    [matched] = clients_match_or_create(items=[order], by_email=by_email)
    assert matched == reused
    assert fields(reused) == ("Olena", "Koval", "+380671234567", "", "Kyiv")  # after the email, the address too
    assert fields(owner)[3] == "taras@example.com"


def test_R21_a_contact_reused_by_its_email_is_not_given_a_phone_another_client_owns():
    owner = ClientFactory(first_name="Taras", phone="+380501112233", email="")
    reused = ClientFactory(first_name="Olena", phone="", email="olena@example.com", address="")
    order = ClientData(phone="050 111 22 33", email="olena@example.com", address="Lviv")
    assert clients_match_or_create(items=[order]) == [owner]  # the phone is matched first
    order = ClientData(phone="", email="olena@example.com", address="Lviv")
    assert clients_match_or_create(items=[order]) == [reused]
    assert fields(reused)[2:] == ("", "olena@example.com", "Lviv")


def test_R21_matching_by_phone_only_makes_a_new_client_without_the_email_another_client_owns():
    owner = ClientFactory(first_name="Taras", phone="", email="taras@example.com")
    order = ClientData(first_name="Olena", phone="0671234567", email="taras@example.com")
    [made] = clients_match_or_create(items=[order], by_email=False)
    assert made != owner and fields(made) == ("Olena", "", "+380671234567", "", "")
    [matched] = clients_match_or_create(items=[order], by_email=True)
    assert matched == made  # by phone first either way
    assert Client.objects.count() == 2


def test_R21_matching_by_phone_only_keeps_an_email_nobody_owns():
    [made] = clients_match_or_create(items=[ClientData(phone="0671234567", email="olena@example.com")], by_email=False)
    assert fields(made)[2:4] == ("+380671234567", "olena@example.com")


def test_R21_matching_by_phone_only_leaves_out_an_email_the_same_batch_shows_is_owned():
    owner = ClientFactory(first_name="Taras", phone="+380501112233", email="taras@example.com")
    batch = [
        ClientData(phone="050 111 22 33"),
        ClientData(first_name="Olena", phone="0671234567", email="taras@example.com"),
    ]
    found, made = clients_match_or_create(items=batch, by_email=False)
    assert found == owner and fields(made) == ("Olena", "", "+380671234567", "", "")


def test_R20_names_and_email_longer_than_their_fields_are_cut_to_fit():
    data = ClientData(first_name="O" * 200, last_name="K" * 200, email=("o" * 260) + "@example.com")
    [made] = clients_match_or_create(items=[data])
    assert (len(made.first_name), len(made.last_name), len(made.email)) == (150, 150, 254)
