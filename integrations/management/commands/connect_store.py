"""Connect an online store: validate it against the platform, save it, queue the backfill.

The credential flags are the registered platforms' declared credentials, --<name with dashes> each
(platforms/credentials.py): --client-id, --client-secret, --token, --consumer-key, --consumer-secret, --login,
--password and --webhook-secret for the three platforms of today.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.connecting import store_connect, store_prepare
from integrations.health.preview import store_backfill_preview
from integrations.models import IdentifyBy
from integrations.platforms import PLATFORMS
from integrations.platforms.credentials import WEBHOOK_SECRET, credential_fields, credentials_from
from integrations.platforms.http import PlatformError
from integrations.webhook_subscriptions import registration_summary
from orders.models import OrderType


class Command(BaseCommand):
    help = "Connect an online store of a registered platform and queue its two-month backfill."

    def add_arguments(self, parser):
        parser.add_argument("--platform", required=True, choices=sorted(PLATFORMS))
        parser.add_argument("--name", required=True)
        parser.add_argument("--url", required=True, help="The shop's address, e.g. https://my-shop.myshopify.com")
        for field, platforms in _declared_fields().items():
            label = str(field.label)  # it names its platform, unless several take it (the webhook secret)
            about = label if all(p in label for p in platforms) else f"{', '.join(platforms)}: {label}"
            about += f". {field.help_text}" if field.help_text else ""
            parser.add_argument(field.flag, dest=field.name, default="", help=about.replace("%", "%%"))
        parser.add_argument(
            "--order-type", default="Online order", help="Order type whose initial status new orders get"
        )
        parser.add_argument("--identify-products-by", default="sku", choices=[c.value for c in IdentifyBy])
        parser.add_argument("--no-backfill", action="store_true", help="Do not import the last two months")
        parser.add_argument("--preview", action="store_true", help="Print what the backfill would do; save nothing")

    def handle(self, *args, **opts):
        order_type = OrderType.objects.filter(name=opts["order_type"]).first()
        if order_type is None:
            raise CommandError(f"No order type named {opts['order_type']!r}.")
        platform = PLATFORMS[opts["platform"]]
        try:
            credentials = credentials_from(platform, opts)
        except ValidationError as exc:
            raise CommandError(_needs(platform, exc.error_dict)) from None
        fields = {
            "platform": opts["platform"],
            "name": opts["name"],
            "url": opts["url"],
            "credentials": credentials,
            "webhook_secret": opts.get(WEBHOOK_SECRET) or "",
            "order_type": order_type,
            "identify_products_by": opts["identify_products_by"],
        }
        try:
            if opts["preview"]:
                return self._preview(fields)
            store = store_connect(**fields, backfill=not opts["no_backfill"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Connected {store.name} ({store.get_platform_display()}, {store.shop_domain or store.url})"
            )
        )
        self.stdout.write(f"Webhook address: /hooks/{store.pk}/  Backfill since: {store.backfill_since:%Y-%m-%d %H:%M}")
        webhooks, complete = registration_summary(store)  # R48: registered when the store was saved
        self.stdout.write(webhooks if complete else self.style.WARNING(webhooks))
        if not opts["no_backfill"]:
            self.stdout.write("Backfill queued (run `python manage.py qcluster`, or `sync_store NAME --backfill`).")

    def _preview(self, fields):
        """R45: check the connection, count what the first backfill would do, print it, save nothing."""
        store = store_prepare(**fields)
        try:
            preview = store_backfill_preview(store=store)
        except PlatformError as exc:
            raise CommandError(str(exc)) from exc
        where = store.shop_domain or store.url
        self.stdout.write(f"Backfill preview for {store.name} ({store.get_platform_display()}, {where}):")
        self.stdout.write(preview.as_text())
        self.stdout.write("Nothing was saved. Run the same command without --preview to connect the store.")


def _declared_fields() -> dict:
    """Each credential field any registered platform declares, once, with the labels of the platforms taking it."""
    fields = {}
    for platform in PLATFORMS.values():
        for field in credential_fields(platform):
            fields.setdefault(field.name, (field, []))[1].append(platform.label)
    return dict(fields.values())


def _needs(platform, missing) -> str:
    """ "Shopify needs --client-id, --client-secret (or --token)." """
    sets = [[field.name for field in fields] for fields in platform.credential_sets]
    others = [_options(names) for names in sets if not set(names) & set(missing)]
    alternatives = f" (or {' or '.join(others)})" if others else ""
    return f"{platform.label} needs {_options(missing)}{alternatives}."


def _options(names) -> str:
    return ", ".join("--" + name.replace("_", "-") for name in names)
