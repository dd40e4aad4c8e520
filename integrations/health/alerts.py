"""Stale-sync alerts (R44): a store is unhealthy while one of three things is true, and people hear of it once.

1. No successful sync for longer than the store's threshold (default 30 minutes).
2. The last N syncs failed in a row (N per store, default 3).
3. Webhooks stopped while the poll still finds new orders: orders created after connecting, more than
   WEBHOOK_GRACE before the poll, that only the poll brought in. A working webhook would have.

Problems are stored as codes with parameters and put into words when shown, so the banner speaks the
reader's language. The state flips with a conditional UPDATE (`healthy=True` -> False and back): of
any number of workers checking at once exactly one wins, and only the winner sends the email. So it is
one email when the store turns unhealthy and one when it recovers, never one per check.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integrations.health.versions import record_api_version
from integrations.models import Store, email_list
from integrations.platforms.base import PlatformClient
from orders.models import Order

logger = logging.getLogger("integrations.health")

# How long a webhook may take to bring a new order before the poll finding it counts against webhooks.
WEBHOOK_GRACE = timedelta(minutes=2)


# --- what is wrong --------------------------------------------------------------------------------
def health_problems(store: Store, now: datetime) -> list[dict]:
    """The store's problems now, as codes with parameters (an empty list: healthy)."""
    if not store.enabled:
        return []
    problems = []
    limit = timedelta(minutes=store.health_threshold_minutes)
    last = store.last_sync_at or store.connected_at
    if last is None or now - last > limit:
        problems.append(_stale(store))
    if store.consecutive_failures >= store.health_failures_limit:
        problems.append({"code": "failing", "count": store.consecutive_failures, "error": store.last_error[:300]})
    if store.poll_missed_count and store.poll_missed_at:
        heard = store.last_webhook_at
        if heard is None or heard < store.poll_missed_at - limit:
            problems.append({"code": "webhooks", "count": store.poll_missed_count, "last_webhook": _iso(heard)})
    problems += _subscription_problems(store)
    return problems


def _subscription_problems(store: Store) -> list[dict]:
    """R48: topics the platform holds no webhook subscription for at the last check (webhook_subscriptions.py)."""
    if not store.webhooks_missing:
        return []
    return [{"code": "subscriptions", "missing": list(store.webhooks_missing), "error": store.webhooks_error[:300]}]


def _describe_subscriptions(problem: dict) -> str:
    missing = problem.get("missing") or []
    text = ngettext(
        "The platform holds no webhook subscription for %(topics)s: its new orders arrive only with the poll, "
        'every 5 minutes. Use "Repair webhooks" on the store.',
        "The platform holds no webhook subscriptions for %(topics)s: their new orders arrive only with the poll, "
        'every 5 minutes. Use "Repair webhooks" on the store.',
        len(missing),
    ) % {"topics": ", ".join(missing)}
    if problem.get("error"):
        text += " " + _("Last attempt: %(error)s") % {"error": problem["error"]}
    return text


def _stale(store: Store) -> dict:
    return {"code": "stale", "since": _iso(store.last_sync_at), "limit": store.health_threshold_minutes}


def describe(problem: dict) -> str:
    """One problem in plain words, in the active language."""
    code = problem.get("code")
    if code == "stale":
        if problem.get("since"):
            return _(
                "No successful sync since %(since)s (the limit is %(limit)d minutes): new orders are not arriving."
            ) % {"since": _when(problem["since"]), "limit": problem["limit"]}
        return _("No successful sync yet (the limit is %(limit)d minutes): new orders are not arriving.") % {
            "limit": problem["limit"]
        }
    if code == "failing":
        count = problem["count"]
        return ngettext(
            "The last sync failed: %(error)s",
            "The last %(count)d syncs failed in a row; the last error: %(error)s",
            count,
        ) % {"count": count, "error": problem.get("error") or _("no details")}
    if code == "webhooks":
        count = problem["count"]
        values = {"count": count, "since": _when(problem.get("last_webhook"))}
        if problem.get("last_webhook"):
            return (
                ngettext(
                    "Webhooks stopped: none has arrived since %(since)s, yet the poll found %(count)d new order "
                    "they should have brought. Check the webhooks registered on the platform.",
                    "Webhooks stopped: none has arrived since %(since)s, yet the poll found %(count)d new orders "
                    "they should have brought. Check the webhooks registered on the platform.",
                    count,
                )
                % values
            )
        return (
            ngettext(
                "No webhook has arrived yet, but the poll found %(count)d new order: check that the webhooks "
                "are registered on the platform.",
                "No webhook has arrived yet, but the poll found %(count)d new orders: check that the webhooks "
                "are registered on the platform.",
                count,
            )
            % values
        )
    if code == "subscriptions":
        return _describe_subscriptions(problem)
    return str(problem)


# --- the check --------------------------------------------------------------------------------------
def store_check_health(*, store: Store, now: datetime | None = None) -> str:
    """Re-evaluate the store; announce a change of state once. Returns "alerted", "recovered" or ""."""
    now = now or timezone.now()
    store = Store.objects.filter(pk=store.pk).first()
    if store is None or not store.enabled:
        return ""
    problems = health_problems(store, now)
    last = store.last_sync_at or store.connected_at
    stale_after = last + timedelta(minutes=store.health_threshold_minutes) if last else None
    row = Store.objects.filter(pk=store.pk)
    if problems:
        flipped = row.filter(healthy=True).update(
            healthy=False, health_problems=problems, health_changed_at=now, stale_after=stale_after
        )
        if flipped:
            logger.warning("%s: unhealthy: %s", store, "; ".join(p["code"] for p in problems))
            _announce(store, problems, now)
            return "alerted"
        row.update(health_problems=problems, stale_after=stale_after)  # still unhealthy: no new email
        return ""
    recovered = row.filter(healthy=False).update(
        healthy=True, health_problems=[], health_changed_at=now, stale_after=stale_after
    )
    if recovered:
        logger.info("%s: healthy again", store)
        _announce(store, [], now, since=store.health_changed_at)
        return "recovered"
    row.update(stale_after=stale_after)
    return ""


