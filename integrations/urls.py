"""Platform webhooks: POST /hooks/<store id>/ (see integrations/webhooks.py)."""

from django.urls import path

from integrations.webhooks import webhook

urlpatterns = [path("<int:store_id>/", webhook, name="webhook")]
