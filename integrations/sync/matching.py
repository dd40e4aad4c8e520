"""Clients, products and lock keys of a page of orders, found or made in batches (R15-R22)."""

from catalog.services import ProductData, product_key, products_match_or_create
from contacts.services import ClientData, client_create_without_contact, client_placeholder, clients_match_or_create
from integrations.dto import RemoteClient, RemoteOrder


def client_data(remote: RemoteOrder) -> ClientData:
    c = remote.client or RemoteClient()
    return ClientData(first_name=c.first_name, last_name=c.last_name, phone=c.phone, email=c.email, address=c.address)


def clients_for(store, platform, remotes: list[RemoteOrder]) -> dict:
    if not remotes:
        return {}
    if platform.hides_client_data(store):  # Shopify Basic: "Not specified" (R22)
        placeholder = client_placeholder()
        return {r.external_id: placeholder for r in remotes}
    data = [client_data(r) for r in remotes]
    matched = clients_match_or_create(items=data, by_email=platform.match_clients_by_email)
    result = {}
    # strict: one result per item is the matcher's promise, and no test can break it (docs/mutation-testing.md)
    for remote, d, client in zip(remotes, data, matched, strict=True):  # pragma: no mutate
        if client is None:
            client = client_create_without_contact(data=d) or client_placeholder()
        result[remote.external_id] = client
    return result


def product_data(line) -> ProductData:
    return ProductData(
        name=line.name,
        description=line.description,
        sku=line.sku,
        code=line.product_id,
        category_path=line.category_path,
    )


def products_for(store, remotes: list[RemoteOrder]) -> dict:
    lines = [line for r in remotes for line in r.lines]
    if not lines:
        return {}
    matched = products_match_or_create(items=[product_data(x) for x in lines], identify_by=store.identify_products_by)
    # strict: one result per item is the matcher's promise, and no test can break it (docs/mutation-testing.md)
    return {id(line): product for line, product in zip(lines, matched, strict=True)}  # pragma: no mutate


def lock_keys_for(store, remotes):
    """What an import batch locks (integrations.locks): its store's orders as one key, since a store's
    imports would meet on its clients and products anyway, and every client contact, product and category
    it may create, which other stores' imports share. ~500 locks for a batch of 250 orders."""
    keys = [f"orders:{store.pk}"]
    for r in remotes:
        if r.client is not None:
            d = client_data(r).normalized()
            keys += [f"client:phone:{d.phone}"] if d.phone else []
            keys += [f"client:email:{d.email}"] if d.email else []
        for line in r.lines:
            data = product_data(line)
            keys.append(f"product:{store.identify_products_by}:{product_key(data, store.identify_products_by)}")
            keys.append(f"product:name:{data.name.strip()}")
            keys += [f"category:{name}" for name in line.category_path]
    return keys
