"""URL map: the admin at the root of /admin/, the API under /api/, platform webhooks under /hooks/.

The API schema is for signed-in users (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]); its HTML docs are pages
for staff, and send anyone else to the admin login (docs/api.md).
"""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from catalog.api import CategoryViewSet, ProductViewSet
from contacts.api import ClientViewSet
from integrations.api.import_problems import ImportProblemViewSet
from integrations.api.stores import StoreViewSet
from integrations.api.waybills import WaybillViewSet
from orders.api import OrderViewSet
from roapp.api_errors import ANY_ID

admin.site.site_header = _("RO back-office")
admin.site.site_title = _("RO back-office")
admin.site.index_title = _("Orders, catalog and clients")


class ApiRouter(DefaultRouter):
    """DRF's router, with any path segment taken as an object id: "abc" or "1.5" reach the view, which answers
    the JSON 404 the schema documents, instead of falling through to Django's HTML "Not Found" page (R52)."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        base_regex = "(?P<{lookup_prefix}{lookup_url_kwarg}>" + ANY_ID + ")"
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        return base_regex.format(lookup_prefix=lookup_prefix, lookup_url_kwarg=lookup_url_kwarg)


router = ApiRouter()
router.register("orders", OrderViewSet, basename="order")
router.register("products", ProductViewSet, basename="product")
router.register("categories", CategoryViewSet, basename="category")
router.register("clients", ClientViewSet, basename="client")
router.register("stores", StoreViewSet, basename="store")
router.register("waybills", WaybillViewSet, basename="waybill")
router.register("import-problems", ImportProblemViewSet, basename="import-problem")

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", staff_member_required(SpectacularSwaggerView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", staff_member_required(SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
    path("hooks/", include("integrations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