def stores_check_health(now: datetime | None = None) -> dict[str, int]:
    """Check every enabled store (the schedule): how many were alerted and how many recovered."""
    counts = {"alerted": 0, "recovered": 0}
    for store in Store.objects.filter(enabled=True).order_by("pk"):
        outcome = store_check_health(store=store, now=now)
        if outcome:
            counts[outcome] += 1
    return counts


def store_after_sync(*, store: Store, client=None, poll_created: int = 0, poll_started: datetime | None = None):
    """What every poll, backfill and fetch reports: the API budget and version, webhook-missed orders, then the
    check."""
    if client is not None:
        record_budget(store=store, client=client)
        record_api_version(store=store, client=client)
    if poll_created and poll_started is not None:
        record_poll(store=store, poll_started=poll_started)
    return store_check_health(store=store)


def record_budget(*, store: Store, client: PlatformClient) -> None:
    """Keep the API budget the platform stated on its last answer, where it states one (PlatformClient.api_budget)."""
    budget = client.api_budget()
    if budget is None:
        return
    Store.objects.filter(pk=store.pk).update(
        api_budget_available=budget.available, api_budget_maximum=budget.maximum, api_budget_at=timezone.now()
    )


def record_poll(*, store: Store, poll_started: datetime) -> int:
    """Count the orders this poll created that a webhook should have brought before it (see the top)."""
    store = Store.objects.get(pk=store.pk)
    if store.connected_at is None:
        return 0
    late = Order.objects.filter(
        store=store,
        created_at__gte=poll_started,
        external_created_at__gte=store.connected_at,
        external_created_at__lt=poll_started - WEBHOOK_GRACE,
    ).count()
    if late:
        restart = store.poll_missed_at is None or (
            store.last_webhook_at is not None and store.last_webhook_at > store.poll_missed_at
        )
        count = late if restart else store.poll_missed_count + late
        Store.objects.filter(pk=store.pk).update(poll_missed_count=count, poll_missed_at=timezone.now())
    return late


# --- what people see ---------------------------------------------------------------------------------
def stores_needing_attention(now: datetime | None = None) -> list[tuple[Store, list[str]]]:
    """Unhealthy stores with their reasons, for the banner on every admin page (one query).

    A store whose deadline passed is shown even if no check ran: when the workers are down, the
    checks are down too, and that is exactly when someone must notice.
    """
    now = now or timezone.now()
    found = []
    stores = Store.objects.filter(enabled=True).filter(Q(healthy=False) | Q(stale_after__lt=now)).order_by("name")
    for store in stores.only(
        "pk", "name", "healthy", "health_problems", "stale_after", "last_sync_at", "health_threshold_minutes"
    ):
        found.append((store, [describe(p) for p in problems_now(store, now)]))
    return found


def problems_now(store: Store, now: datetime) -> list[dict]:
    """What the banner and the health page say is wrong with a store now, as codes with parameters: the
    problems of its last check, and a passed deadline even if no check has run since (see above)."""
    problems = list(store.health_problems) if not store.healthy else []
    if store.stale_after and store.stale_after < now and not any(p.get("code") == "stale" for p in problems):
        problems.insert(0, _stale(store))
    return problems


def health_url(store: Store) -> str:
    return settings.ROAPP_PUBLIC_URL + reverse("admin:integrations_store_health", args=[store.pk])


def _announce(store: Store, problems: list[dict], now: datetime, since: datetime | None = None) -> None:
    recipients = email_list(store.contact_emails)
    if not recipients:
        logger.info("%s: no contact emails; the admin banner is the only alert", store)
        return
    with translation.override(settings.LANGUAGE_CODE):
        values = {"store": store.name, "platform": store.get_platform_display(), "url": health_url(store)}
        if problems:
            subject = _("[RO back-office] %(store)s: orders may not be arriving") % values
            body = "\n".join(
                [_("Orders from %(store)s (%(platform)s) may not be reaching the back-office:") % values, ""]
                + [f"- {describe(p)}" for p in problems]
                + [
                    "",
                    _("Store health: %(url)s") % values,
                    _("You will get one more message when the store recovers, not one per check."),
                ]
            )
        else:
            subject = _("[RO back-office] %(store)s: orders are arriving again") % values
            body = "\n".join(
                [_("Orders from %(store)s (%(platform)s) are arriving again: nothing is wrong any more.") % values]
                + ([_("The problem started at %(since)s.") % {"since": _when(_iso(since))}] if since else [])
                + ["", _("Store health: %(url)s") % values]
            )
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # a mail server down must not fail the sync that noticed the problem
        logger.exception("%s: the health email could not be sent", store)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _when(value: str | None) -> str:
    if not value:
        return _("never")
    moment = timezone.localtime(datetime.fromisoformat(value))
    return formats.date_format(moment, "DATETIME_FORMAT")
