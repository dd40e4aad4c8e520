"""Admin lists refuse query values PostgreSQL cannot hold (R52).

Django's admin checks the type of a filter value (a number for an id) but not a NUL character in text
ones (a choices filter, a search): PostgreSQL then refuses the query while the page renders, a 500. A
value with NUL matches nothing anyway, so the list answers as Django does for any bad lookup: back to the
list (?e=1), with the reason.
"""

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext_lazy as _

NUL = "\x00"


class RefusesUnstorableLookups:
    """A ModelAdmin mixin: a list query value with a NUL character goes back to the list with a message."""

    def get_changelist_instance(self, request):
        bad = sorted({key for key, values in request.GET.lists() if any(NUL in v for v in values)})
        if bad:
            messages.error(
                request,
                _("A filter or search value contains a character that cannot be searched for (%(params)s).")
                % {"params": ", ".join(bad)},
            )
            raise IncorrectLookupParameters(bad)
        return super().get_changelist_instance(request)
