from django.contrib import admin

from integrations.models import ImportLog, Store


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "url", "enabled", "state", "backfill_state", "last_sync_at"]
    list_filter = ["platform", "enabled", "state"]
    search_fields = ["name"]


@admin.register(ImportLog)
class ImportLogAdmin(admin.ModelAdmin):
    list_display = ["last_seen_at", "store", "external_id", "reason", "count", "resolved"]
    list_select_related = ["store"]
    list_filter = ["store", "resolved"]
    search_fields = ["=external_id"]
