"""Texts stored in English and read in the staff member's language (R54, R55).

Feed events and import problems are written by workers, in no one's language: their text is stored as
the English message (the msgid) with its values filled in. On display the text is matched against the
messages it may have been made from; a match is shown as the message's translation with the same
values, the values themselves translated where they are known names (statuses) or nested messages
(a list of changes). A text that matches nothing (typed by a person, or stored before this existed)
is shown as it is.
"""

import re
from functools import cached_property

from django.utils.translation import gettext

from orders.labels import label

PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)([sd])")  # a placeholder as re.escape leaves it
LIST_SEPARATOR = "; "  # between changes
PART_SEPARATOR = ", "  # between the parts of one description


class StoredTexts:
    """A catalogue of messages; a message is one msgid or several joined by a space (a text with a suffix)."""

    def __init__(self, *messages):
        self.messages = [m if isinstance(m, tuple) else (m,) for m in messages]

    @cached_property
    def _patterns(self):
        compiled = []
        # The longest first, so "A (suffix)" is tried before "A" would take the suffix into its last value.
        for parts in sorted(self.messages, key=lambda p: -len(" ".join(p))):
            source = PLACEHOLDER.sub(_group, re.escape(" ".join(parts)))
            numbers = {name for name, kind in PLACEHOLDER.findall(re.escape(" ".join(parts))) if kind == "d"}
            compiled.append((re.compile(f"^{source}$", re.DOTALL), parts, numbers))
        return compiled

    def translate(self, text: str) -> str:
        for pattern, parts, numbers in self._patterns:
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

    def first_match(self, text: str) -> tuple | None:
        """The message (its parts) that `text` was made from, or None."""
        return next((parts for pattern, parts, _numbers in self._patterns if pattern.match(text)), None)


def _group(match) -> str:
    name, kind = match.groups()
    return f"(?P<{name}>-?\\d+)" if kind == "d" else f"(?P<{name}>.+?)"
