"""The product speaks Ukrainian, Russian, German, French and Spanish, with the help articles' own terms."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

LANGUAGES = ["uk", "ru", "de", "fr", "es"]
TERMS = [
    "Can add products without deduction",
    "Not specified",
    "store",
    "external ID",
    "Refresh orders",
    "Created in the back-office",
    "From integrations",
    "identify products by",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("term", TERMS)
def test_product_terms_are_translated(language, term):
    with translation.override(language):
        assert gettext(term) != term


def test_R11_permission_name_follows_the_articles():
    expected = {
        "uk": "Можна додавати товари без списання",
        "ru": "Может добавлять товары без списания",
        "fr": "Peut ajouter des produits sans déduction",
        "es": "Puede añadir productos sin deducción",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert gettext("Can add products without deduction") == text


@pytest.mark.django_db
def test_admin_renders_in_ukrainian(admin_client):
    html = admin_client.get("/admin/orders/order/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    with translation.override("uk"):
        assert gettext("Created in the back-office") in html
