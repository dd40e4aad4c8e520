"""The event feed as staff read it (R54): each event's kind and text in the reader's language.

Events are written by the back-office, the import, the Nova Poshta tracker and the status push, as
English messages; FEED lists those messages so orders.stored_text can show them translated. A message
missing here is shown as stored (in English), never lost.
"""

from django.utils.translation import gettext_noop

from orders.stored_text import StoredTexts

FEED = StoredTexts(
    # orders.services
    gettext_noop("Status changed: %(old)s -> %(new)s"),
    (gettext_noop("Status changed: %(old)s -> %(new)s"), gettext_noop("(from the online store)")),
    gettext_noop("Products written off: %(lines)s"),
    gettext_noop("no items"),
    # integrations.sync: the import and the platform's changes to a written-off order (R8)
    gettext_noop("Imported from %(store)s"),
    gettext_noop("Not applied, the products are already written off. Changes on the platform: %(changes)s"),
    gettext_noop("%(name)s added (x %(qty)s)"),
    gettext_noop("%(name)s: quantity %(old)s -> %(new)s"),
    gettext_noop("%(name)s: price %(old)s -> %(new)s"),
    gettext_noop("%(name)s removed"),
    gettext_noop("client: %(client)s"),
    gettext_noop("status: %(status)s"),
    # integrations.refresh (R32, R54) and orders.history
    gettext_noop("Refreshed from %(store)s by %(user)s: %(changes)s"),
    gettext_noop("Refreshed from %(store)s by %(user)s: nothing has changed."),
    gettext_noop(
        "Refreshed from %(store)s by %(user)s: the platform's changes were not applied, the products are written off."
    ),
    gettext_noop("Refresh from %(store)s by %(user)s failed: %(error)s"),
    gettext_noop("the store is disabled"),
    gettext_noop("status: %(old)s -> %(new)s"),
    gettext_noop("total: %(old)s -> %(new)s"),
    gettext_noop("client: %(old)s -> %(new)s"),
    gettext_noop("number: %(old)s -> %(new)s"),
    # integrations.delivery (R12)
    gettext_noop("Delivery: %(service)s"),
    gettext_noop("cost: %(cost)s %(currency)s"),
    gettext_noop("address: %(address)s"),
    gettext_noop("recipient: %(recipient)s"),
    gettext_noop("delivery method: %(details)s"),
    gettext_noop("Nova Poshta waybill: %(changes)s"),
    gettext_noop("not specified"),
    # integrations.novaposhta (R13)
    gettext_noop("Created: %(summary)s"),
    gettext_noop("Nova Poshta waybill %(number)s"),
    gettext_noop("Nova Poshta waybill %(number)s updated: %(changes)s"),
    gettext_noop("Nova Poshta waybill %(number)s deleted: the delivery method changed to %(service)s."),
    gettext_noop("Nova Poshta waybill %(number)s: %(text)s (status %(code)s)"),
    gettext_noop("(no number yet)"),
    # the status push to the platforms (R9)
    gettext_noop("Cartum did not accept the status %(status)s: %(message)s"),
    gettext_noop("Cartum order %(id)s set to %(status)s."),
    gettext_noop("Not sent to WooCommerce: the order no longer exists there."),
    gettext_noop("WooCommerce order %(id)s marked completed."),
)


def feed_text(text: str) -> str:
    """An event's text in the active language."""
    return FEED.translate(text)
