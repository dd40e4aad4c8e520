"""Writes on clients: the placeholder, and match-or-create for importers (R20, R21)."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from contacts.models import Client
from contacts.phones import normalize_email, normalize_phone_or_blank
from roapp.bulk import insert_many


@dataclass(frozen=True)
class ClientData:
    """What an order says about its client; phone and email may be in any common notation."""

    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    def normalized(self) -> "ClientData":
        return ClientData(
            first_name=(self.first_name or "").strip()[:150],
            last_name=(self.last_name or "").strip()[:150],
            phone=normalize_phone_or_blank(self.phone),
            email=normalize_email(self.email)[:254],
            address=(self.address or "").strip(),
        )


def client_placeholder() -> Client:
    """Return the one "Not specified" client, creating it on first use."""
    client, _ = Client.objects.get_or_create(is_placeholder=True)
    return client


def client_fill_blanks(*, client: Client, data: ClientData, email_owners: dict | None = None) -> None:
    """Fill only the empty fields of a reused contact from `data`, except with an email another client has.

    A phone is always matched first, so a phone another client has never reaches here: that client would
    have been the match. `email_owners` may map every email the caller looked up to its client, saved or
    about to be (a batch import has them at hand), so checking costs no query.
    """
    changed = []
    for field in ("first_name", "last_name", "email", "address", "phone"):
        value = getattr(data, field)
        if value and not getattr(client, field):
            if field == "email" and _email_belongs_to_another(client, value, email_owners):
                continue
            setattr(client, field, value)
            changed.append(field)
    if changed:
        client.save(update_fields=[*changed, "updated_at"])


def _email_belongs_to_another(client: Client, email: str, owners: dict | None) -> bool:
    if owners is None:
        return Client.objects.filter(email=email).exists()  # not `client`'s own: its email is blank
    other = owners.get(email)
    return other is not None and other is not client


def clients_match_or_create(*, items: list[ClientData], by_email: bool = True) -> list[Client | None]:
    """Return a client for each item: the contact with that phone, else that email, else a new one.

    Batched (one lookup for the whole list) and safe under concurrent workers: the unique
    phone/email constraints make a racing insert fail, and the loser re-reads the winner.
    Items with neither phone nor email give None (the caller decides what that means).
    """
    data = [item.normalized() for item in items]
    phones = {d.phone for d in data if d.phone}
    emails = {d.email for d in data if d.email and by_email}
    by_phone, by_mail = {}, {}
    if phones or emails:
        for c in Client.objects.filter(_phone_or_email_q(phones, emails)).order_by():
            if c.phone:
                by_phone[c.phone] = c
            if c.email:
                by_mail[c.email] = c
    # When emails are matched on, every email of the batch was looked up, and the map grows with the clients
    # made below, so it knows who owns each one: filling a reused client's blanks needs no query.
    email_owners = by_mail if by_email else None
    result: list[Client | None] = []
    new: dict[str, Client] = {}  # by the phone or email that made it new, so a repeat in the list reuses it
    for d in data:
        # Neither map has a blank key: a blank phone or email matches nobody.
        client = by_phone.get(d.phone) or (by_mail.get(d.email) if by_email else None)
        if client is None and (d.phone or (d.email and by_email)):
            client = Client(**_new_fields(d, by_email=by_email, taken=by_mail))
            new[client.phone or client.email] = client
        elif client is not None and client.pk is not None:
            client_fill_blanks(client=client, data=d, email_owners=email_owners)
        if client is not None:
            if client.phone:
                by_phone[client.phone] = client
            if client.email:
                by_mail[client.email] = client
        result.append(client)
    if new:
        _save_new(list(new.values()), by_email=by_email, result=result)
    return result


def _new_fields(d: ClientData, *, by_email: bool, taken: dict) -> dict:
    fields = {f: getattr(d, f) for f in ("first_name", "last_name", "phone", "email", "address")}
    if not by_email and fields["email"] in taken:
        fields["email"] = ""  # that email already belongs to another contact
    return fields


def _save_new(clients: list[Client], *, by_email: bool, result: list) -> None:
    """Insert the new contacts at once; if another worker won a race, re-read theirs one by one."""
    try:
        with transaction.atomic():
            insert_many(clients)
        return
    except IntegrityError:
        pass
    replacements = {id(c): _create_or_reread(c, by_email=by_email) for c in clients}
    for i, client in enumerate(result):
        if client is not None and id(client) in replacements:
            result[i] = replacements[id(client)]


def client_create_without_contact(*, data: ClientData) -> Client | None:
    """Create a client known only by name and address (nothing to match on); None if nothing at all."""
    d = data.normalized()
    if not (d.first_name or d.last_name):
        return None
    return Client.objects.create(first_name=d.first_name, last_name=d.last_name, address=d.address)


def client_match_or_create(*, data: ClientData) -> Client | None:
    """Single-item form of `clients_match_or_create`, matching by phone, then email."""
    return clients_match_or_create(items=[data])[0]


def _phone_or_email_q(phones, emails):
    # The blank tests repeat the unique indexes' own conditions: PostgreSQL cannot prove an IN list of more
    # than 100 values non-blank by itself, and without them it scans every client for every import batch.
    q = Q(pk__in=[])
    if phones:
        q |= Q(phone__in=phones) & ~Q(phone="")
    if emails:
        q |= Q(email__in=emails) & ~Q(email="")
    return q


def _create_or_reread(d, *, by_email: bool) -> Client:
    fields = {f: getattr(d, f) for f in ("first_name", "last_name", "phone", "email", "address")}
    if not by_email and fields["email"] and Client.objects.filter(email=fields["email"]).exists():
        fields["email"] = ""
    try:
        with transaction.atomic():
            return Client.objects.create(**fields)
    except IntegrityError:
        # Another worker created this contact a moment ago: use theirs (R7, R21).
        found = Client.objects.filter(_phone_or_email_q({d.phone}, {d.email})).order_by("id")  # blanks match none
        if d.phone:
            match = next((c for c in found if c.phone == d.phone), None)
            if match:
                return match
        return found.first()
