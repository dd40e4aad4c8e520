"""The store health page (R43, R44): per store, 14 days of orders imported vs on the platform, and the facts
that tell whether orders are arriving. Wired into StoreAdmin through get_urls(); reads only, in a few
batched queries for all stores at once.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from integrations import task_queue
from integrations.health.alerts import describe, stores_needing_attention
from integrations.health.reconcile import DAYS, day_summary, window
from integrations.health.svg import ChartDay, daily_chart
from integrations.health.versions import api_version_warning, asked_api_version
from integrations.models import ImportLog, ReconcileDay, Store
from orders.models import Order


def store_health_view(model_admin, request, object_id=None):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    stores = Store.objects.order_by("name")
    if object_id is not None:
        stores = stores.filter(pk=_store_id(object_id))
        if not stores:
            raise Http404
    stores = list(stores)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Store health") if object_id is None else _("Store health: %(store)s") % {"store": stores[0]},
        "stores": store_health(stores),
        "can_change": model_admin.has_change_permission(request),
        "single": object_id is not None,
    }
    return TemplateResponse(request, "admin/integrations/store/health.html", context)


def store_reconcile_view(model_admin, request, object_id):
    """Queue a reconciliation of one store; with `import_missing`, the missing orders are fetched too."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    store = Store.objects.filter(pk=_store_id(object_id)).first()
    if store is None:
        raise Http404
    import_missing = bool(request.POST.get("import_missing"))
    task_queue.enqueue("integrations.tasks.reconcile_store", store.pk, import_missing)
    text = (
        _("%(store)s: reconciliation queued; the missing orders will be imported.")
        if import_missing
        else _("%(store)s: reconciliation queued.")
    )
    model_admin.message_user(request, text % {"store": store}, messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:integrations_store_health", args=[store.pk]))


def _store_id(object_id) -> int:
    """The store id from the address; anything but a number is no store: 404, not a 500 (R52)."""
    text = str(object_id)
    if not (text.isascii() and text.isdigit()):
        raise Http404
    return int(text)


def store_health(stores: list[Store], days: int = DAYS) -> list[dict]:
    """What the page shows for each store."""
    now = timezone.now()
    start, dates = window(days, now)
    ids = [s.pk for s in stores]
    snapshots: dict[int, dict] = {pk: {} for pk in ids}
    for row in ReconcileDay.objects.filter(store_id__in=ids, day__gte=dates[0]):
        snapshots[row.store_id][row.day] = row
    ours = _imported_per_day(ids, start)
    problems = dict(
        ImportLog.objects.filter(store_id__in=ids, resolved=False)
        .values("store_id")
        .annotate(n=Count("id"))
        .values_list("store_id", "n")
    )
    attention = {store.pk: reasons for store, reasons in stores_needing_attention(now)}
    return [_one(store, dates, snapshots[store.pk], ours, problems.get(store.pk, 0), attention) for store in stores]


def _imported_per_day(ids: list[int], start) -> dict[tuple[int, object], int]:
    rows = (
        Order.objects.filter(store_id__in=ids, external_created_at__gte=start)
        .annotate(day=TruncDate("external_created_at", tzinfo=timezone.get_current_timezone()))
        .values("store_id", "day")
        .annotate(n=Count("id"))
        .values_list("store_id", "day", "n")
    )
    return {(store_id, day): n for store_id, day, n in rows}


def _one(store: Store, dates, snapshot: dict, ours: dict, problems: int, attention: dict) -> dict:
    chart_days, table = [], []
    for day in dates:
        row = snapshot.get(day)
        imported = ours.get((store.pk, day), 0)
        chart_days.append(
            ChartDay(
                day=day,
                imported=imported,
                on_platform=row.on_platform if row else None,
                flagged=bool(row and row.flagged),
            )
        )
        table.append({"day": day, "row": row, "imported": imported, "summary": day_summary(row) if row else ""})
    flagged = [d for d in chart_days if d.flagged]
    desc = _(
        "For each of the last %(days)d days, two bars: the orders created on the platform and the orders imported."
    ) % {"days": len(dates)}
    if flagged:
        desc += " " + _("Days where they differ: %(days)s.") % {
            "days": ", ".join(formats.date_format(d.day, "j M") for d in flagged)
        }
    checked = [r.checked_at for r in snapshot.values()]
    log_url = reverse("admin:integrations_importlog_changelist") + f"?store__id__exact={store.pk}&resolved__exact=0"
    return {
        "store": store,
        "reasons": attention.get(store.pk) or [describe(p) for p in store.health_problems],
        "chart": daily_chart(
            days=chart_days,
            title=_("Orders per day of %(store)s: imported and on the platform") % {"store": store.name},
            desc=desc,
            uid=f"store-{store.pk}-chart",
        ),
        "days": table,
        "checked_at": max(checked) if checked else None,
        "missing": sum(r.missing for r in snapshot.values()),
        "problems": problems,
        "problems_url": log_url,
        "budget": _budget(store),
        "api_version": _api_version(store),
        # Worth knowing though orders arrive (not R44 problems): they neither alert nor mark the store unhealthy.
        "warnings": [w for w in (api_version_warning(store),) if w],
        "reconcile_url": reverse("admin:integrations_store_reconcile", args=[store.pk]),
        "change_url": reverse("admin:integrations_store_change", args=[store.pk]),
    }


def _api_version(store: Store) -> str:
    asked, answered = asked_api_version(store), store.api_version_seen
    if not asked:
        return ""
    if not answered or answered == asked:
        return asked
    return _("%(answered)s (asked for %(asked)s)") % {"answered": answered, "asked": asked}


def _budget(store: Store) -> str:
    if store.api_budget_available is None or not store.api_budget_maximum:
        return ""
    return _("%(left)d of %(max)d points (%(percent)d%%), as of %(when)s") % {
        "left": store.api_budget_available,
        "max": store.api_budget_maximum,
        "percent": 100 * store.api_budget_available / store.api_budget_maximum,
        "when": formats.date_format(timezone.localtime(store.api_budget_at), "DATETIME_FORMAT"),
    }
