"""Requests the database could never answer are refused before any view runs (R52)."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def refused(request, reason: str):
    """400 with the reason: the API's documented error body (roapp/api_errors.py) under /api/, else plain text."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": reason}, status=400)
    return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")


class RefuseNulInQuery:
    """A NUL character in a query value (a filter, a search) is answered 400 with the reason.

    Django checks a filter value's type (a number for an id) but not a NUL in a text one, and PostgreSQL refuses
    such a query while the page renders: a 500 on any list, the product's and third-party ones (django-q2's task
    screens) alike. No stored value contains NUL, so nothing a person could look for is refused.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = sorted({key for key, values in request.GET.lists() if NUL in key or any(NUL in v for v in values)})
        if bad:
            names = ", ".join(name.replace(NUL, "\\x00") for name in bad)
            reason = _("A search or filter value contains a NUL character, which cannot be searched for (%(params)s).")
            reason %= {"params": names}
            return refused(request, reason)
        return self.get_response(request)


class RefuseNumbersOutOfRange:
    """A query number past the database's integer range is answered 400 with the reason, not 500.

    PostgreSQL lists treat such a filter as matching nothing; the embedded SQLite's driver raises OverflowError
    while the page is drawn (a related-id filter such as ?status__id__exact=99999999999999999999).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OverflowError) or not request.GET:
            return None
        reason = _("A number in the search or filter is too large (%(params)s).") % {
            "params": ", ".join(sorted(request.GET))
        }
        return refused(request, reason)
