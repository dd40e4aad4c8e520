"""Requests the database could never answer are refused before any view runs (R52)."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


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
            if request.path_info.startswith("/api/"):  # the API's documented error body (roapp/api_errors.py)
                return JsonResponse({"detail": reason}, status=400)
            return HttpResponseBadRequest(reason, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
