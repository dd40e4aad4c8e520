"""The admin's sections in the order staff work in (R55): the back-office's own first, Django's last."""

from django import template
from django.conf import settings
from django.utils.translation import get_language, get_language_info

register = template.Library()

# Orders, clients, catalog and online stores, then Nova Poshta; every other app (Auth Token, Authentication
# and Authorization, Background tasks) after them, in Django's own (alphabetical) order.
APPS_FIRST = ["orders", "contacts", "catalog", "integrations", "novaposhta"]
# Within an app, the model staff open most comes first.
MODELS_FIRST = {"orders": "Order", "integrations": "Store"}


@register.simple_tag
def backoffice_first(app_list):
    def app_rank(app):
        label = app["app_label"]
        return APPS_FIRST.index(label) if label in APPS_FIRST else len(APPS_FIRST)

    ordered = sorted(app_list, key=app_rank)  # stable: the rest keep Django's order
    for app in ordered:
        first = MODELS_FIRST.get(app["app_label"])
        if first:
            app["models"] = sorted(app["models"], key=lambda model: model["object_name"] != first)
    return ordered


@register.simple_tag
def language_choices():
    """(code, name in its own language, chosen?) for the language switcher."""
    current = get_language()
    return [(code, get_language_info(code)["name_local"], code == current) for code, _name in settings.LANGUAGES]
