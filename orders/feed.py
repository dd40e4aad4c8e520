"""The event feed as staff read it (R54): each event's kind and text in the reader's language.

Events are written by the back-office, the import, the Nova Poshta tracker and the status push, as
English messages; FEED lists those messages so orders.stored_text can show them translated. A message
missing here is shown as stored (in English), never lost.
"""

from django.utils.translation import gettext_noop as N

from orders.stored_text import StoredTexts

FEED = StoredTexts(
    # orders.services
    N("Status changed: %(old)s -> %(new)s"),
    (N("Status changed: %(old)s -> %(new)s"), N("(from the online store)")),
    N("Products written off: %(lines)s"),
    N("no items"),
    # integrations.sync: the import and the platform's changes to a written-off order (R8)
    N("Imported from %(store)s"),
    N("Not applied, the products are already written off. Changes on the platform: %(changes)s"),
    N("%(name)s added (x %(qty)s)"),
    N("%(name)s: quantity %(old)s -> %(new)s"),
    N("%(name)s: price %(old)s -> %(new)s"),
    N("%(name)s removed"),
    N("client: %(client)s"),
    N("status: %(status)s"),
    # integrations.refresh (R32, R54) and orders.history
    N("Refreshed from %(store)s by %(user)s: %(changes)s"),
    N("Refreshed from %(store)s by %(user)s: nothing has changed."),
    N("Refreshed from %(store)s by %(user)s: the platform's changes were not applied, the products are written off."),
    N("Refresh from %(store)s by %(user)s failed: %(error)s"),
    N("the store is disabled"),
    N("status: %(old)s -> %(new)s"),
    N("total: %(old)s -> %(new)s"),
    N("client: %(old)s -> %(new)s"),
    N("number: %(old)s -> %(new)s"),
    # integrations.delivery (R12)
    N("Delivery: %(service)s"),
    N("cost: %(cost)s %(currency)s"),
    N("address: %(address)s"),
    N("recipient: %(recipient)s"),
    N("delivery method: %(details)s"),
    N("Nova Poshta waybill: %(changes)s"),
    N("not specified"),
    # integrations.novaposhta (R13)
    N("Created: %(summary)s"),
    N("Nova Poshta waybill %(number)s"),
    N("Nova Poshta waybill %(number)s updated: %(changes)s"),
    N("Nova Poshta waybill %(number)s deleted: the delivery method changed to %(service)s."),
    N("Nova Poshta waybill %(number)s: %(text)s (status %(code)s)"),
    N("(no number yet)"),
    # the status push to the platforms (R9)
    N("Cartum did not accept the status %(status)s: %(message)s"),
    N("Cartum order %(id)s set to %(status)s."),
    N("Not sent to WooCommerce: the order no longer exists there."),
    N("WooCommerce order %(id)s marked completed."),
)


def feed_text(text: str) -> str:
    """An event's text in the active language."""
    return FEED.translate(text)
