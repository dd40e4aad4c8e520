"""Texts stored in one language and read in the staff member's (R54, R55).

Feed events and import problems are written by workers and by other people's requests, so their text
is stored in the site's language (settings.LANGUAGE_CODE, as the rest of the feed: see
roapp/i18n.py site_gettext) with its values filled in. On display the text is
matched against the messages it may have been made from, in English and in the site's language; a
match is shown as the message's translation with the same values, the values themselves translated
where they are known names (statuses) or nested messages (a list of changes). A text that matches
nothing (typed by a person, or a message not listed) is shown as it is.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from orders.labels import label

PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)([sd])")  # a placeholder as re.escape leaves it
LIST_SEPARATOR = "; "  # between changes, and between the parts of a delivery description
PART_SEPARATOR = ", "  # between the parts of one description


def site_text(message: str) -> str:
    """`message` in the site's language, whatever language is active (the words the feed stores)."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


class StoredTexts:
    """A catalogue of messages; a message is one msgid or several joined by a space (a text with a suffix)."""

    def __init__(self, *messages):
        self.messages = tuple(m if isinstance(m, tuple) else (m,) for m in messages)

    def translate(self, text: str) -> str:
        for pattern, parts, numbers in self._patterns_for(settings.LANGUAGE_CODE):
            found = pattern.match(text)
            if found:
                values = {
                    name: int(value) if name in numbers else self._value(value)
                    for name, value in found.groupdict().items()
                }
                try:
                    return " ".join(gettext(part) for part in parts) % values
                except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
                    return text
        return text

    def first_match(self, text: str) -> tuple | None:
        """The message (its parts) that `text` was made from, or None."""
        return next((p for pattern, p, _n in self._patterns_for(settings.LANGUAGE_CODE) if pattern.match(text)), None)

    def _patterns_for(self, site_language: str):
        return _compile(self.messages, site_language)

    def _value(self, value: str) -> str:
        if LIST_SEPARATOR in value:
            return LIST_SEPARATOR.join(self._value(part) for part in value.split(LIST_SEPARATOR))
        translated = self.translate(value)
        if translated is not value:
            return translated
        if PART_SEPARATOR in value:
            # "Nova Poshta, cost: 70.00 UAH, address: Kyiv, 1 Khreshchatyk": the parts that are messages are
            # translated; the rest (a name, an address cut at its comma) is joined back as it was.
            return PART_SEPARATOR.join(self._part(part) for part in value.split(PART_SEPARATOR))
        return label(value)

    def _part(self, value: str) -> str:
        translated = self.translate(value)
        return translated if translated is not value else label(value)


@lru_cache(maxsize=32)
def _compile(messages: tuple, site_language: str) -> list:
    """Patterns for the English messages and their site-language translations, the longest first (so
    "A (suffix)" is tried before "A" would take the suffix into its last value)."""
    sources = {}
    for parts in messages:
        sources.setdefault(" ".join(parts), parts)
        if site_language != "en":
            with translation.override(site_language):
                sources.setdefault(" ".join(gettext(part) for part in parts), parts)
    compiled = []
    for source, parts in sorted(sources.items(), key=lambda item: -len(item[0])):
        escaped = re.escape(source)
        numbers = {name for name, kind in PLACEHOLDER.findall(escaped) if kind == "d"}
        try:
            compiled.append((re.compile(f"^{PLACEHOLDER.sub(_group, escaped)}$", re.DOTALL), parts, numbers))
        except re.error:  # a translation that repeats a placeholder: matched in English only
            continue
    return compiled


def _group(match) -> str:
    name, kind = match.groups()
    return f"(?P<{name}>-?\\d+)" if kind == "d" else f"(?P<{name}>.+?)"
