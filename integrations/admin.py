"""Admin for store connections and the import log (R40)."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from integrations import task_queue, webhook_subscriptions
from integrations.admin_problems import (
    problem_client,
    problem_order,
    problem_reason,
    problem_seen,
    problem_total,
    with_order_link,
)
from integrations.connecting import store_save_new
from integrations.crypto import mask
from integrations.forms import StoreConnectForm
from integrations.health.views import store_health_view, store_reconcile_view
from integrations.models import ImportLog, StatusMapping, Store
from integrations.platforms.shopify.tokens import TOKEN_BOOKKEEPING
from integrations.refresh import store_sync_now
from integrations.store_settings import store_settings_changed
from integrations.webhook_address import shown_address
from orders.admin_display import short_moment


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "enabled", "state", "health", "backfill_progress", "last_sync_at", "problems"]
    list_filter = ["platform", "enabled", "state", "healthy"]
    search_fields = ["name"]
    actions = ["sync_now", "reconcile", "repair_webhooks"]
    readonly_fields = [
        "platform",
        "url",
        "credentials_masked",
        "webhook_address",
        "shop_domain",
        "shop_currency",
        "shop_plan",
        "connected_at",
        "backfill_state",
        "backfill_since",
        "backfill_progress",
        "poll_cursor",
        "last_sync_at",
        "last_webhook_at",
        "state",
        "last_error",
        "problems",
        "health",
        "webhook_subscriptions_shown",
    ]
    fieldsets = [
        (None, {"fields": ["name", "platform", "url", "enabled", "order_type", "identify_products_by"]}),
        (
            _("Connection"),
            {
                "fields": [
                    "credentials_masked",
                    "webhook_address",
                    "webhook_subscriptions_shown",
                    "shop_domain",
                    "shop_currency",
                    "shop_plan",
                    "connected_at",
                    "state",
                    "last_error",
                ]
            },
        ),
        (
            _("Import"),
            {
                "fields": [
                    "backfill_state",
                    "backfill_since",
                    "backfill_progress",
                    "poll_cursor",
                    "last_sync_at",
                    "last_webhook_at",
                    "problems",
                ]
            },
        ),
        (_("Health"), {"fields": ["health", "contact_emails", "health_threshold_minutes", "health_failures_limit"]}),
    ]

    def get_urls(self):
        def view(func):
            return self.admin_site.admin_view(lambda request, **kw: func(self, request, **kw))

        return [
            path("health/", view(store_health_view), name="integrations_store_health_all"),
            path("<path:object_id>/health/", view(store_health_view), name="integrations_store_health"),
            path("<path:object_id>/reconcile/", view(store_reconcile_view), name="integrations_store_reconcile"),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            # The connect form keeps the typed secrets in the session between preview and confirmation (R45).
            return type("StoreConnectForm", (StoreConnectForm,), {"request": request})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            # The credential inputs are the chosen platform's: the posted one, or ?platform= on the add page.
            chosen = request.POST.get("platform") or request.GET.get("platform") or ""
            return [(None, {"fields": StoreConnectForm.field_names(chosen)})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            store_settings_changed(store=obj, changed=form.changed_data)
            return
        store_save_new(store=obj, backfill=form.cleaned_data.get("backfill", True))
        # Registration runs once the store is committed (webhook_subscriptions.register_after_commit); this
        # callback comes after it and says how it went.
        transaction.on_commit(lambda: self._webhooks_message(request, obj), robust=True)

    # --- webhook subscriptions (R48) --------------------------------------------------------------------
    def _webhooks_message(self, request, store):
        text, complete = webhook_subscriptions.registration_summary(store)
        self.message_user(request, text, messages.SUCCESS if complete else messages.WARNING)

    @admin.action(
        description=_("Repair webhooks: register the missing subscriptions on the platform"), permissions=["change"]
    )
    def repair_webhooks(self, request, queryset):
        for store in queryset:
            webhook_subscriptions.store_webhooks_register(store=store)
            self._webhooks_message(request, store)

    def delete_model(self, request, obj):
        # The platform is told first, best effort: a platform that is down never keeps a store from being deleted.
        text, complete = webhook_subscriptions.store_delete(store=obj)
        self.message_user(request, text, messages.SUCCESS if complete else messages.WARNING)

    def delete_queryset(self, request, queryset):
        for store in queryset:
            self.delete_model(request, store)

    @admin.display(description=_("webhook subscriptions"))
    def webhook_subscriptions_shown(self, obj):
        if obj.pk is None:
            return "—"
        return webhook_subscriptions.registration_summary(obj)[0]

    @admin.action(description=_("Reconcile with the platform and import missing orders"), permissions=["change"])
    def reconcile(self, request, queryset):
        for store in queryset:
            task_queue.enqueue("integrations.tasks.reconcile_store", store.pk, True)
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(n)d store queued for reconciliation.", "%(n)d stores queued for reconciliation.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("health"), ordering="healthy")
    def health(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:integrations_store_health", args=[obj.pk])
        text = _("healthy") if obj.healthy else _("unhealthy")
        return format_html('<a href="{}" class="{}">{}</a>', url, "" if obj.healthy else "errors", text)

    @admin.action(description=_("Sync now"), permissions=["change"])
    def sync_now(self, request, queryset):
        for store in queryset:
            next_at = store_sync_now(store=store)
            if next_at is None:
                self.message_user(request, _("%(store)s: sync queued.") % {"store": store}, messages.SUCCESS)
            else:
                self.message_user(
                    request,
                    _("%(store)s was synced less than 10 minutes ago; next sync possible at %(time)s.")
                    % {"store": store, "time": short_moment(next_at)},
                    messages.WARNING,
                )

    @admin.display(description=_("credentials"))
    def credentials_masked(self, obj):
        # Shown the way a card number is: only the last characters (R1).
        secrets = {k: v for k, v in obj.credentials.items() if k not in TOKEN_BOOKKEEPING}  # R46: expiry, scope
        return ", ".join(f"{k}: {mask(str(v))}" for k, v in secrets.items()) or "—"

    @admin.display(description=_("webhook address"))
    def webhook_address(self, obj):
        # Unsigned hooks (Cartum) are authenticated by the key in the address; it is not shown here.
        return shown_address(obj)

    @admin.display(description=_("backfill progress"))
    def backfill_progress(self, obj):
        if obj.backfill_phase():  # a bulk export (R50): which of its phases runs
            return f"{obj.get_backfill_state_display()}: {obj.backfill_phase()}"
        if obj.backfill_total:
            return f"{obj.get_backfill_state_display()}: {obj.backfill_done} / {obj.backfill_total}"
        return f"{obj.get_backfill_state_display()}: {obj.backfill_done}"

    def get_queryset(self, request):
        open_problems = Count("import_logs", filter=Q(import_logs__resolved=False))
        return super().get_queryset(request).annotate(open_problems=open_problems)

    @admin.display(description=_("import problems"), ordering="open_problems")
    def problems(self, obj):
        count = obj.open_problems
        url = reverse("admin:integrations_importlog_changelist") + f"?store__id__exact={obj.pk}&resolved__exact=0"
        return format_html('<a href="{}">{}</a>', url, count)


@admin.register(ImportLog)
class ImportLogAdmin(admin.ModelAdmin):
    # The order (number, its store and a link to it on the platform, client, total), then why and what to do (R55).
    list_display = [problem_order, problem_client, problem_total, problem_reason, problem_seen, "resolved"]
    list_display_links = [problem_seen]  # the order number links to the back-office order, when there is one
    list_select_related = ["store"]
    list_filter = ["store", "resolved"]
    search_fields = ["=external_id"]
    readonly_fields = [
        "store",
        "external_id",
        problem_order,
        problem_client,
        problem_total,
        problem_reason,
        "payload",
        "count",
        "resolved",
        "created_at",
        "last_seen_at",
    ]
    fields = readonly_fields
    actions = ["retry", "mark_handled"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return with_order_link(super().get_queryset(request))

    @admin.action(description=_("Mark as handled: nothing more to import"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = queryset.filter(resolved=False).update(resolved=True)
        self.message_user(
            request,
            ngettext("%(n)d import problem marked as handled.", "%(n)d import problems marked as handled.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Retry: fetch these orders from the platform again"), permissions=["change"])
    def retry(self, request, queryset):
        by_store = {}
        for entry in queryset.select_related("store"):
            by_store.setdefault(entry.store, []).append(entry.external_id)
        for store, ids in by_store.items():
            task_queue.enqueue("integrations.tasks.sync_orders", store.pk, ids)
        count = sum(len(ids) for ids in by_store.values())
        self.message_user(
            request,
            ngettext("%(n)d order queued for another try.", "%(n)d orders queued for another try.", count)
            % {"n": count},
            messages.SUCCESS,
        )


@admin.register(StatusMapping)
class StatusMappingAdmin(admin.ModelAdmin):
    list_display = ["store", "platform_status", "platform_title", "status"]
    list_filter = ["store"]
    list_editable = ["status"]
