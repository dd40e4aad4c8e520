"""Which statuses mean the same thing, so a platform's status list does not fill the back-office with
near-duplicates ("Processing" beside "In progress", "Canceled" beside "Cancelled").

A status name is reduced to a key: case, spaces and punctuation do not count, British and American
spellings are one, and the common words of the six languages the back-office speaks for the same stage
are one meaning. Two statuses with the same key are the same status to a new mapping.
"""

import re

from django.db import transaction

from orders.models import Status

NEW, IN_PROGRESS, SHIPPING, COMPLETED, CANCELLED = "new", "in_progress", "shipping", "completed", "cancelled"
# fmt: off
SYNONYMS = {
    NEW: ["new", "нове", "новий", "новое", "новый", "neu", "nouveau", "nouvelle", "nuevo", "nueva"],
    IN_PROGRESS: ["in progress", "processing", "in process", "in work", "в обробці", "в роботі", "обробляється",
                  "в обработке", "в работе", "обрабатывается", "in bearbeitung", "en cours", "en traitement",
                  "en proceso", "procesando"],
    SHIPPING: ["shipping", "shipped", "sent", "надіслане", "надіслано", "відправлено", "відправлене", "отправлен",
               "отправлено", "versandt", "expédié", "expédiée", "enviado"],
    COMPLETED: ["completed", "complete", "done", "виконано", "виконане", "завершено", "выполнен", "выполнено",
                "завершен", "abgeschlossen", "terminé", "terminée", "completado"],
    CANCELLED: ["cancelled", "canceled", "скасовано", "скасоване", "відмінено", "отменен", "отменён", "отменено",
                "storniert", "annulé", "annulée", "cancelado", "cancelada"],
}
# fmt: on
_MEANING = {word: meaning for meaning, words in SYNONYMS.items() for word in words}


def status_key(name: str) -> str:
    """The meaning of a status name, or the name itself reduced to its letters and single spaces."""
    words = re.sub(r"[^\w]+", " ", (name or "").casefold()).strip()
    words = words.replace("cancell", "cancel").replace("ё", "е")
    return _MEANING.get(words, words)


def status_find_like(name: str) -> Status | None:
    """The existing status that means what `name` means (the first by position), or None."""
    key = status_key(name)
    return next((s for s in Status.objects.order_by("position", "id") if status_key(s.name) == key), None)


@transaction.atomic
def status_get_or_create_like(name: str, **defaults) -> Status:
    """An existing status of the same meaning, else a new one named `name`."""
    return status_find_like(name) or Status.objects.get_or_create(name=name[:100], defaults=defaults)[0]


@transaction.atomic
def statuses_merge(*, target: Status, others) -> int:
    """Move everything that points at `others` (orders, order types, store mappings) to `target`, then delete
    `others`; return how many statuses were merged away. Read from the model's relations, so a status
    reference added later (in any app) moves too."""
    others = [s for s in others if s.pk != target.pk]
    if not others:
        return 0
    ids = [s.pk for s in others]
    for relation in Status._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": ids}).update(
            **{relation.field.name: target}
        )
    Status.objects.filter(pk__in=ids).delete()
    return len(ids)
