"""Texts written in the site's language (settings.LANGUAGE_CODE), whoever's request or task writes them.

Feed events and import problems are stored in one language, so every worker writes the same words; they are
translated for each reader when shown (orders.stored_text).
"""

from contextlib import contextmanager
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext


@contextmanager
def site_language():
    """Switch to the site's language for the block. Already active (an import batch switches once for all its
    orders), it costs nothing."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        yield
        return
    with translation.override(settings.LANGUAGE_CODE):
        yield


def site_gettext(message: str) -> str:
    """`message` translated into the site's language, whatever language is active. Remembered: an import
    writes the same few feed phrases for thousands of orders, and Django's gettext was ~5% of it."""
    return _site_translation(settings.LANGUAGE_CODE, message)


@lru_cache(maxsize=1024)
def _site_translation(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)
