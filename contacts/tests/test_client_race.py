"""Two workers importing orders of the same new client at once (R7, R21): each looks the contact up, finds
nobody, and inserts it; the database's unique phone and email let one insert win, and the other worker
re-reads the winner's client instead of failing or making a second one.

On PostgreSQL `test_concurrency.py` runs real workers against each other. Here the race is set up exactly:
the rival's client is saved between this worker's lookup and its insert (the one moment a race can strike),
so every way it can end is checked, on any database."""

import pytest

from contacts import services
from contacts.models import Client
from contacts.services import ClientData, clients_match_or_create
from contacts.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rival_saves_first(monkeypatch):
    """Arrange for `fields` to be saved as another worker's client just before this worker's insert."""
    rivals = []

    def arrange(**fields):
        def save_after_the_rival(*args, **kwargs):
            rivals.append(Client.objects.create(**fields))
            return save_new(*args, **kwargs)

        save_new = services._save_new  # what follows the lookup: the insert, and the re-read should it fail
        monkeypatch.setattr(services, "_save_new", save_after_the_rival)
        return rivals

    return arrange


def contacts_of(client) -> tuple:
    client.refresh_from_db()
    return client.first_name, client.phone, client.email


@pytest.mark.parametrize("by_email", [True, False])
def test_R7_R21_a_client_another_worker_saved_first_is_reused_and_the_rest_of_the_batch_is_made(
    rival_saves_first, by_email
):
    known = ClientFactory(phone="+380501110000", email="known@example.com")
    rivals = rival_saves_first(first_name="Taras", phone="+380671234567")
    batch = [
        ClientData(first_name="Olena", phone="067 123 45 67"),
        ClientData(first_name="Ivan", phone="063 000 11 22", email="ivan@example.com"),
        ClientData(phone="050 111 00 00"),
    ]
    matched = clients_match_or_create(items=batch, by_email=by_email)
    ivan = Client.objects.get(phone="+380630001122")
    assert matched == [rivals[0], ivan, known]
    assert contacts_of(ivan) == ("Ivan", "+380630001122", "ivan@example.com")
    assert Client.objects.count() == 3


def test_R7_R21_an_email_another_worker_saved_first_gives_that_client(rival_saves_first):
    ClientFactory(phone="+380501110000", email="earlier@example.com")  # an older client, matching nothing
    rivals = rival_saves_first(first_name="Taras", phone="", email="taras@example.com")
    [matched] = clients_match_or_create(items=[ClientData(phone="063 000 11 22", email="Taras@Example.com")])
    assert matched == rivals[0]
    assert Client.objects.count() == 2


def test_R7_R21_matching_by_phone_only_the_phone_decides_even_when_an_older_client_owns_the_email(
    rival_saves_first,
):
    owner = ClientFactory(first_name="Ivan", phone="", email="taras@example.com")
    rivals = rival_saves_first(first_name="Taras", phone="+380671234567")
    order = ClientData(first_name="Olena", phone="067 123 45 67", email="taras@example.com")
    [matched] = clients_match_or_create(items=[order], by_email=False)
    assert matched == rivals[0]
    assert contacts_of(owner) == ("Ivan", "", "taras@example.com")
    assert Client.objects.count() == 2


def test_R7_R21_matching_by_phone_only_a_new_client_beside_a_race_leaves_out_an_owned_email(rival_saves_first):
    owner = ClientFactory(first_name="Ivan", phone="", email="ivan@example.com")
    rival_saves_first(first_name="Taras", phone="+380671234567")
    batch = [
        ClientData(first_name="Olena", phone="067 123 45 67"),
        ClientData(first_name="Petro", phone="063 000 11 22", email="ivan@example.com"),
    ]
    _, petro = clients_match_or_create(items=batch, by_email=False)
    assert petro != owner
    assert contacts_of(petro) == ("Petro", "+380630001122", "")
    assert contacts_of(owner) == ("Ivan", "", "ivan@example.com")
