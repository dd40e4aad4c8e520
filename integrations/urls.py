"""Platform webhooks: /hooks/<store id>/ (see integrations/webhooks.py)."""

urlpatterns = []
